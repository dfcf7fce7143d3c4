import ShopCore

/// A period of the dashboard: `[from, to)` in seconds since 1970, cut into days that start at
/// midnight in the shop's time zone (`offset` seconds east of UTC, taken at the period's end).
struct DashboardPeriod: Sendable, Equatable {
    let from: Int
    let to: Int
    let offset: Int

    /// The day number (days since 1970 in the shop's zone) of each day in the period, oldest first.
    var days: [Int] {
        let first = (from + offset) / 86400
        let last = (to - 1 + offset) / 86400
        return first <= last ? Array(first...last) : []
    }
}

/// What the dashboard's ten panels are made from, read in one transaction (`DashboardQueries.read`).
/// Amounts are minor units; `day` is a day number of `DashboardPeriod.days`.
struct DashboardData: Sendable {
    var paidByDay: [(day: Int, currency: String, orders: Int, amount: Int64)] = []
    var createdByDay: [(day: Int, orders: Int)] = []
    var carts = 0
    var activeSubscriptions: [(plan: String, status: String, count: Int)] = []
    var canceledInPeriod = 0
    var leadsByDay: [(day: Int, created: Int, confirmed: Int)] = []
    var topProducts: [(sku: String, title: String, currency: String, quantity: Int64, amount: Int64)] = []
    var refundsByDay: [(day: Int, currency: String, count: Int, amount: Int64)] = []
    var downloadedFiles = 0
    var downloads: Int64 = 0
    var deliveriesByStatus: [(status: String, count: Int)] = []
}

/// The dashboard's queries. Each reads one period through an index made for it
/// (`PortableSchema.admin`): the paid-order figures from `orders_shop_paid`, which covers them, so
/// the table itself is never read for revenue; a period of a shop with a million orders reads the
/// period's rows only (`bench/run --dashboard` measures it).
struct DashboardQueries {
    let sql: any SQLStatements
    let shop: String

    func read(_ period: DashboardPeriod) throws -> DashboardData {
        var data = DashboardData()
        let (offset, from, to) = (period.offset, period.from, period.to)
        data.paidByDay = try sql.rows("""
            SELECT (paid_at + ?1) / 86400, currency, COUNT(*), CAST(SUM(total) AS BIGINT) FROM orders
            WHERE shop_id = ?2 AND paid_at >= ?3 AND paid_at < ?4 GROUP BY 1, 2 ORDER BY 1, 2
            """, offset, shop, from, to).map { (try $0[0], try $0[1], try $0[2], try $0[3]) }
        data.createdByDay = try sql.rows("""
            SELECT (created_at + ?1) / 86400, COUNT(*) FROM orders WHERE shop_id = ?2 AND created_at >= ?3 AND created_at < ?4
            GROUP BY 1 ORDER BY 1
            """, offset, shop, from, to).map { (try $0[0], try $0[1]) }
        data.carts = try sql.value("SELECT COUNT(*) FROM carts WHERE shop_id = ? AND created_at >= ? AND created_at < ?", shop, from, to) ?? 0
        data.activeSubscriptions = try sql.rows("""
            SELECT plan, status, COUNT(*) FROM subscriptions WHERE shop_id = ? AND status IN ('active', 'trialing', 'past_due')
            GROUP BY plan, status ORDER BY plan, status
            """, shop).map { (try $0[0], try $0[1], try $0[2]) }
        data.canceledInPeriod = try sql.value(
            "SELECT COUNT(*) FROM subscriptions WHERE shop_id = ? AND status = 'canceled' AND status_at >= ? AND status_at < ?", shop, from, to) ?? 0
        data.leadsByDay = try sql.rows("""
            SELECT (created_at + ?1) / 86400, COUNT(*), COUNT(confirmed_at) FROM leads WHERE shop_id = ?2 AND created_at >= ?3 AND created_at < ?4
            GROUP BY 1 ORDER BY 1
            """, offset, shop, from, to).map { (try $0[0], try $0[1], try $0[2]) }
        data.topProducts = try sql.rows("""
            SELECT l.sku, MIN(l.title), o.currency, CAST(SUM(l.quantity) AS BIGINT), CAST(SUM(l.total - l.discount) AS BIGINT)
            FROM orders o JOIN order_lines l ON l.order_id = o.id
            WHERE o.shop_id = ? AND o.paid_at >= ? AND o.paid_at < ? GROUP BY l.sku, o.currency ORDER BY 5 DESC, 1 LIMIT 10
            """, shop, from, to).map { (try $0[0], try $0[1], try $0[2], try $0[3], try $0[4]) }
        data.refundsByDay = try sql.rows("""
            SELECT (r.created_at + ?1) / 86400, o.currency, COUNT(*), CAST(SUM(r.amount) AS BIGINT)
            FROM refunds r JOIN orders o ON o.id = r.order_id AND o.shop_id = r.shop_id
            WHERE r.shop_id = ?2 AND r.created_at >= ?3 AND r.created_at < ?4 GROUP BY 1, 2 ORDER BY 1, 2
            """, offset, shop, from, to).map { (try $0[0], try $0[1], try $0[2], try $0[3]) }
        if let row = try sql.row("""
            SELECT COUNT(*), CAST(COALESCE(SUM(count), 0) AS BIGINT) FROM downloads WHERE shop_id = ? AND last_at >= ? AND last_at < ?
            """, shop, from, to) {
            data.downloadedFiles = try row[0]
            data.downloads = try row[1]
        }
        data.deliveriesByStatus = try sql.rows("""
            SELECT status, COUNT(*) FROM line_deliveries WHERE shop_id = ? AND updated_at >= ? AND updated_at < ? GROUP BY status ORDER BY status
            """, shop, from, to).map { (try $0[0], try $0[1]) }
        return data
    }
}
