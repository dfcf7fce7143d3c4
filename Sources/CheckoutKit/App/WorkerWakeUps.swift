import ServiceLifecycle

/// When a background worker (mail, outgoing webhooks, payment events) looks at its queue: once at
/// start, whenever something is queued (`notify`), and every `interval` for work that comes due over
/// time, until the service shuts down gracefully. Wake-ups that arrive during a pass fold into one.
struct WorkerWakeUps: Sendable {
    private let wakeUps: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    init() {
        (wakeUps, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks for a pass now.
    func notify() { wake.yield() }

    /// Runs `pass` at start, on every wake-up and every `interval` (if `polls`: a shop of a
    /// multi-shop deployment leaves the looking to `DueWorkScanner` instead), until graceful shutdown.
    func run(every interval: Duration, polls: Bool = true, _ pass: @Sendable () async -> Void) async {
        let ticker = Task { [wake] in
            while polls, !Task.isCancelled {
                try? await Task.sleep(for: interval)
                wake.yield()
            }
        }
        defer { ticker.cancel() }
        await pass()
        for await _ in wakeUps.cancelOnGracefulShutdown() { await pass() }
    }
}
