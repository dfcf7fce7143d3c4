import Foundation
import ShopCore

/// Everything one shop stores about a person, found by their address compared case-blind: what a
/// data subject's access request (GDPR art. 15, `CustomerExport`) reads and their erasure (art. 17,
/// `CustomerErasure`) removes or anonymises. Times are seconds since 1970, amounts minor units.
///
/// The tables that name a person: `orders`, `subscriptions` (by address); `leads`, `entitlements`,
/// `entitlement_log`, `entitlement_overrides`, `sessions`, `login_tokens`, `customer_locks`,
/// `outbox` (deleted on erasure); `rate_limits` (keys such as `lead-email:ADDRESS`); and, anywhere
/// in their text, the payment provider's events (`webhook_events`), outgoing events
/// (`webhook_deliveries`), the audit log and delivery notes.
struct PersonalDataRecords {
    let sql: any SQLStatements
    let shop: String

    /// Rows of `table` whose address column `column` is `email` (any case), as column → value.
    func rows(_ table: String, _ columns: [String], email: String, column: String = "email", order: String) throws -> [[String: Any]] {
        try sql.query(
            "SELECT \(columns.joined(separator: ", ")) FROM \(table) WHERE shop_id = ? AND lower(\(column)) = ? ORDER BY \(order)",
            [shop.sqlValue, email.lowercased().sqlValue]
        ).map { Self.object($0, columns) }
    }

    /// Rows of `table` whose `key` column is `value`.
    func rows(_ table: String, _ columns: [String], where key: String, is value: String, order: String) throws -> [[String: Any]] {
        try sql.query(
            "SELECT \(columns.joined(separator: ", ")) FROM \(table) WHERE shop_id = ? AND \(key) = ? ORDER BY \(order)",
            [shop.sqlValue, value.sqlValue]
        ).map { Self.object($0, columns) }
    }

    /// Rows of `table` that mention `email` anywhere in `column` (a JSON payload when `blob`).
    func mentioning(_ email: String, in table: String, column: String, blob: Bool, _ columns: [String], order: String) throws -> [[String: Any]] {
        try sql.query(
            "SELECT \(columns.joined(separator: ", ")) FROM \(table) WHERE shop_id = ? AND \(sql.contains(column, blob: blob)) ORDER BY \(order)",
            [shop.sqlValue, email.lowercased().sqlValue]
        ).map { Self.object($0, columns) }
    }

    /// Payloads that mention `email`, by their table's key: to be rewritten without the person.
    func payloads(mentioning email: String, in table: String, key: String) throws -> [(key: SQLValue, payload: Data)] {
        try sql.query(
            "SELECT \(key), payload FROM \(table) WHERE shop_id = ? AND \(sql.contains("payload", blob: true))",
            [shop.sqlValue, email.lowercased().sqlValue]
        ).map { ($0.values[0], try $0[1]) }
    }

    func replacePayload(in table: String, key: String, _ value: SQLValue, with payload: Data) throws {
        try sql.execute("UPDATE \(table) SET payload = ? WHERE shop_id = ? AND \(key) = ?", [payload.sqlValue, shop.sqlValue, value])
    }

    /// Replaces the address with `reference` in `table`'s `column`; the ids of the rows changed.
    func anonymise(_ table: String, email: String, reference: String, column: String = "email") throws -> [String] {
        try sql.values(
            "UPDATE \(table) SET \(column) = ? WHERE shop_id = ? AND lower(\(column)) = ? RETURNING id", reference, shop, email.lowercased())
    }

    /// Gives each of the person's orders a new token, so links to their order pages stop working.
    func replaceOrderTokens(_ ids: [String]) throws {
        for id in ids {
            // The same shape as a new order's token (`OrderStore`): 24 random bytes.
            try sql.run("UPDATE orders SET token = ?, payment_url = NULL WHERE shop_id = ? AND id = ?", RandomToken.make(bytes: 24), shop, id)
        }
    }

    /// Deletes the rows of `table` whose `column` is the address; how many.
    func delete(from table: String, email: String, column: String = "email") throws -> Int {
        try sql.query("DELETE FROM \(table) WHERE shop_id = ? AND lower(\(column)) = ? RETURNING 1", [shop.sqlValue, email.lowercased().sqlValue]).count
    }

    /// Rate-limit counters keyed by the address (`lead-email:…`, `login-email:…`).
    func deleteRateLimits(email: String) throws {
        try sql.execute("DELETE FROM rate_limits WHERE shop_id = ? AND \(sql.contains("key", blob: false))", [shop.sqlValue, email.lowercased().sqlValue])
    }

    /// Text columns of `table` (keyed by `id`) that mention any of `needles` (the address, the
    /// person's names), rewritten by `rewrite`; how many rows.
    func rewriteText(in table: String, columns: [String], mentioning needles: [String], _ rewrite: (String) -> String) throws -> Int {
        let condition = needles.flatMap { _ in columns.map { sql.contains($0, blob: false) } }.joined(separator: " OR ")
        let rows = try sql.query(
            "SELECT id, \(columns.joined(separator: ", ")) FROM \(table) WHERE shop_id = ? AND (\(condition))",
            [shop.sqlValue] + needles.flatMap { needle in Array(repeating: needle.lowercased().sqlValue, count: columns.count) })
        for row in rows {
            let values: [SQLValue] = row.values.dropFirst().map { value in
                if case .text(let text) = value { return .text(rewrite(text)) }
                return value
            }
            let assignments = columns.map { "\($0) = ?" }.joined(separator: ", ")
            try sql.execute("UPDATE \(table) SET \(assignments) WHERE shop_id = ? AND id = ?", values + [shop.sqlValue, row.values[0]])
        }
        return rows.count
    }

    /// Subscriptions of the address that the payment provider still bills or may still bill.
    func billedSubscriptions(email: String) throws -> [String] {
        try sql.values(
            """
            SELECT id FROM subscriptions WHERE shop_id = ? AND lower(email) = ? AND status IN ('active', 'trialing', 'past_due', 'unpaid')
            ORDER BY id
            """, shop, email.lowercased())
    }

    /// A row as a JSON object: integers, text, null, and blobs as the JSON they hold (else Base64).
    static func object(_ row: SQLRow, _ columns: [String]) -> [String: Any] {
        var object: [String: Any] = [:]
        for (name, value) in zip(columns, row.values) {
            switch value {
            case .null: object[name] = NSNull()
            case .integer(let number): object[name] = number
            case .text(let text): object[name] = text
            case .blob(let data):
                object[name] = (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) ?? data.base64EncodedString()
            }
        }
        return object
    }
}
