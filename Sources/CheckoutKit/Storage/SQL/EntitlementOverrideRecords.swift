import ShopCore

/// An entitlement granted or taken away by hand, with who did it and why.
public struct EntitlementOverride: Sendable, Equatable {
    public enum Effect: String, Sendable { case grant, revoke }
    public let id: String
    public let email: String
    /// `product:SKU` or `magnet:slug`.
    public let item: String
    public let effect: Effect
    /// For a revocation: the causes it takes away (`order:…`, `subscription:…`), those in force when
    /// it was made; a purchase after it grants the item again.
    public let causes: [String]
    public let reason: String
    public let actor: String
    public let createdAt: Int
}

/// Entitlements granted or revoked by hand (`entitlement_overrides`). An override stays in force
/// until it is ended (by the opposite override for the same item); ended ones stay as history.
struct EntitlementOverrideRecords {
    let sql: any SQLStatements
    let shop: String

    /// The overrides in force for `email`.
    func active(email: String) throws -> [EntitlementOverride] {
        try sql.rows("""
            SELECT id, email, item, effect, reason, actor, created_at, causes FROM entitlement_overrides
            WHERE email = ? AND shop_id = ? AND ended_at IS NULL ORDER BY created_at, id
            """, email, shop
        ).map {
            let causes: String = try $0[7]
            return EntitlementOverride(
                id: try $0[0], email: try $0[1], item: try $0[2], effect: EntitlementOverride.Effect(rawValue: try $0[3]) ?? .grant,
                causes: causes.isEmpty ? [] : causes.split(separator: " ").map(String.init), reason: try $0[4], actor: try $0[5],
                createdAt: try $0[6])
        }
    }

    /// Puts `effect` on `item` in force for `email`, ending any override of the item before it.
    func set(
        _ effect: EntitlementOverride.Effect, item: String, causes: [String] = [], email: String, reason: String, actor: String, now: Int
    ) throws -> String {
        try end(item: item, email: email, actor: actor, now: now)
        let id = RandomToken.makeOrdered(prefix: "eo_")
        try sql.run("""
            INSERT INTO entitlement_overrides (shop_id, id, email, item, effect, causes, reason, actor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, shop, id, email, item, effect.rawValue, causes.joined(separator: " "), reason, actor, now)
        return id
    }

    func end(item: String, email: String, actor: String, now: Int) throws {
        try sql.run("""
            UPDATE entitlement_overrides SET ended_at = ?, ended_by = ? WHERE email = ? AND item = ? AND shop_id = ? AND ended_at IS NULL
            """, now, actor, email, item, shop)
    }
}
