/// A checkout's one write on PostgreSQL as one statement: the idempotency key, the order and its
/// lines in data-modifying CTEs, committed on their own (no BEGIN and COMMIT round trips). Measured
/// (bench/, 2 cores, 64 connections): a checkout is then two statements (the cart, this) instead of
/// five, which is most of what PostgreSQL and postgres-nio spend on it. The same statement checks that
/// the cart is still at the version the order was priced from, so checking costs no round trip.
extension PostgresStorage {
    func insert(
        _ order: StoredOrder, shop: String, cart: (id: String, version: Int)?, idempotency: (key: String, requestHash: String)?, now: Int
    ) async throws -> OrderInsertion {
        let cartID = cart?.id
        var values: [SQLValue] = []
        // Typed placeholders: in `SELECT * FROM (VALUES …)` nothing else tells PostgreSQL a parameter's
        // type when it prepares the statement.
        func placeholder(_ value: SQLValue) -> String {
            values.append(value)
            switch value {
            case .integer: return "$\(values.count)::bigint"
            case .blob: return "$\(values.count)::bytea"
            case .text, .null: return "$\(values.count)::text"
            }
        }
        func placeholders(_ row: [SQLValue]) -> String {
            "(" + row.map(placeholder).joined(separator: ", ") + ")"
        }
        let orderRow = placeholders([
            shop.sqlValue, order.id.sqlValue, order.token.sqlValue, order.email.sqlValue, order.kind.sqlValue, order.status.rawValue.sqlValue,
            order.currency.sqlValue, order.subtotal.sqlValue, order.discount.sqlValue, order.total.sqlValue, order.coupon.sqlValue,
            cartID.sqlValue, order.provider.sqlValue, order.createdAt.sqlValue, order.paymentSessionID.sqlValue, order.paymentURL.sqlValue,
        ])
        let lineRows = order.lines.enumerated().map { position, line in
            placeholders([
                shop.sqlValue, line.id.sqlValue, order.id.sqlValue, position.sqlValue, line.sku.sqlValue, line.kind.rawValue.sqlValue, line.title.sqlValue,
                line.option.sqlValue, line.unitPrice.sqlValue, line.quantity.sqlValue, line.total.sqlValue, line.discount.sqlValue,
                line.grants.joined(separator: ",").sqlValue,
            ])
        }
        let orderColumns = """
            shop_id, id, token, email, kind, status, currency, subtotal, discount, total, coupon, cart_id, provider, created_at,
            payment_session_id, payment_url
            """
        let lineColumns = "shop_id, id, order_id, position, sku, kind, title, option, unit_price, quantity, total, discount, grants"
        // Nothing is stored unless the cart is still at the version the order was priced from (read
        // in this statement's snapshot: a change committed after it comes after the order).
        var cartIsCurrent = "TRUE"
        if let cart {
            let (id, cartShop, version) = (placeholder(cart.id.sqlValue), placeholder(shop.sqlValue), placeholder(cart.version.sqlValue))
            cartIsCurrent = "EXISTS (SELECT 1 FROM carts WHERE id = \(id) AND shop_id = \(cartShop) AND version = \(version))"
        }
        var statement: String
        if let idempotency {
            let keyRow = placeholders([shop.sqlValue, idempotency.key.sqlValue, idempotency.requestHash.sqlValue, order.id.sqlValue, now.sqlValue])
            // Nothing is inserted when the key was claimed before (a request with it at once waits
            // here for that one to commit, then finds its row).
            statement = """
                WITH k AS (INSERT INTO idempotency_keys (shop_id, key, request_hash, order_id, created_at)
                           SELECT * FROM (VALUES \(keyRow)) AS v WHERE \(cartIsCurrent)
                           ON CONFLICT DO NOTHING RETURNING key),
                     o AS (INSERT INTO orders (\(orderColumns)) SELECT * FROM (VALUES \(orderRow)) AS v WHERE EXISTS (SELECT 1 FROM k) RETURNING id)
                """
        } else {
            statement = """
                WITH o AS (INSERT INTO orders (\(orderColumns)) SELECT * FROM (VALUES \(orderRow)) AS v WHERE \(cartIsCurrent) RETURNING id)
                """
        }
        if !lineRows.isEmpty {
            statement += """
                , l AS (INSERT INTO order_lines (\(lineColumns))
                        SELECT * FROM (VALUES \(lineRows.joined(separator: ", "))) AS v WHERE EXISTS (SELECT 1 FROM o))
                """
        }
        statement += " SELECT COUNT(*) FROM o"
        let (sql, arguments) = (statement, values)
        let inserted = try await query(sql, arguments).first.map { try $0[0] as Int } ?? 0
        guard inserted == 0 else { return .inserted }
        guard let key = idempotency?.key,
              let earlier = try await query(
                "SELECT request_hash, order_id FROM idempotency_keys WHERE key = ? AND shop_id = ?", [key.sqlValue, shop.sqlValue]).first
        else { return .cartChanged }
        return .keyClaimedBefore(requestHash: try earlier[0], orderID: try earlier[1])
    }
}
