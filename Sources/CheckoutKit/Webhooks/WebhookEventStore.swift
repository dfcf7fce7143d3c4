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
}
