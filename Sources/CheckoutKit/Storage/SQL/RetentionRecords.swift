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

    /// One batch of each kind; the counts by kind. Call again while the total is not zero.
    func purgeBatch(_ policy: RetentionPolicy, now: Int) throws -> [String: Int] {
        var counts: [String: Int] = [:]
        counts["unconfirmed_leads"] = try delete(
            "leads", key: "id", where: "confirmed_at IS NULL AND created_at < ?", [.integer(Int64(now - policy.unconfirmedLeads))])
        let expired = [SQLValue.integer(Int64(now - policy.expiredSessions))]
        counts["sessions"] = try delete("sessions", key: "id_hash", where: "expires_at < ?", expired)
            + delete("staff_sessions", key: "id_hash", where: "expires_at < ?", expired)
        counts["login_links"] = try delete("login_tokens", key: "token_hash", where: "expires_at < ?", expired)
            + delete("staff_login_tokens", key: "token_hash", where: "expires_at < ?", expired)
        let payloads = SQLValue.integer(Int64(now - policy.webhookPayloads))
        counts["webhook_deliveries"] = try delete("webhook_deliveries", key: "id", where: "status = 'delivered' AND delivered_at < ?", [payloads])
        counts["payment_event_payloads"] = try sql.query(
            """
            UPDATE webhook_events SET payload = ? WHERE sequence IN (
                SELECT sequence FROM webhook_events WHERE processed_at IS NOT NULL AND processed_at < ? AND length(payload) > 0 LIMIT \(batch))
            RETURNING 1
            """, [.blob(Data()), payloads]).count
        let emails = SQLValue.integer(Int64(now - policy.sentEmails))
        counts["emails"] = try delete(
            "outbox", key: "id", where: "(sent_at IS NOT NULL AND sent_at < ?) OR (failed_at IS NOT NULL AND failed_at < ?)", [emails, emails])
        return counts
    }
}
