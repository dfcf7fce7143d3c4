import ShopCore

/// One shop's memberships (`subscriptions`) as the provider's events left them. Each field keeps the value of
/// the newest event that set it, with that event's time and id beside it.
struct SubscriptionRecords {
    let sql: any SQLStatements
    let shop: String

    struct Subscription {
        let id: String
        let providerID: String?
        let orderID: String?
        let email: String
        let plan: String
        let status: SubscriptionStatus?
        let statusAt: Int
        let statusEvent: String
        let currentPeriodEnd: Int
        let cancelAtPeriodEnd: Bool
        let cancelAt: Int
        let cancelEvent: String
        let createdAt: Int
    }

    static let columns = """
        id, provider_id, order_id, email, plan, status, status_at, status_event, current_period_end, cancel_at_period_end,
        cancel_at, cancel_event, created_at
        """

    /// The membership the provider calls `providerID`, held until the transaction ends, so two events
    /// about it take turns (each keeps the newest value by event time, which needs the current one).
    func lock(providerID: String) throws -> Subscription? {
        try sql.row("UPDATE subscriptions SET status = status WHERE provider_id = ? AND shop_id = ? RETURNING \(Self.columns)", providerID, shop).map(Self.subscription)
    }

    func find(providerID: String) throws -> Subscription? {
        try sql.row("SELECT \(Self.columns) FROM subscriptions WHERE provider_id = ? AND shop_id = ?", providerID, shop).map(Self.subscription)
    }

    func find(_ id: String) throws -> Subscription? {
        try sql.row("SELECT \(Self.columns) FROM subscriptions WHERE id = ? AND shop_id = ?", id, shop).map(Self.subscription)
    }

    /// The memberships of `email`, newest first.
    func all(email: String) throws -> [Subscription] {
        try sql.rows("SELECT \(Self.columns) FROM subscriptions WHERE email = ? AND shop_id = ? ORDER BY created_at DESC, id", email, shop).map(Self.subscription)
    }

    /// Creates a membership in the `incomplete` state, linked to the order that started it.
    func add(providerID: String, order: String, email: String, plan: String, at time: Int) throws {
        try sql.run("""
            INSERT INTO subscriptions (shop_id, id, provider_id, order_id, email, plan, status, status_at, created_at)
            VALUES (?6, ?1, ?1, ?2, ?3, ?4, 'incomplete', 0, ?5) ON CONFLICT DO NOTHING
            """, providerID, order, email, plan, time, shop)
    }

    func setStatus(_ id: String, _ status: SubscriptionStatus, at time: Int, event: String) throws {
        try sql.run("UPDATE subscriptions SET status = ?, status_at = ?, status_event = ? WHERE id = ? AND shop_id = ?", status.rawValue, time, event, id, shop)
    }

    /// Moves the paid period's end to `end` (seconds since 1970) if that is later; it never moves back.
    func extendPeriod(_ id: String, to end: Int) throws {
        try sql.run(
            "UPDATE subscriptions SET current_period_end = CASE WHEN current_period_end > ?1 THEN current_period_end ELSE ?1 END WHERE id = ?2 AND shop_id = ?3",
            end, id, shop)
    }

    func setCancelAtPeriodEnd(_ id: String, _ cancel: Bool, at time: Int, event: String) throws {
        try sql.run(
            "UPDATE subscriptions SET cancel_at_period_end = ?, cancel_at = ?, cancel_event = ? WHERE id = ? AND shop_id = ?", cancel, time, event, id,
            shop)
    }

    func facts(email: String) throws -> [SubscriptionFact] {
        try sql.rows("SELECT id, plan, status, current_period_end FROM subscriptions WHERE email = ? AND shop_id = ?", email, shop).map(Self.fact)
    }

    private static func fact(_ row: SQLRow) throws -> SubscriptionFact {
        SubscriptionFact(
            id: try row[0], plan: try row[1], status: SubscriptionStatus(rawValue: try row[2]) ?? .incomplete, currentPeriodEnd: try row[3])
    }

    static func subscription(_ row: SQLRow) throws -> Subscription {
        Subscription(
            id: try row[0], providerID: try row[1], orderID: try row[2], email: try row[3], plan: try row[4],
            status: SubscriptionStatus(rawValue: try row[5]), statusAt: try row[6], statusEvent: try row[7], currentPeriodEnd: try row[8],
            cancelAtPeriodEnd: try row[9], cancelAt: try row[10], cancelEvent: try row[11], createdAt: try row[12])
    }
}
