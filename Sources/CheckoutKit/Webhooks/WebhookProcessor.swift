import Foundation
import GRDB
import Logging
import ServiceLifecycle

/// Processes stored payment events, oldest first, each in its own transaction; a failing event is
/// retried with backoff and does not hold up the rest. Runs as a service beside the HTTP server.
actor WebhookProcessor: Service {
    let database: CheckoutDatabase
    let events: WebhookEventStore
    let payments = PaymentEventApplier()
    let subscriptions: SubscriptionEventApplier
    /// What else happens in the same transaction when an event changes something (grants, emails, outgoing webhooks).
    let effects: DeliveryEffects
    /// Called after events were processed, to wake the mail and webhook workers.
    let processed: @Sendable () -> Void
    let clock: CheckoutClock
    let logger: Logger
    private let wakeUps = WorkerWakeUps()

    init(
        database: CheckoutDatabase, subscriptions: SubscriptionEventApplier, effects: DeliveryEffects, clock: CheckoutClock,
        logger: Logger, processed: @escaping @Sendable () -> Void
    ) {
        self.database = database
        self.events = WebhookEventStore(database: database, clock: clock)
        self.subscriptions = subscriptions
        self.effects = effects
        self.processed = processed
        self.clock = clock
        self.logger = logger
    }

    /// Processes every due event now; an event stored before the call is done when this returns, unless it failed.
    func processDue() async {
        await drain()
    }

    func run() async throws {
        // Retries come due over time; look at the queue every second even when nothing new arrives.
        await wakeUps.run(every: .seconds(1)) { await self.drain() }
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

    /// Stores a verified event and processes it in the same transaction: one commit makes it both
    /// durable and applied. If applying fails, only that part rolls back; the event stays stored and
    /// the retries take it from there. Returns false for an event id seen before (a repeat delivery).
    nonisolated func ingest(_ event: StripeEvent, payload: Data) async throws -> Bool {
        let now = clock.seconds
        let outcome = try await database.write { [self] db -> IngestOutcome in
            let stored = try String.fetchOne(db.cachedStatement(
                sql: "INSERT INTO webhook_events (id, type, created, payload, received_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id"
            ), arguments: [event.id, event.type, event.created, payload, now])
            guard stored != nil else { return .duplicate }
            do {
                try db.inSavepoint {
                    try apply(event, db: db, now: now)
                    return .commit
                }
                return .processed
            } catch {
                return .stored(failure: error)
            }
        }
        switch outcome {
        case .duplicate: return false
        case .processed: processed()
        case .stored(let failure): await recordFailure(event.id, error: failure, now: now)
        }
        return true
    }

    private enum IngestOutcome: Sendable {
        case duplicate, processed
        case stored(failure: any Error)
    }

    /// Applies an event's effects and marks it processed, inside the caller's transaction.
    private nonisolated func apply(_ event: StripeEvent, db: Database, now: Int) throws {
        let orders = try payments.apply(event, in: db)
        let changes = try subscriptions.apply(event, in: db)
        try effects.apply(event, orders: orders, subscriptions: changes, db: db, now: now)
        try db.cachedStatement(sql: "UPDATE webhook_events SET processed_at = ?, last_error = NULL WHERE id = ?")
            .execute(arguments: [now, event.id])
    }

    /// Processes one event; returns whether it is now done.
    private func process(_ id: String) async -> Bool {
        let now = clock.seconds
        do {
            try await database.write { [self] db in
                guard let payload = try Data.fetchOne(
                    db, sql: "SELECT payload FROM webhook_events WHERE id = ? AND processed_at IS NULL", arguments: [id])
                else { return }
                try apply(try StripeEvent.decode(payload), db: db, now: now)
            }
            processed()
            return true
        } catch {
            await recordFailure(id, error: error, now: now)
            return false
        }
    }

    /// Records a failed attempt and when to try again.
    private nonisolated func recordFailure(_ id: String, error: any Error, now: Int) async {
        if error is UnlinkedSubscription {
            logger.info("webhook event waits for its subscription", metadata: ["event": "\(id)", "reason": "\(error)"])
        } else {
            logger.error("webhook event failed", metadata: ["event": "\(id)", "error": "\(error)"])
        }
        let unlinked = error is UnlinkedSubscription
        let description = String(describing: error)
        try? await database.write { db in
            let row = try Row.fetchOne(db, sql: "SELECT attempts, received_at FROM webhook_events WHERE id = ?", arguments: [id])
            let attempts = (row?[0] as Int? ?? 0) + 1
            let received: Int = row?[1] ?? now
            if unlinked && now - received > 86_400 {
                // A day on, nothing has linked this subscription to one of our orders: it is not ours.
                try db.execute(
                    sql: "UPDATE webhook_events SET processed_at = ?, attempts = ?, last_error = ? WHERE id = ?",
                    arguments: [now, attempts, "never linked to an order: \(description)", id])
                return
            }
            // An unlinked event is retried on the next pass, right after the events that may link it.
            let delay = unlinked ? 0 : min(3600, 1 << min(attempts, 12))
            try db.execute(
                sql: "UPDATE webhook_events SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?",
                arguments: [attempts, now + delay, description, id])
        }
    }

}
