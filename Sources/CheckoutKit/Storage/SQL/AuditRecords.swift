import ShopCore

/// One admin write as the audit log keeps it.
public struct AuditEntry: Sendable, Equatable {
    public let id: String
    /// Seconds since 1970.
    public let at: Int
    /// `key:ID (name)`, `staff:EMAIL`, `admin-token` or `cli`.
    public let actor: String
    public let role: String
    /// What was done, e.g. `order.refund`, `entitlement.grant`, `webhook_endpoint.rotate_secret`.
    public let action: String
    /// What it was done to, e.g. `order:ord_…`, `customer:jane@example.com`.
    public let target: String
    /// JSON of the record before and after (nil when it did not exist before or after).
    public let before: String?
    public let after: String?
    public let reason: String?
}

/// The audit log (`audit_log`): append-only. Nothing in the service updates or deletes its rows;
/// neither the admin API nor the console has a route that could.
struct AuditRecords {
    let sql: any SQLStatements
    let shop: String

    func append(_ entry: AuditEntry) throws {
        try sql.run("""
            INSERT INTO audit_log (shop_id, id, at, actor, role, action, target, before, after, reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, shop, entry.id, entry.at, entry.actor, entry.role, entry.action, entry.target, entry.before, entry.after, entry.reason)
    }

    /// Entries newest first, older than the cursor entry `before` (its id) when given; optionally of one target.
    func entries(before cursor: String?, target: String?, limit: Int) throws -> [AuditEntry] {
        var conditions = ["shop_id = ?"]
        var arguments: [SQLValue] = [shop.sqlValue]
        if let (condition, values) = try AdminQueries.after(cursor, in: "audit_log", at: "at", sql: sql, shop: shop) {
            conditions.append(condition)
            arguments += values
        }
        if let target {
            conditions.append("target = ?")
            arguments.append(target.sqlValue)
        }
        arguments.append(limit.sqlValue)
        return try sql.query("""
            SELECT id, at, actor, role, action, target, before, after, reason FROM audit_log
            WHERE \(conditions.joined(separator: " AND ")) ORDER BY at DESC, id DESC LIMIT ?
            """, arguments
        ).map {
            AuditEntry(
                id: try $0[0], at: try $0[1], actor: try $0[2], role: try $0[3], action: try $0[4], target: try $0[5],
                before: try $0[6], after: try $0[7], reason: try $0[8])
        }
    }

    func count() throws -> Int {
        try sql.value("SELECT COUNT(*) FROM audit_log WHERE shop_id = ?", shop) ?? 0
    }
}
