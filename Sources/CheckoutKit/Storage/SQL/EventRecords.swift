import Foundation

/// Received payment events (`webhook_events`), stored before they are acknowledged and processed
/// from here in the order they arrived; each shop's events apart (one shop's event id means nothing to another).
struct EventRecords {
    let sql: any SQLStatements
    let shop: String

    /// Stores an event; false when an event with its id was stored before (a repeat delivery).
    func store(id: String, type: String, created: Int, payload: Data, now: Int) throws -> Bool {
        try sql.row("""
            INSERT INTO webhook_events (shop_id, id, type, created, payload, received_at) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING RETURNING id
            """, shop, id, type, created, payload, now) != nil
    }

    /// The payload of an event not processed yet, holding the event until the transaction ends (so
    /// it is applied once even when two processors reach it at once); nil when it is processed,
    /// unknown, or being processed by another transaction right now (another instance's processor:
    /// it is passed over, not waited for).
    func claimUnprocessed(_ id: String) throws -> Data? {
        try sql.value("SELECT payload FROM webhook_events WHERE id = ? AND shop_id = ? AND processed_at IS NULL\(sql.skipLocked)", id, shop)
    }

    func markProcessed(_ id: String, at time: Int) throws {
        try sql.run("UPDATE webhook_events SET processed_at = ?, last_error = NULL WHERE id = ? AND shop_id = ?", time, id, shop)
    }

    /// Counts one more attempt; returns the attempts so far, this one included, and when the event arrived.
    func countAttempt(_ id: String) throws -> (attempts: Int, receivedAt: Int)? {
        guard let row = try sql.row("UPDATE webhook_events SET attempts = attempts + 1 WHERE id = ? AND shop_id = ? RETURNING attempts, received_at", id, shop)
        else { return nil }
        return (try row[0], try row[1])
    }

    /// Records a failed attempt and when to try again.
    func scheduleRetry(_ id: String, attempts: Int, at time: Int, error: String) throws {
        try sql.run("UPDATE webhook_events SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ? AND shop_id = ?", attempts, time, error, id, shop)
    }

    /// Stops retrying an event: it is marked processed with why.
    func giveUp(_ id: String, attempts: Int, at time: Int, error: String) throws {
        try sql.run("UPDATE webhook_events SET processed_at = ?, attempts = ?, last_error = ? WHERE id = ? AND shop_id = ?", time, attempts, error, id, shop)
    }

    /// Events not yet processed and due at `now`, oldest first.
    func due(now: Int, limit: Int) throws -> [String] {
        try sql.values(
            "SELECT id FROM webhook_events WHERE shop_id = ? AND processed_at IS NULL AND next_attempt_at <= ? ORDER BY sequence LIMIT ?", shop, now, limit)
    }

    func isProcessed(_ id: String) throws -> Bool {
        try sql.row("SELECT 1 FROM webhook_events WHERE id = ? AND shop_id = ? AND processed_at IS NOT NULL", id, shop) != nil
    }
}
