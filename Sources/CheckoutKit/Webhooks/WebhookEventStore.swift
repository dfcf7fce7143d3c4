import Foundation
import GRDB

/// Received payment events, stored before they are acknowledged and processed from here in order.
struct WebhookEventStore: Sendable {
    let database: CheckoutDatabase
    let clock: CheckoutClock

    /// Events not yet processed and due, oldest first.
    func due(limit: Int = 100) async throws -> [String] {
        let now = clock.seconds
        return try await database.read { db in
            try String.fetchAll(
                db,
                sql: "SELECT id FROM webhook_events WHERE processed_at IS NULL AND next_attempt_at <= ? ORDER BY sequence LIMIT ?",
                arguments: [now, limit])
        }
    }

    func isProcessed(_ id: String) async throws -> Bool {
        try await database.read { db in
            try Int.fetchOne(db, sql: "SELECT processed_at FROM webhook_events WHERE id = ?", arguments: [id]) != nil
        }
    }

    /// Counts for readiness and metrics: events waiting, and events that failed at least once and still wait.
    func backlog() async throws -> (pending: Int, failing: Int) {
        try await database.read { db in
            let pending = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM webhook_events WHERE processed_at IS NULL") ?? 0
            let failing = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM webhook_events WHERE processed_at IS NULL AND attempts > 0") ?? 0
            return (pending, failing)
        }
    }
}
