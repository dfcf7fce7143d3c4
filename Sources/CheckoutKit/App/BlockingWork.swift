import Dispatch

/// Runs blocking work (a whole-database backup, reading a folder of files) on a thread of
/// Dispatch's, not Swift's cooperative pool: on a two-core host, one blocked pool thread is half of
/// what serves requests.
enum BlockingWork {
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .utility).async {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}
