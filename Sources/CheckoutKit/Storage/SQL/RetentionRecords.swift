import Foundation

/// The purges of `RetentionPolicy`, over every shop of the database at once (one job a
/// deployment, not one a shop), each in batches of `batch` rows so a first purge of a large
/// backlog never holds the writer for long.
struct RetentionRecords {
    let sql: any SQLStatements
    var batch = 1_000

    /// Deletes one batch of `table`'s rows (by `key`) matching `condition`; how many.
    func delete(_ table: String, key: String, where condition: String, _ arguments: [SQLValue]) throws -> Int {
        try sql.query(
            "DELETE FROM \(table) WHERE \(key) IN (SELECT \(key) FROM \(table) WHERE \(condition) LIMIT \(batch)) RETURNING 1", arguments
        ).count
    }

    /// One batch of each kind; the counts by kind, and the emails purged (their shop and id, for
    /// their `.eml` files). Call again while the total is not zero.
    func purgeBatch(_ policy: RetentionPolicy, now: Int) throws -> (counts: [String: Int], emails: [(shop: String, id: String)]) {
        var counts: [String: Int] = [:]
        counts["unconfirmed_leads"] = try delete(
            "leads", key: "id", where: "confirmed_at IS NULL AND created_at < ?", [.integer(Int64(now - policy.unconfirmedLeads))])
        let expired = [SQLValue.integer(Int64(now - policy.expiredSessions))]
        counts["sessions"] = try delete("sessions", key: "id_hash", where: "expires_at < ?", expired)
            + delete("staff_sessions", key: "id_hash", where: "expires_at < ?", expired)
        counts["login_links"] = try delete("login_tokens", key: "token_hash", where: "expires_at < ?", expired)
            + delete("staff_login_tokens", key: "token_hash", where: "expires_at < ?", expired)
        let payloads = SQLValue.integer(Int64(now - policy.webhookPayloads))
        // Delivered ones, and ones given up on (`failed`, after three days of attempts).
        counts["webhook_deliveries"] = try delete(
            "webhook_deliveries", key: "id", where: "(status = 'delivered' AND delivered_at < ?) OR (status = 'failed' AND created_at < ?)",
            [payloads, payloads])
        counts["payment_event_payloads"] = try sql.query(
            """
            UPDATE webhook_events SET payload = ? WHERE sequence IN (
                SELECT sequence FROM webhook_events WHERE processed_at IS NOT NULL AND processed_at < ? AND length(payload) > 0 LIMIT \(batch))
            RETURNING 1
            """, [.blob(Data()), payloads]).count
        let before = SQLValue.integer(Int64(now - policy.sentEmails))
        let emails = try sql.query(
            """
            DELETE FROM outbox WHERE id IN (
                SELECT id FROM outbox WHERE (sent_at IS NOT NULL AND sent_at < ?) OR (failed_at IS NOT NULL AND failed_at < ?) LIMIT \(batch))
            RETURNING shop_id, id
            """, [before, before]
        ).map { (shop: try $0[0] as String, id: try $0[1] as String) }
        counts["emails"] = emails.count
        return (counts, emails)
    }
}
