import ShopCore

/// An order as the admin list shows it.
struct OrderSummary: Sendable {
    let id: String
    let email: String
    let kind: String
    let status: String
    let currency: String
    /// Minor units.
    let total: Int64
    let amountRefunded: Int64
    /// Seconds since 1970.
    let createdAt: Int
    let paidAt: Int?
}

/// What the admin order list filters by; every field optional.
struct OrderFilter: Sendable {
    var status: String?
    /// An exact address.
    var email: String?
    /// Created at or after, and before (seconds since 1970).
    var from: Int?
    var to: Int?
    /// Orders with a line of this SKU.
    var product: String?
}

/// The lists the admin API and console page through: orders, customers, subscriptions, leads.
/// Each pages by a cursor (the last row's id or address), newest or alphabetical first, and reads
/// through an index (`PortableSchema.admin`).
struct AdminQueries {
    let sql: any SQLStatements
    let shop: String

    /// Orders newest first matching `filter`, after the order `cursor` (its id) when given.
    func orders(_ filter: OrderFilter, after cursor: String?, limit: Int) throws -> [OrderSummary] {
        var conditions = ["o.shop_id = ?"]
        var arguments: [SQLValue] = [shop.sqlValue]
        func add(_ condition: String, _ values: any SQLBindable...) {
            conditions.append(condition)
            arguments += values.map(\.sqlValue)
        }
        if let status = filter.status { add("o.status = ?", status) }
        if let email = filter.email { add("o.email = ?", email) }
        if let from = filter.from { add("o.created_at >= ?", from) }
        if let to = filter.to { add("o.created_at < ?", to) }
        if let product = filter.product {
            add("EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id AND l.shop_id = o.shop_id AND l.sku = ?)", product)
        }
        if let (condition, values) = try Self.after(cursor, in: "orders", at: "created_at", alias: "o.", sql: sql, shop: shop) {
            conditions.append(condition)
            arguments += values
        }
        arguments.append(limit.sqlValue)
        return try sql.query("""
            SELECT o.id, o.email, o.kind, o.status, o.currency, o.total, o.amount_refunded, o.created_at, o.paid_at FROM orders o
            WHERE \(conditions.joined(separator: " AND ")) ORDER BY o.created_at DESC, o.id DESC LIMIT ?
            """, arguments
        ).map {
            OrderSummary(
                id: try $0[0], email: try $0[1], kind: try $0[2], status: try $0[3], currency: try $0[4], total: try $0[5],
                amountRefunded: try $0[6], createdAt: try $0[7], paidAt: try $0[8])
        }
    }

    /// Addresses that ordered, subscribed or asked for a lead magnet, alphabetically after `cursor`,
    /// starting with `search` when given (a prefix, so each source is read as a range of its
    /// `(shop_id, email)` index: a substring search would read every address of a million orders).
    /// Each source is read in index order up to `limit`, then merged.
    func customers(search: String?, after cursor: String?, limit: Int) throws -> [String] {
        let prefix = search?.lowercased() ?? ""
        // Every address that starts with `prefix` sorts below it followed by the highest code point.
        let upper = prefix + "\u{10FFFF}"
        var found = Set<String>()
        for table in ["orders", "subscriptions", "leads"] {
            found.formUnion(try sql.values(
                "SELECT DISTINCT email FROM \(table) WHERE shop_id = ? AND email >= ? AND email > ? AND email < ? ORDER BY email LIMIT ?",
                shop, prefix, cursor ?? "", upper, limit) as [String])
        }
        return Array(found.sorted().prefix(limit))
    }

    /// The condition that keeps a newest-first list's rows after the row `cursor` names (by its time
    /// column `at`, then its id: the keyset its index is ordered by), and its values; nil without a cursor.
    /// - Throws: `CheckoutError.invalid` naming `cursor` when no row of `table` has that id.
    static func after(
        _ cursor: String?, in table: String, at column: String, alias: String = "", sql: any SQLStatements, shop: String
    ) throws -> (String, [SQLValue])? {
        guard let cursor else { return nil }
        guard let time: Int = try sql.value("SELECT \(column) FROM \(table) WHERE id = ? AND shop_id = ?", cursor, shop) else { throw unknown(cursor) }
        return ("(\(alias)\(column) < ? OR (\(alias)\(column) = ? AND \(alias)id < ?))", [time.sqlValue, time.sqlValue, cursor.sqlValue])
    }

