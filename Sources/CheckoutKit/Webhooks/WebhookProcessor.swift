import Foundation
import Logging
import ServiceLifecycle

/// Processes stored payment events, oldest first, each in its own transaction; a failing event is
/// retried with backoff and does not hold up the rest. Runs as a service beside the HTTP server, in
/// every instance: an event is claimed by its transaction (`EventRecords.claimUnprocessed`), so two
/// instances never apply one event, and an instance that dies mid-way leaves it unclaimed (its
/// transaction rolls back) for the next pass of any instance.
actor WebhookProcessor: Service {
    let storage: any CheckoutStorage
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
    /// Whether the worker looks at its queue on a timer too, for work that comes due over time and
    /// work another instance queued; false in a multi-shop deployment, where `DueWorkScanner`
    /// looks once for every shop instead.
    let polls: Bool

    init(
        storage: any CheckoutStorage, subscriptions: SubscriptionEventApplier, effects: DeliveryEffects, clock: CheckoutClock,
        logger: Logger, polls: Bool = true, processed: @escaping @Sendable () -> Void
    ) {
        self.polls = polls
        self.storage = storage
        self.events = WebhookEventStore(storage: storage, clock: clock)
        self.subscriptions = subscriptions
        self.effects = effects
        self.processed = processed
        self.clock = clock
        self.logger = logger
    }

    /// Processes every due event now; an event stored before the call is done when this returns,
    /// unless it failed or another instance was processing it at that moment.
    func processDue() async {
        await drain()
    }

    /// Asks for a pass now (`DueWorkScanner` found events of this shop due).
    nonisolated func notify() { wakeUps.notify() }

    func run() async throws {
        // Retries come due over time; look at the queue every second even when nothing new arrives.
        await wakeUps.run(every: .seconds(1), polls: polls) { await self.drain() }
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
        let outcome = try await storage.write { [self] tx -> IngestOutcome in
            guard try tx.events.store(id: event.id, type: event.type, created: event.created, payload: payload, now: now) else {
                return .duplicate
            }
            do {
                try tx.savepoint { try apply(event, tx: tx, now: now) }
                return .processed
            } catch let conflict as StorageConflict {
                // Lost a race with another transaction: the whole ingest runs again.
                throw conflict
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
    private nonisolated func apply(_ event: StripeEvent, tx: StorageTransaction, now: Int) throws {
        let orders = try payments.apply(event, in: tx)
        let changes = try subscriptions.apply(event, in: tx)
        try effects.apply(event, orders: orders, subscriptions: changes, tx: tx, now: now)
        try tx.events.markProcessed(event.id, at: now)
    }

    /// Processes one event; returns whether this call applied it (false when it was processed
    /// before, or another instance is processing it now).
    private func process(_ id: String) async -> Bool {
        let now = clock.seconds
        do {
            let applied = try await storage.write { [self] tx -> Bool in
                guard let payload = try tx.events.claimUnprocessed(id) else { return false }
                try apply(try StripeEvent.decode(payload), tx: tx, now: now)
                return true
            }
            if applied { processed() }
            return applied
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
        try? await storage.write { tx in
            let recorded = try tx.events.countAttempt(id)
            let attempts = recorded?.attempts ?? 1
            let received = recorded?.receivedAt ?? now
            if unlinked && now - received > 86_400 {
                // A day on, nothing has linked this subscription to one of our orders: it is not ours.
                try tx.events.giveUp(id, attempts: attempts, at: now, error: "never linked to an order: \(description)")
                return
            }
            // An unlinked event is retried on the next pass, right after the events that may link it.
            let delay = unlinked ? 0 : min(3600, 1 << min(attempts, 12))
            try tx.events.scheduleRetry(id, attempts: attempts, at: now + delay, error: description)
        }
    }
}
