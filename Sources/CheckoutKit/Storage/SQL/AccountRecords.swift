/// Sign-in links and sessions (`login_tokens`, `sessions`), stored only as hashes of their secrets; a
/// customer of one shop is a stranger to every other.
struct AccountRecords {
    let sql: any SQLStatements
    let shop: String

    /// Whether `email` bought something, holds a membership or confirmed a lead: who may sign in.
    func isKnownCustomer(_ email: String) throws -> Bool {
        try sql.row("""
            SELECT 1 WHERE EXISTS (SELECT 1 FROM orders WHERE email = ?1 AND shop_id = ?2 AND paid_at IS NOT NULL)
                OR EXISTS (SELECT 1 FROM subscriptions WHERE email = ?1 AND shop_id = ?2)
                OR EXISTS (SELECT 1 FROM leads WHERE email = ?1 AND shop_id = ?2 AND confirmed_at IS NOT NULL)
            """, email, shop) != nil
    }

    func addLoginToken(hash: String, email: String, expiresAt: Int) throws {
        try sql.run("INSERT INTO login_tokens (shop_id, token_hash, email, expires_at) VALUES (?, ?, ?, ?)", shop, hash, email, expiresAt)
    }

    /// Uses a sign-in token once: its email when it was unused and unexpired at `now`, else nil.
    func redeemLoginToken(hash: String, now: Int) throws -> String? {
        try sql.value(
            """
            UPDATE login_tokens SET used_at = ?1 WHERE token_hash = ?2 AND shop_id = ?3 AND used_at IS NULL AND expires_at >= ?1 RETURNING email
            """, now, hash, shop)
    }

    func addSession(hash: String, email: String, now: Int, expiresAt: Int) throws {
        try sql.run("INSERT INTO sessions (shop_id, id_hash, email, created_at, expires_at) VALUES (?, ?, ?, ?, ?)", shop, hash, email, now, expiresAt)
    }

    func removeSession(hash: String) throws {
        try sql.run("DELETE FROM sessions WHERE id_hash = ? AND shop_id = ?", hash, shop)
    }

    /// The email of a session unexpired at `now`.
    func sessionEmail(hash: String, now: Int) throws -> String? {
        try sql.value("SELECT email FROM sessions WHERE id_hash = ? AND shop_id = ? AND expires_at >= ?", hash, shop, now)
    }
}
