import ShopCore

/// Limited stock of one shop (`stock_holds`, `stock_locks`): what orders hold and have sold of each
/// SKU with a `stock:` limit. The limits themselves are the catalog's (`StockRules.limits`).
///
/// A unit is taken while an order holds it (`held`, until `expires_at`: the payment session's end)
/// or once it is `sold`; a `released` hold (payment failed or expired) and a `held` one past its
/// expiry take nothing. A refund does not restock: the goods were delivered.
struct StockRecords {
    let sql: any SQLStatements
    let shop: String

    /// Locks `sku`'s row until the transaction ends, so checkouts of the same SKU count one after
    /// another on every backend (the upsert takes PostgreSQL's row lock; SQLite has one writer).
    func lock(_ sku: String) throws {
        try sql.run("""
            INSERT INTO stock_locks (shop_id, sku, version) VALUES (?, ?, 0)
            ON CONFLICT (shop_id, sku) DO UPDATE SET version = stock_locks.version + 1
            """, shop, sku)
    }

    /// The units of `sku` taken at `now`: sold, or held by a payment session still open; with
    /// `excludingCart`, not counting what that cart's own unpaid orders hold.
    func taken(_ sku: String, now: Int, excludingCart cart: String? = nil) throws -> Int {
        let taken: Int64? = try sql.value("""
            SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM stock_holds
            WHERE shop_id = ? AND sku = ? AND (state = 'sold' OR (state = 'held' AND expires_at > ?
              AND order_id NOT IN (SELECT id FROM orders WHERE cart_id = ? AND shop_id = ? AND status = 'pending')))
            """, shop, sku, now, cart ?? "", shop)
        return Int(taken ?? 0)
    }

    /// The units taken at `now` of every SKU that has holds.
    func takenBySKU(now: Int) throws -> [String: Int] {
        var taken: [String: Int] = [:]
        for row in try sql.rows("""
            SELECT sku, CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM stock_holds
            WHERE shop_id = ? AND (state = 'sold' OR (state = 'held' AND expires_at > ?)) GROUP BY sku
            """, shop, now) {
            let sku: String = try row[0]
            let units: Int64 = try row[1]
            taken[sku] = Int(units)
        }
        return taken
    }

    func hold(order: String, sku: String, quantity: Int, until expiresAt: Int, now: Int) throws {
        try sql.run("""
            INSERT INTO stock_holds (shop_id, id, order_id, sku, quantity, state, expires_at, created_at) VALUES (?, ?, ?, ?, ?, 'held', ?, ?)
            """, shop, RandomToken.make(bytes: 9, prefix: "hold_"), order, sku, quantity, expiresAt, now)
    }

    /// Keeps an order's holds until `until` (an asynchronous payment method is settling).
    func extend(order: String, until: Int) throws {
        try sql.run("UPDATE stock_holds SET expires_at = ? WHERE order_id = ? AND shop_id = ? AND state = 'held' AND expires_at < ?",
                    until, order, shop, until)
    }

    /// Marks an order's holds sold (it was paid: also holds released before, as when the cart checked
    /// out again or its session failed to open, since what is paid is sold) or released (its payment
    /// failed or expired).
    func settle(order: String, as state: Settlement) throws {
        let from = state == .sold ? "state IN ('held', 'released')" : "state = 'held'"
        try sql.run("UPDATE stock_holds SET state = ? WHERE order_id = ? AND shop_id = ? AND \(from)", state.rawValue, order, shop)
    }

    enum Settlement: String {
        case sold, released
    }
}
