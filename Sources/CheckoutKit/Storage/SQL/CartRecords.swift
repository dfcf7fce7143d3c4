import ShopCore

/// Carts and their lines (`carts`, `cart_lines`) of one shop. Prices are never stored; they come from the catalog.
struct CartRecords {
    let sql: any SQLStatements
    let shop: String

    func create(id: String, now: Int) throws {
        try sql.run("INSERT INTO carts (id, shop_id, created_at, updated_at) VALUES (?, ?, ?, ?)", id, shop, now, now)
    }

    /// Sets the quantity (and, for a pay-what-you-want line, the shopper's unit `amount`) of the
    /// cart's line for `sku`, adding the line after every other when new.
    func upsertLine(cart: String, sku: String, quantity: Int, amount: Int64? = nil) throws {
        // A new line goes after every line the cart has, so positions do not tie and order the lines.
        try sql.run("""
            INSERT INTO cart_lines (id, shop_id, cart_id, sku, quantity, position, amount)
            SELECT CAST(?1 AS TEXT), shop_id, id, CAST(?3 AS TEXT), CAST(?4 AS BIGINT), COALESCE((SELECT MAX(position) + 1 FROM cart_lines WHERE cart_id = ?2), 0), CAST(?6 AS BIGINT)
            FROM carts WHERE id = ?2 AND shop_id = ?5
            ON CONFLICT (cart_id, sku) DO UPDATE SET quantity = excluded.quantity, amount = COALESCE(excluded.amount, cart_lines.amount)
            """, RandomToken.make(bytes: 9, prefix: "line_"), cart, sku, quantity, shop, amount)
    }

    /// Sets a line's quantity; false when the cart has no such line.
    func setQuantity(cart: String, line: String, quantity: Int) throws -> Bool {
        try sql.row("""
            UPDATE cart_lines SET quantity = ? WHERE id = ? AND cart_id = ? AND shop_id = ? RETURNING id
            """, quantity, line, cart, shop) != nil
    }

    /// Removes a line; false when the cart has no such line.
    func removeLine(cart: String, line: String) throws -> Bool {
        try sql.row("""
            DELETE FROM cart_lines WHERE id = ? AND cart_id = ? AND shop_id = ? RETURNING id
            """, line, cart, shop) != nil
    }

    func setCoupon(cart: String, code: String?) throws {
        try sql.run("UPDATE carts SET coupon = ? WHERE id = ? AND shop_id = ?", code, cart, shop)
    }

    /// Marks the cart changed at `now` and holds it until the transaction ends, so a change that
    /// reads the cart first (adding to a line's quantity) never works from a copy another writer is
    /// replacing; false when there is no such cart. Every change to a cart starts here.
    /// The change raises the cart's version, so an order priced from the cart as it was is refused.
    func lock(cart: String, now: Int) throws -> Bool {
        try sql.row("UPDATE carts SET updated_at = ?, version = version + 1 WHERE id = ? AND shop_id = ? RETURNING id", now, cart, shop) != nil
    }

    /// Whether the cart is at `version` (an order priced from that version may be stored).
    func isAt(cart: String, version: Int) throws -> Bool {
        try sql.row("SELECT 1 FROM carts WHERE id = ? AND shop_id = ? AND version = ?", cart, shop, version) != nil
    }

    /// A cart with its lines in the order they were added, in one statement (so one snapshot even
    /// outside a transaction: `CheckoutStorage.lookup`); nil when there is no such cart.
    func find(_ id: String) throws -> StoredCart? {
        let rows = try sql.rows("""
            SELECT c.coupon, c.version, l.id, l.sku, l.quantity, l.amount FROM carts c LEFT JOIN cart_lines l ON l.cart_id = c.id
            WHERE c.id = ? AND c.shop_id = ? ORDER BY l.position, l.id
            """, id, shop)
        guard let first = rows.first else { return nil }
        var lines: [CartLineRequest] = []
        for row in rows {
            guard let lineID: String = try row[2] else { continue }
            lines.append(CartLineRequest(id: lineID, sku: try row[3], quantity: try row[4], amount: try row[5]))
        }
        return StoredCart(id: id, coupon: try first[0], lines: lines, version: try first[1])
    }
}
