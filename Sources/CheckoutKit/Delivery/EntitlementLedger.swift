import GRDB
import ShopCore

/// Reads what is stored about a customer, works out their entitlements with `EntitlementRules`, and
/// records every grant and revocation with its cause.
struct EntitlementLedger: Sendable {
    let catalog: @Sendable () -> CatalogIndex
    /// Seconds a past-due subscription keeps access after its paid period ends.
    let grace: Int

    /// What `email` may download at `now`.
    func current(_ db: Database, email: String, now: Int) throws -> Set<Entitlement> {
        EntitlementRules.entitlements(
            purchases: try Self.purchases(db, email: email), subscriptions: try Self.subscriptions(db, email: email),
            leads: try Self.leads(db, email: email), catalog: catalog(), now: now, grace: grace)
    }

    /// Brings the recorded entitlements of `email` up to date; returns what was granted and revoked.
    func sync(_ db: Database, email: String, now: Int) throws -> (granted: [Entitlement], revoked: [Entitlement]) {
        let wanted = try current(db, email: email, now: now)
        let recorded = Set(try Row.fetchAll(db, sql: "SELECT item, cause FROM entitlements WHERE email = ?", arguments: [email])
            .map { Entitlement(item: $0[0], cause: $0[1]) })
        let granted = wanted.subtracting(recorded).sorted()
        let revoked = recorded.subtracting(wanted).sorted()
        for entitlement in granted {
            try db.execute(
                sql: "INSERT INTO entitlements (email, item, cause, granted_at) VALUES (?, ?, ?, ?)",
                arguments: [email, entitlement.item, entitlement.cause, now])
            try log(db, email: email, entitlement, change: "granted", now: now)
        }
        for entitlement in revoked {
            try db.execute(
                sql: "DELETE FROM entitlements WHERE email = ? AND item = ? AND cause = ?",
                arguments: [email, entitlement.item, entitlement.cause])
            try log(db, email: email, entitlement, change: "revoked", now: now)
        }
        return (granted, revoked)
    }

    private func log(_ db: Database, email: String, _ entitlement: Entitlement, change: String, now: Int) throws {
        try db.execute(
            sql: "INSERT INTO entitlement_log (email, item, change, cause, at) VALUES (?, ?, ?, ?, ?)",
            arguments: [email, entitlement.item, change, entitlement.cause, now])
    }

    static func purchases(_ db: Database, email: String) throws -> [PurchaseFact] {
        let sql = """
            SELECT o.id, l.id, l.grants,
                   o.status = 'refunded' OR EXISTS (SELECT 1 FROM refunds r WHERE r.line_id = l.id)
            FROM orders o JOIN order_lines l ON l.order_id = o.id
            WHERE o.email = ? AND o.kind = 'purchase' AND o.paid_at IS NOT NULL
            """
        return try Row.fetchAll(db, sql: sql, arguments: [email]).map { row in
            let grants: String = row[2]
            return PurchaseFact(
                orderID: row[0], lineID: row[1], grants: grants.split(separator: ",").map(String.init), refunded: row[3])
        }
    }

    static func subscriptions(_ db: Database, email: String) throws -> [SubscriptionFact] {
        try Row.fetchAll(db, sql: "SELECT id, plan, status, current_period_end FROM subscriptions WHERE email = ?", arguments: [email])
            .map { SubscriptionFact(id: $0[0], plan: $0[1], status: SubscriptionStatus(rawValue: $0[2]) ?? .incomplete, currentPeriodEnd: $0[3]) }
    }

    static func leads(_ db: Database, email: String) throws -> [LeadFact] {
        try Row.fetchAll(db, sql: "SELECT id, magnet, confirmed_at FROM leads WHERE email = ?", arguments: [email])
            .map { LeadFact(id: $0[0], magnet: $0[1], confirmed: ($0[2] as Int?) != nil) }
    }
}
