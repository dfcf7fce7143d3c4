import ShopCore

/// Emails waiting to be sent (`outbox`), written in the same transaction as whatever caused them, so
/// a crash can neither lose an email nor, with its unique key, queue it twice. Each shop's queue apart.
struct OutboxRecords {
    let sql: any SQLStatements
    let shop: String

    /// Queues an email once per `dedupeKey` (e.g. `receipt:ORDER`); returns whether it was new.
    @discardableResult
    func enqueue(key dedupeKey: String, to recipient: String, subject: String, body: String, now: Int) throws -> Bool {
        try sql.row("""
            INSERT INTO outbox (shop_id, id, dedupe_key, recipient, subject, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING RETURNING id
            """, shop, RandomToken.makeOrdered(prefix: "mail_"), dedupeKey, recipient, subject, body, now) != nil
    }

    /// Claims up to `limit` emails due at `now` for `instance` until `until` (seconds since 1970),
    /// oldest first: no other instance takes them before then, and an instance that dies leaves
    /// them to be taken again once the lease ends. Rows another transaction is claiming are passed
    /// over, so instances share the queue instead of waiting on each other.
    func claimDue(now: Int, until: Int, instance: String, limit: Int) throws -> [(id: String, to: String, subject: String, body: String, created: Int)] {
        try sql.rows("""
            WITH due AS MATERIALIZED (
                SELECT id FROM outbox
                WHERE shop_id = ?5 AND sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?3 AND claimed_until <= ?3
                ORDER BY created_at, id LIMIT ?4\(sql.skipLocked))
            UPDATE outbox SET claimed_until = ?1, claimed_by = ?2
            WHERE id IN (SELECT id FROM due) AND claimed_until <= ?3
            RETURNING id, recipient, subject, body, created_at
            """, until, instance, now, limit, shop
        ).map { (try $0[0], try $0[1], try $0[2], try $0[3], try $0[4]) }
            .sorted { ($0.created, $0.id) < ($1.created, $1.id) }
    }

    /// Extends `instance`'s claim on an unsent email to `until`; false when the claim was lost
    /// (its lease ran out and another instance took it) or the email was sent or failed meanwhile.
    func renewClaim(_ id: String, instance: String, until: Int) throws -> Bool {
        try sql.row("""
            UPDATE outbox SET claimed_until = ?
            WHERE id = ? AND shop_id = ? AND claimed_by = ? AND sent_at IS NULL AND failed_at IS NULL RETURNING id
            """, until, id, shop, instance) != nil
    }

    /// Gives back every claim `instance` holds on unsent emails, so another instance may send them
    /// now rather than when the leases end (an instance stopping with work left).
    func releaseClaims(instance: String) throws {
        try sql.run("UPDATE outbox SET claimed_until = 0, claimed_by = NULL WHERE claimed_by = ? AND shop_id = ? AND sent_at IS NULL", instance, shop)
    }

    /// Marks an email sent, whoever holds its claim now: an instance that lost its claim and sent
    /// anyway still records it, so the instance that took the claim over finds it sent and skips it.
    func markSent(_ id: String, at time: Int) throws {
        try sql.run("UPDATE outbox SET sent_at = ?, last_error = NULL, claimed_until = 0, claimed_by = NULL WHERE id = ? AND shop_id = ?", time, id, shop)
    }

    /// Records `instance`'s failed attempt: retried at `retryAt`, or never again when `permanent`.
    /// Nothing changes when another instance has claimed the email since (its attempt decides).
    func recordFailure(_ id: String, instance: String, error: String, retryAt: (Int) -> Int, permanent: Bool, now: Int) throws {
        guard let attempts: Int = try sql.value(
            "UPDATE outbox SET attempts = attempts + 1 WHERE id = ? AND shop_id = ? AND claimed_by = ? RETURNING attempts", id, shop, instance)
        else { return }
        try sql.run(
            """
            UPDATE outbox SET next_attempt_at = ?, last_error = ?, failed_at = ?, claimed_until = 0, claimed_by = NULL
            WHERE id = ? AND shop_id = ?
            """,
            retryAt(attempts), error, permanent ? now : nil, id, shop)
    }
}
