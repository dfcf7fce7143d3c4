import GRDB
import Synchronization

/// Commits concurrent write transactions together. Each write still runs alone, in its own savepoint
/// (a failing one rolls back only itself), but the writes that queued while the previous commit was
/// under way share one `BEGIN … COMMIT`, so the WAL pages and the commit are paid once per batch
/// instead of once per request. A writer learns of success only after the shared commit, so an
/// answered request is as durable as with one transaction each.
final class GroupCommit: Sendable {
    private struct Completion {
        let succeed: @Sendable () -> Void
        let fail: @Sendable (any Error) -> Void
    }

    /// Runs one write in a savepoint; returns how to report it once the batch commits, or nil when it
    /// already failed and reported that.
    private struct Job: Sendable {
        let run: @Sendable (Database) -> Completion?
        /// Reports a failure for a write that never ran.
        let reject: @Sendable (any Error) -> Void
    }

    private struct State {
        var pending: [Job] = []
        var draining = false
    }

    private let pool: DatabasePool
    private let state = Mutex(State())
    private let batches = Atomic<Int>(0)

    /// How many batches have committed so far.
    var committedBatches: Int { batches.load(ordering: .relaxed) }

    init(pool: DatabasePool) {
        self.pool = pool
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let job = Job(run: { db in
                do {
                    var value: T?
                    try db.inSavepoint {
                        value = try body(db)
                        return .commit
                    }
                    guard let result = value else {
                        // Unreachable (the body either returned or threw), but never leave a caller waiting.
                        continuation.resume(throwing: CancellationError())
                        return nil
                    }
                    return Completion(succeed: { continuation.resume(returning: result) }, fail: { continuation.resume(throwing: $0) })
                } catch {
                    continuation.resume(throwing: error)
                    return nil
                }
            }, reject: { continuation.resume(throwing: $0) })
            let start = state.withLock { state in
                state.pending.append(job)
                if state.draining { return false }
                state.draining = true
                return true
            }
            if start { drain() }
        }
    }

    private func drain() {
        Task {
            do {
                try await pool.writeWithoutTransaction { db in self.runBatches(db) }
            } catch {
                // The writer connection itself failed: nothing ran, so every queued write fails.
                let jobs = state.withLock { state in
                    defer { state = State() }
                    return state.pending
                }
                for job in jobs { job.reject(error) }
            }
        }
    }

    private func runBatches(_ db: Database) {
        while true {
            let jobs = state.withLock { state -> [Job] in
                if state.pending.isEmpty {
                    state.draining = false
                    return []
                }
                defer { state.pending.removeAll(keepingCapacity: true) }
                return state.pending
            }
            if jobs.isEmpty { return }
            var completions: [Completion] = []
            completions.reserveCapacity(jobs.count)
            do {
                try db.inTransaction(.immediate) {
                    for job in jobs {
                        if let completion = job.run(db) { completions.append(completion) }
                    }
                    return .commit
                }
                batches.add(1, ordering: .relaxed)
                for completion in completions { completion.succeed() }
            } catch {
                for completion in completions { completion.fail(error) }
            }
        }
    }
}
