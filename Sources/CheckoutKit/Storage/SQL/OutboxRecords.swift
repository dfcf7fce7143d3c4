import ShopCore

/// Emails waiting to be sent (`outbox`), written in the same transaction as whatever caused them, so
/// a crash can neither lose an email nor, with its unique key, queue it twice.
struct OutboxRecords {
    let sql: any SQLStatements

    /// Queues an email once per `dedupeKey` (e.g. `receipt:ORDER`); returns whether it was new.
    @discardableResult
    func enqueue(key dedupeKey: String, to recipient: String, subject: String, body: String, now: Int) throws -> Bool {
        try sql.row("""
            INSERT INTO outbox (id, dedupe_key, recipient, subject, body, created_at) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING RETURNING id
            """, RandomToken.makeOrdered(prefix: "mail_"), dedupeKey, recipient, subject, body, now) != nil
    }

    /// Emails due at `now`, oldest first.
    func due(now: Int, limit: Int) throws -> [(id: String, to: String, subject: String, body: String, created: Int)] {
        try sql.rows("""
            SELECT id, recipient, subject, body, created_at FROM outbox
            WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ? ORDER BY created_at, id LIMIT ?
            """, now, limit
        ).map { (try $0[0], try $0[1], try $0[2], try $0[3], try $0[4]) }
    }

    func markSent(_ id: String, at time: Int) throws {
        try sql.run("UPDATE outbox SET sent_at = ?, last_error = NULL WHERE id = ?", time, id)
    }

    /// Records a failed attempt: retried at `retryAt`, or never again when `permanent`.
    func recordFailure(_ id: String, error: String, retryAt: (Int) -> Int, permanent: Bool, now: Int) throws {
        let attempts: Int = try sql.value("UPDATE outbox SET attempts = attempts + 1 WHERE id = ? RETURNING attempts", id) ?? 1
        try sql.run(
            "UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ?, failed_at = ? WHERE id = ?",
            attempts, retryAt(attempts), error, permanent ? now : nil, id)
    }
}
