import Foundation
import ShopCore

/// One shop's licence keys (`license_keys`): a pool per SKU, imported with `checkout keys import`
/// or made from the product's pattern, each assigned to at most one delivery, revoked with a refund.
struct LicenseKeyRecords {
    let sql: any SQLStatements
    let shop: String

    /// Adds `keys` to `sku`'s pool, to be handed out in this order after the keys already there; a
    /// key already there (any state) is skipped. Returns how many were added.
    func add(sku: String, keys: [String], now: Int) throws -> Int {
        var added = 0
        // Ids one millisecond apart from now on keep the file's order (ordered ids share a millisecond otherwise).
        let start = UInt64(Date().timeIntervalSince1970 * 1000)
        for (offset, key) in keys.enumerated() where try sql.row("""
            INSERT INTO license_keys (shop_id, id, sku, key, state, created_at) VALUES (?, ?, ?, ?, 'available', ?)
            ON CONFLICT DO NOTHING RETURNING id
            """, shop, RandomToken.makeOrdered(prefix: "key_", milliseconds: start + UInt64(offset)), sku, key, now) != nil {
            added += 1
        }
        return added
    }

    /// Assigns up to `count` keys of `sku`'s pool to `delivery`, oldest first, and returns them.
    /// The SKU's lock row (`StockRecords.lock`) is held first, so two payments never take one key.
    func assign(sku: String, count: Int, to delivery: String, now: Int) throws -> [String] {
        guard count > 0 else { return [] }
        try StockRecords(sql: sql, shop: shop).lock("keys:" + sku)
        let ids: [String] = try sql.values("""
            SELECT id FROM license_keys WHERE shop_id = ? AND sku = ? AND state = 'available' ORDER BY id LIMIT ?
            """, shop, sku, count)
        for id in ids {
            try sql.run(
                "UPDATE license_keys SET state = 'assigned', delivery_id = ?, assigned_at = ? WHERE id = ? AND shop_id = ? AND state = 'available'",
                delivery, now, id, shop)
        }
        return try keys(of: delivery)
    }

    /// Stores a key made for `delivery` (from the product's pattern) as assigned to it.
    func addAssigned(sku: String, key: String, to delivery: String, now: Int) throws {
        try sql.run("""
            INSERT INTO license_keys (shop_id, id, sku, key, state, delivery_id, created_at, assigned_at) VALUES (?, ?, ?, ?, 'assigned', ?, ?, ?)
            """, shop, RandomToken.makeOrdered(prefix: "key_"), sku, key, delivery, now, now)
    }

    func keys(of delivery: String) throws -> [String] {
        try sql.values("SELECT key FROM license_keys WHERE delivery_id = ? AND shop_id = ? ORDER BY id", delivery, shop)
    }

    /// The keys of each of `deliveries`, revoked ones included (the account shows them as revoked).
    func keys(of deliveries: [String]) throws -> [String: [String]] {
        var keys: [String: [String]] = [:]
        for delivery in deliveries { keys[delivery] = try self.keys(of: delivery) }
        return keys
    }

    func revoke(delivery: String) throws {
        try sql.run("UPDATE license_keys SET state = 'revoked' WHERE delivery_id = ? AND shop_id = ?", delivery, shop)
    }

    /// Keys left in `sku`'s pool.
    func available(sku: String) throws -> Int {
        Int(try sql.value("SELECT CAST(COUNT(*) AS BIGINT) FROM license_keys WHERE shop_id = ? AND sku = ? AND state = 'available'", shop, sku) as Int64? ?? 0)
    }
}
