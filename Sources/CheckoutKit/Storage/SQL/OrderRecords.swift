import ShopCore

/// Orders, their lines and idempotency keys (`orders`, `order_lines`, `idempotency_keys`) of one shop.
struct OrderRecords {
    let sql: any SQLStatements
    let shop: String

    /// Claims `key` for the order `orderID` about to be created; when the key was claimed before,
    /// returns that claim (its request digest and order) and claims nothing.
    func claim(idempotencyKey key: String, requestHash: String, orderID: String, now: Int) throws -> (requestHash: String, orderID: String)? {
        // Writing first (not reading first) keeps concurrent checkouts from conflicting on the key's
        // index; the same key at once waits for the first to commit, then finds its row.
        let claimed = try sql.row("""
            INSERT INTO idempotency_keys (shop_id, key, request_hash, order_id, created_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING RETURNING key
            """, shop, key, requestHash, orderID, now)
        guard claimed == nil else { return nil }
        guard let earlier = try idempotencyClaim(key) else {
            throw StorageConflict(reason: "idempotency key \(key) was claimed and then not found")
        }
        return earlier
    }

    /// The request digest and order an idempotency key was claimed for; nil when it was not.
    func idempotencyClaim(_ key: String) throws -> (requestHash: String, orderID: String)? {
        guard let row = try sql.row("SELECT request_hash, order_id FROM idempotency_keys WHERE key = ? AND shop_id = ?", key, shop) else { return nil }
        return (try row[0], try row[1])
    }

