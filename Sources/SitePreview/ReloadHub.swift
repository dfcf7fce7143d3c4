import Foundation
import Synchronization

/// The browsers with a preview page open, each listening for "reload".
final class ReloadHub: Sendable {
    private let listeners = Mutex<[UUID: AsyncStream<String>.Continuation]>([:])

    /// A stream of messages for one browser; it stops listening when the stream ends.
    func subscribe() -> AsyncStream<String> {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingNewest(4))
        continuation.onTermination = { [weak self] _ in self?.listeners.withLock { _ = $0.removeValue(forKey: id) } }
        listeners.withLock { $0[id] = continuation }
        return stream
    }

    func broadcast(_ message: String) {
        for continuation in listeners.withLock({ Array($0.values) }) { continuation.yield(message) }
    }

    func finishAll() {
        for continuation in listeners.withLock({ Array($0.values) }) { continuation.finish() }
    }

    var count: Int { listeners.withLock { $0.count } }
}
