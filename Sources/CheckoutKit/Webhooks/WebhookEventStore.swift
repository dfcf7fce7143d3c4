import Foundation

/// Received payment events, stored before they are acknowledged and processed from here in order.
struct WebhookEventStore: Sendable {
    let storage: any CheckoutStorage
    let clock: CheckoutClock

    /// Events not yet processed and due, oldest first.
    func due(limit: Int = 100) async throws -> [String] {
        let now = clock.seconds
        return try await storage.read { tx in try tx.events.due(now: now, limit: limit) }
    }

    func isProcessed(_ id: String) async throws -> Bool {
        try await storage.read { tx in try tx.events.isProcessed(id) }
    }

    /// Counts for readiness and metrics: events waiting, and events that failed at least once and still wait.
    func backlog() async throws -> (pending: Int, failing: Int) {
        try await storage.read { tx in try tx.events.backlog() }
    }
}