    /// Stores a new order and its lines as given.
    func insert(_ order: StoredOrder, cartID: String?) throws {
        try sql.run("""
            INSERT INTO orders (shop_id, id, token, email, kind, status, currency, subtotal, discount, total, coupon, cart_id,
                                provider, created_at, payment_session_id, payment_url)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            shop, order.id, order.token, order.email, order.kind, order.status.rawValue, order.currency, order.subtotal, order.discount,
            order.total, order.coupon, cartID, order.provider, order.createdAt, order.paymentSessionID, order.paymentURL)
        guard !order.lines.isEmpty else { return }
        // One statement for every line: a statement is a round trip to PostgreSQL, and a checkout is
        // a handful of them.
        let row = "(" + Array(repeating: "?", count: 13).joined(separator: ", ") + ")"
        var values: [SQLValue] = []
        for (position, line) in order.lines.enumerated() {
            values += [
                shop.sqlValue, line.id.sqlValue, order.id.sqlValue, position.sqlValue, line.sku.sqlValue, line.kind.rawValue.sqlValue, line.title.sqlValue,
                line.option.sqlValue, line.unitPrice.sqlValue, line.quantity.sqlValue, line.total.sqlValue, line.discount.sqlValue,
                line.grants.joined(separator: ",").sqlValue,
            ]
        }
        try sql.execute("""
            INSERT INTO order_lines (shop_id, id, order_id, position, sku, kind, title, option, unit_price, quantity, total, discount, grants)
            VALUES \(Array(repeating: row, count: order.lines.count).joined(separator: ", "))
            """, values)
    }

    func attachSession(order id: String, sessionID: String, url: String) throws {
        try sql.run("UPDATE orders SET payment_session_id = ?, payment_url = ? WHERE id = ? AND shop_id = ?", sessionID, url, id, shop)
    }

    func find(_ id: String) throws -> StoredOrder? {
        guard let row = try sql.row("""
            SELECT id, token, email, kind, status, currency, subtotal, discount, total, coupon, provider, payment_session_id,
                   payment_url, payment_intent, created_at, paid_at, amount_refunded
            FROM orders WHERE id = ? AND shop_id = ?
            """, id, shop)
        else { return nil }
        let lines = try sql.rows("""
            SELECT id, sku, kind, title, option, unit_price, quantity, total, discount, grants, refunded_at
            FROM order_lines WHERE order_id = ? AND shop_id = ? ORDER BY position
            """, id, shop
        ).map { line in
            let grants: String = try line[9]
            return StoredOrderLine(
                id: try line[0], sku: try line[1], kind: SellableKind(rawValue: try line[2]) ?? .product, title: try line[3],
                option: try line[4], unitPrice: try line[5], quantity: try line[6], total: try line[7], discount: try line[8],
                grants: grants.isEmpty ? [] : grants.split(separator: ",").map(String.init), refundedAt: try line[10])
        }
        return StoredOrder(
            id: try row[0], token: try row[1], email: try row[2], kind: try row[3], status: OrderStatus(rawValue: try row[4]) ?? .pending,
            currency: try row[5], subtotal: try row[6], discount: try row[7], total: try row[8], coupon: try row[9],
            provider: try row[10], paymentSessionID: try row[11], paymentURL: try row[12], paymentIntent: try row[13],
            createdAt: try row[14], paidAt: try row[15], amountRefunded: try row[16], lines: lines)
    }

    func id(forSession session: String) throws -> String? {
        try sql.value("SELECT id FROM orders WHERE payment_session_id = ? AND shop_id = ?", session, shop)
    }

    func id(forPaymentIntent intent: String) throws -> String? {
        try sql.value("SELECT id FROM orders WHERE payment_intent = ? AND shop_id = ?", intent, shop)
    }

    /// Paid orders of `email`, newest first.
    func paidIDs(email: String) throws -> [String] {
        try sql.values("SELECT id FROM orders WHERE email = ? AND shop_id = ? AND paid_at IS NOT NULL ORDER BY created_at DESC", email, shop)
    }

    /// The order's status, holding the order until the transaction ends: every change that reads an
    /// order's facts before writing (payment events, refunds) starts here, so two of them on one
    /// order take turns (on PostgreSQL; SQLite has one writer anyway). Nil when there is no such order.
    func lock(_ id: String) throws -> OrderStatus? {
        try (sql.value("UPDATE orders SET status = status WHERE id = ? AND shop_id = ? RETURNING status", id, shop) as String?).map { OrderStatus(rawValue: $0) ?? .pending }
    }

    func status(_ id: String) throws -> OrderStatus? {
        try (sql.value("SELECT status FROM orders WHERE id = ? AND shop_id = ?", id, shop) as String?).map { OrderStatus(rawValue: $0) ?? .pending }
    }

    func amountRefunded(_ id: String) throws -> Int64? {
        try sql.value("SELECT amount_refunded FROM orders WHERE id = ? AND shop_id = ?", id, shop)
    }

    /// The email and first line's SKU of an order (what a subscription it started needs).
    func buyerAndFirstSKU(_ id: String) throws -> (email: String, sku: String)? {
        guard let email: String = try sql.value("SELECT email FROM orders WHERE id = ? AND shop_id = ?", id, shop),
              let sku: String = try sql.value("SELECT sku FROM order_lines WHERE order_id = ? AND shop_id = ? ORDER BY position", id, shop)
        else { return nil }
        return (email, sku)
    }

    /// A payment fact, recorded once: `paid_at`, `failed_at` or `expired_at` keeps its first time.
    func recordOnce(_ fact: PaymentFact, at time: Int, order: String) throws {
        try sql.run("UPDATE orders SET \(fact.rawValue) = COALESCE(\(fact.rawValue), ?) WHERE id = ? AND shop_id = ?", time, order, shop)
    }

    enum PaymentFact: String {
        case paid = "paid_at", failed = "failed_at", expired = "expired_at"
    }

    func recordPaymentIntent(_ intent: String?, order: String) throws {
        try sql.run("UPDATE orders SET payment_intent = COALESCE(payment_intent, ?) WHERE id = ? AND shop_id = ?", intent, order, shop)
    }

    /// Raises the refunded amount to `amount` (the provider's running total); never lowers it.
    func raiseAmountRefunded(to amount: Int64, order: String) throws {
        try sql.run(
            "UPDATE orders SET amount_refunded = CASE WHEN amount_refunded > ?1 THEN amount_refunded ELSE ?1 END WHERE id = ?2 AND shop_id = ?3",
            amount, order, shop)
    }

    /// Raises the refunded amount to the sum of the order's refund rows; never lowers it.
    func raiseAmountRefundedToRefunds(order: String) throws {
        try raiseAmountRefunded(to: try RefundRecords(sql: sql, shop: shop).total(order: order), order: order)
    }

    /// Recomputes and stores an order's status from its recorded facts.
    @discardableResult
    func refreshStatus(_ id: String) throws -> OrderStatus? {
        guard let row = try sql.row("SELECT paid_at, failed_at, expired_at, amount_refunded, total FROM orders WHERE id = ? AND shop_id = ?", id, shop)
        else { return nil }
        let paid: Int? = try row[0], failed: Int? = try row[1], expired: Int? = try row[2]
        let status = OrderStatus.derive(
            paid: paid != nil, failed: failed != nil, expired: expired != nil, amountRefunded: try row[3], total: try row[4])
        try sql.run("UPDATE orders SET status = ? WHERE id = ? AND shop_id = ?", status.rawValue, id, shop)
        return status
    }

    /// Marks a line refunded at `time` if it is not yet; false when it already was (or is not the order's).
    func claimLineRefund(line: String, order: String, at time: Int) throws -> Bool {
        try sql.row("UPDATE order_lines SET refunded_at = ? WHERE id = ? AND order_id = ? AND shop_id = ? AND refunded_at IS NULL RETURNING id", time, line, order, shop) != nil
    }

    /// Undoes `claimLineRefund` made at `time`, unless a refund of the line was recorded since.
    func releaseLineRefund(line: String, claimedAt time: Int) throws {
        try sql.run("""
            UPDATE order_lines SET refunded_at = NULL
            WHERE id = ?1 AND shop_id = ?3 AND refunded_at = ?2 AND NOT EXISTS (SELECT 1 FROM refunds WHERE line_id = ?1)
            """, line, time, shop)
    }

    func markLineRefunded(line: String, at time: Int) throws {
        try sql.run("UPDATE order_lines SET refunded_at = ? WHERE id = ? AND shop_id = ?", time, line, shop)
    }
}

/// Refunds as recorded (`refunds`), one row per provider refund, of one shop.
struct RefundRecords {
    let sql: any SQLStatements
    let shop: String

    /// The sum of the order's recorded refunds, in minor units.
    func total(order: String) throws -> Int64 {
        try sql.value("SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM refunds WHERE order_id = ? AND shop_id = ?", order, shop) ?? 0
    }

    /// Records the provider's refund `providerRefundID` of a whole line, for the line's amount after
    /// discount; false when it was recorded before or the order has no such line.
    func recordLine(providerRefundID: String, order: String, line: String, at time: Int) throws -> Bool {
        try sql.row("""
            INSERT INTO refunds (shop_id, id, order_id, line_id, amount, provider_refund_id, created_at)
            SELECT o.shop_id, CAST(? AS TEXT), o.id, l.id, l.total - l.discount, CAST(? AS TEXT), CAST(? AS BIGINT)
            FROM orders o JOIN order_lines l ON l.order_id = o.id
            WHERE o.id = ? AND o.shop_id = ? AND l.id = ?
            ON CONFLICT DO NOTHING RETURNING id
            """, RandomToken.make(prefix: "ref_"), providerRefundID, time, order, shop, line) != nil
    }

    /// Records a refund of `amount` minor units; false when the provider's refund was recorded before.
    func record(providerRefundID: String, order: String, line: String, amount: Int64, at time: Int) throws -> Bool {
        try sql.row("""
            INSERT INTO refunds (shop_id, id, order_id, line_id, amount, provider_refund_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING RETURNING id
            """, shop, RandomToken.make(prefix: "ref_"), order, line, amount, providerRefundID, time) != nil
    }
}