    /// A `cursor` that names no row of the list.
    static func unknown(_ cursor: String) -> CheckoutError {
        .invalid(field: "cursor", message: "cursor \(Quoted(cursor)) is not a row of this list: use the next_cursor of the page before")
    }

    /// What a customer list row shows: paid orders, what they spent per currency, their last order.
    func customerSummary(_ email: String) throws -> (orders: Int, spent: [(currency: String, amount: Int64)], lastOrderAt: Int?) {
        let rows = try sql.rows("""
            SELECT currency, COUNT(*), CAST(SUM(total - amount_refunded) AS BIGINT), MAX(created_at) FROM orders
            WHERE shop_id = ? AND email = ? AND paid_at IS NOT NULL GROUP BY currency ORDER BY currency
            """, shop, email)
        var count = 0
        var last: Int?
        var spent: [(String, Int64)] = []
        for row in rows {
            count += try row[1] as Int
            spent.append((try row[0], try row[2]))
            let at: Int = try row[3]
            last = max(last ?? at, at)
        }
        return (count, spent, last)
    }

    /// Subscriptions newest first, optionally of one status, after the subscription `cursor`.
    func subscriptions(status: String?, after cursor: String?, limit: Int) throws -> [SubscriptionRecords.Subscription] {
        var conditions = ["shop_id = ?"]
        var arguments: [SQLValue] = [shop.sqlValue]
        if let status {
            conditions.append("status = ?")
            arguments.append(status.sqlValue)
        }
        if let (condition, values) = try Self.after(cursor, in: "subscriptions", at: "created_at", sql: sql, shop: shop) {
            conditions.append(condition)
            arguments += values
        }
        arguments.append(limit.sqlValue)
        return try sql.query(
            "SELECT \(SubscriptionRecords.columns) FROM subscriptions WHERE \(conditions.joined(separator: " AND ")) ORDER BY created_at DESC, id DESC LIMIT ?",
            arguments
        ).map(SubscriptionRecords.subscription)
    }

    struct LeadRow: Sendable {
        let id: String
        let email: String
        let magnet: String
        let createdAt: Int
        let confirmedAt: Int?
    }

    /// Leads newest first after the lead `cursor`; `email` limits them to one address.
    func leads(email: String? = nil, after cursor: String?, limit: Int) throws -> [LeadRow] {
        var conditions = ["shop_id = ?"]
        var arguments: [SQLValue] = [shop.sqlValue]
        if let email {
            conditions.append("email = ?")
            arguments.append(email.sqlValue)
        }
        if let (condition, values) = try Self.after(cursor, in: "leads", at: "created_at", sql: sql, shop: shop) {
            conditions.append(condition)
            arguments += values
        }
        arguments.append(limit.sqlValue)
        return try sql.query(
            "SELECT id, email, magnet, created_at, confirmed_at FROM leads WHERE \(conditions.joined(separator: " AND ")) ORDER BY created_at DESC, id DESC LIMIT ?",
            arguments
        ).map { LeadRow(id: try $0[0], email: try $0[1], magnet: try $0[2], createdAt: try $0[3], confirmedAt: try $0[4]) }
    }

    /// The entitlement log of `email`, oldest first: item, change (`granted`/`revoked`), cause, time.
    func entitlementLog(email: String) throws -> [(item: String, change: String, cause: String, at: Int)] {
        try sql.rows("SELECT item, change, cause, at FROM entitlement_log WHERE email = ? AND shop_id = ? ORDER BY sequence", email, shop).map {
            (try $0[0], try $0[1], try $0[2], try $0[3])
        }
    }

    /// Unexpired console-less sign-in sessions of `email`: when each began and ends (never the secret).
    func sessions(email: String, now: Int) throws -> [(createdAt: Int, expiresAt: Int)] {
        try sql.rows("SELECT created_at, expires_at FROM sessions WHERE email = ? AND shop_id = ? AND expires_at >= ? ORDER BY created_at DESC",
                     email, shop, now).map { (try $0[0], try $0[1]) }
    }

    /// The refunds of an order: id, line, amount (minor units), time.
    func refunds(order: String) throws -> [(id: String, line: String?, amount: Int64, at: Int)] {
        try sql.rows("SELECT id, line_id, amount, created_at FROM refunds WHERE order_id = ? AND shop_id = ? ORDER BY created_at, id", order, shop).map {
            (try $0[0], try $0[1], try $0[2], try $0[3])
        }
    }
}
