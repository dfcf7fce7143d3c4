import ShopCore

/// What the scrape-time gauges of `/metrics` count, for one shop (`shop`) or, in a multi-shop
/// deployment, for every shop at once, grouped by shop: one statement a gauge for the whole
/// deployment instead of one a gauge and shop, so a scrape of 2,000 shops stays one scrape.
struct GaugeRecords {
    let sql: any SQLStatements
    let shop: String

    /// Orders by status, subscriptions' facts and the payment-event backlog of one shop.
    struct Facts: Sendable {
        var orders: [String: Int] = [:]
        var subscriptions: [SubscriptionFact] = []
        var pendingEvents = 0
        var failingEvents = 0
        /// Licence keys left in each SKU's pool (SKUs with none left are absent).
        var licenseKeys: [String: Int] = [:]
        /// When the oldest unprocessed payment event arrived (seconds since 1970; nil: none).
        var oldestPendingEvent: Int?
        /// Outgoing webhook deliveries not yet delivered nor given up, and when the oldest was queued.
        var pendingDeliveries = 0
        var oldestPendingDelivery: Int?
        /// Emails neither sent nor failed for good, and when the oldest was queued.
        var pendingEmails = 0
        var oldestPendingEmail: Int?
        /// Paid lines' deliveries by status (`DeliveryStatus`).
        var deliveries: [String: Int] = [:]
    }

    /// This transaction's shop's facts.
    func facts() throws -> Facts {
        try facts(where: "WHERE shop_id = ?", [shop.sqlValue])[shop] ?? Facts()
    }

    /// Every shop's facts, by shop id; a shop with no rows has none.
    func everyShop() throws -> [String: Facts] {
        try facts(where: "", [])
    }

    private func facts(where filter: String, _ arguments: [SQLValue]) throws -> [String: Facts] {
        var facts: [String: Facts] = [:]
        for row in try sql.query("SELECT shop_id, status, COUNT(*) FROM orders \(filter) GROUP BY shop_id, status", arguments) {
            facts[try row[0], default: Facts()].orders[try row[1]] = try row[2]
        }
        for row in try sql.query("SELECT shop_id, id, plan, status, current_period_end FROM subscriptions \(filter)", arguments) {
            facts[try row[0], default: Facts()].subscriptions.append(SubscriptionFact(
                id: try row[1], plan: try row[2], status: SubscriptionStatus(rawValue: try row[3]) ?? .incomplete, currentPeriodEnd: try row[4]))
        }
        let backlog = """
            SELECT shop_id, COUNT(*), COALESCE(SUM(CASE WHEN attempts > 0 THEN 1 ELSE 0 END), 0), MIN(received_at) FROM webhook_events
            \(filter.isEmpty ? "WHERE" : filter + " AND") processed_at IS NULL GROUP BY shop_id
            """
        for row in try sql.query(backlog, arguments) {
            facts[try row[0], default: Facts()].pendingEvents = try row[1]
            facts[try row[0], default: Facts()].failingEvents = try row[2]
            facts[try row[0], default: Facts()].oldestPendingEvent = try row[3]
        }
        let and = filter.isEmpty ? "WHERE" : filter + " AND"
        for row in try sql.query("SELECT shop_id, COUNT(*), MIN(created_at) FROM webhook_deliveries \(and) status = 'pending' GROUP BY shop_id", arguments) {
            facts[try row[0], default: Facts()].pendingDeliveries = try row[1]
            facts[try row[0], default: Facts()].oldestPendingDelivery = try row[2]
        }
        let emails = "SELECT shop_id, COUNT(*), MIN(created_at) FROM outbox \(and) sent_at IS NULL AND failed_at IS NULL GROUP BY shop_id"
        for row in try sql.query(emails, arguments) {
            facts[try row[0], default: Facts()].pendingEmails = try row[1]
            facts[try row[0], default: Facts()].oldestPendingEmail = try row[2]
        }
        for row in try sql.query("SELECT shop_id, status, COUNT(*) FROM line_deliveries \(filter) GROUP BY shop_id, status", arguments) {
            facts[try row[0], default: Facts()].deliveries[try row[1]] = try row[2]
        }
        let keys = """
            SELECT shop_id, sku, COUNT(*) FROM license_keys \(filter.isEmpty ? "WHERE" : filter + " AND") state = 'available' GROUP BY shop_id, sku
            """
        for row in try sql.query(keys, arguments) {
            facts[try row[0], default: Facts()].licenseKeys[try row[1]] = try row[2]
        }
        return facts
    }
}
