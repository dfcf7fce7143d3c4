import ShopCore

/// Entitlements as recorded (`entitlements`) with the log of every grant and revocation
/// (`entitlement_log`), and the purchase facts they are worked out from, in one shop.
struct EntitlementRecords {
    let sql: any SQLStatements
    let shop: String

    /// Holds `email`'s entitlements until the transaction ends. Working them out reads every fact about
    /// the customer and then writes the difference; the last of two transactions doing it at once
    /// waits here until the first commits, so it reads the first one's facts too and leaves them right.
    func lock(email: String) throws {
        try sql.run(
            "INSERT INTO customer_locks (shop_id, email) VALUES (?, ?) ON CONFLICT (shop_id, email) DO UPDATE SET email = excluded.email", shop, email)
    }

    func recorded(email: String) throws -> Set<Entitlement> {
        Set(try sql.rows("SELECT item, cause FROM entitlements WHERE email = ? AND shop_id = ?", email, shop).map { Entitlement(item: try $0[0], cause: try $0[1]) })
    }

    func grant(_ entitlement: Entitlement, to email: String, now: Int) throws {
        try sql.run(
            "INSERT INTO entitlements (shop_id, email, item, cause, granted_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            shop, email, entitlement.item, entitlement.cause, now)
        try log(entitlement, email: email, change: "granted", now: now)
    }

    func revoke(_ entitlement: Entitlement, from email: String, now: Int) throws {
        try sql.run(
            "DELETE FROM entitlements WHERE email = ? AND shop_id = ? AND item = ? AND cause = ?", email, shop, entitlement.item, entitlement.cause)
        try log(entitlement, email: email, change: "revoked", now: now)
    }

    private func log(_ entitlement: Entitlement, email: String, change: String, now: Int) throws {
        try sql.run(
            "INSERT INTO entitlement_log (shop_id, email, item, change, cause, at) VALUES (?, ?, ?, ?, ?, ?)",
            shop, email, entitlement.item, change, entitlement.cause, now)
    }

    /// Every paid purchase line of `email`, with whether it was refunded.
    func purchases(email: String) throws -> [PurchaseFact] {
        try sql.rows("""
            SELECT o.id, l.id, l.grants,
                   CASE WHEN o.status = 'refunded' OR EXISTS (SELECT 1 FROM refunds r WHERE r.line_id = l.id) THEN 1 ELSE 0 END
            FROM orders o JOIN order_lines l ON l.order_id = o.id
            WHERE o.email = ? AND o.shop_id = ? AND o.kind = 'purchase' AND o.paid_at IS NOT NULL
            """, email, shop
        ).map { row in
            let grants: String = try row[2]
            return PurchaseFact(
                orderID: try row[0], lineID: try row[1], grants: grants.split(separator: ",").map(String.init), refunded: try row[3])
        }
    }
}
