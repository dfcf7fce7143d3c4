import ServiceLifecycle

/// Copies the write-ahead log back into the database file in the background. SQLite's own
/// checkpoint runs on the writer right after a commit once the log passes 1,000 pages, and every
/// write queued behind it waits for the copy and its fsyncs: most of the tail of order latency
/// under load. Here most of the copying happens beside the writer (a passive checkpoint never
/// blocks it), so the writer's checkpoint finds little left to do.
struct WALCheckpointer: Service {
    let database: CheckoutDatabase
    /// How often to checkpoint.
    var interval: Duration = .milliseconds(50)

    func run() async throws {
        var checkpointed = -1
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            try? await Task.sleep(for: interval)
            // An idle service has nothing to copy: look again only after something was written.
            let writes = database.writeCount
            guard writes != checkpointed else { continue }
            checkpointed = writes
            try? await database.checkpoint()
        }
        try? await database.checkpoint()
    }
}
