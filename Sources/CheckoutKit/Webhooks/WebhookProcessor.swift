import Foundation
import GRDB
import Logging
import ServiceLifecycle

/// Processes stored payment events, oldest first, each in its own transaction; a failing event is
/// retried with backoff and does not hold up the rest. Runs as a service beside the HTTP server.
actor WebhookProcessor: Service {
    typealias Reaction = @Sendable (StripeEvent, [OrderTransition], Database) throws -> Void

    let database: CheckoutDatabase
    let events: WebhookEventStore
    let applier = PaymentEventApplier()
    let clock: CheckoutClock
    let logger: Logger
    /// What else happens in the same transaction when an event moves orders (grants, emails, outgoing webhooks).
    private var reactions: [Reaction] = []
    private let wakeUps: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation

    init(database: CheckoutDatabase, clock: CheckoutClock, logger: Logger) {
        self.database = database
        self.events = WebhookEventStore(database: database, clock: clock)
        self.clock = clock
        self.logger = logger
        (wakeUps, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    func react(_ reaction: @escaping Reaction) { reactions.append(reaction) }

    /// Processes every due event now; an event stored before the call is done when this returns, unless it failed.
    func processDue() async {
        await drain()
    }

    func run() async throws {
        let ticker = Task { [wake] in
            // Retries come due over time; look at the queue every second even when nothing new arrives.
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                wake.yield()
            }
        }
        defer { ticker.cancel() }
        await drain()
        for await _ in wakeUps.cancelOnGracefulShutdown() {
            await drain()
        }
    }

    /// Processes every due event.
    func drain() async {
        while let due = try? await events.due(), !due.isEmpty {
            var progressed = false
            for id in due {
                if await process(id) { progressed = true }
            }
            if !progressed { break }
        }
    }

    /// Processes one event; returns whether it is now done.
    private func process(_ id: String) async -> Bool {
        let reactions = self.reactions
        let applier = self.applier
        let now = clock.seconds
        do {
            try await database.write { db in
                guard let payload = try Data.fetchOne(
                    db, sql: "SELECT payload FROM webhook_events WHERE id = ? AND processed_at IS NULL", arguments: [id])
                else { return }
                let event = try StripeEvent.decode(payload)
                let transitions = try applier.apply(event, in: db)
                for reaction in reactions { try reaction(event, transitions, db) }
                try db.execute(sql: "UPDATE webhook_events SET processed_at = ?, last_error = NULL WHERE id = ?", arguments: [now, id])
            }
            return true
        } catch {
            logger.error("webhook event failed", metadata: ["event": "\(id)", "error": "\(error)"])
            try? await database.write { db in
                let attempts = (try Int.fetchOne(db, sql: "SELECT attempts FROM webhook_events WHERE id = ?", arguments: [id]) ?? 0) + 1
                let delay = min(3600, 1 << min(attempts, 12))
                try db.execute(
                    sql: "UPDATE webhook_events SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?",
                    arguments: [attempts, now + delay, String(describing: error), id])
            }
            return false
        }
    }

}
