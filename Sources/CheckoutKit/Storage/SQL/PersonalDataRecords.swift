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
/// (`webhook_deliveries`), the audit log and delivery notes. A search in text is a SQL pre-filter
/// confirmed in Swift (`PersonalDataScrub.mentions`), so `jo@example.com` never finds `bobjo@example.com`.
struct PersonalDataRecords {
    let sql: any SQLStatements
    let shop: String

    /// `column` is the address, any case (Unicode case folding on both databases).
    private func isAddress(_ column: String) -> String { "\(sql.lowered(column)) = ?" }

    /// Rows of `table` whose address column `column` is `email`, as column → value.
    func rows(_ table: String, _ columns: [String], email: String, column: String = "email", order: String) throws -> [[String: Any]] {
        try sql.query(
            "SELECT \(columns.joined(separator: ", ")) FROM \(table) WHERE shop_id = ? AND \(isAddress(column)) ORDER BY \(order)",
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

    /// Rows of `table` that name `email` as a whole address anywhere in `column` (a JSON payload when `blob`).
    func mentioning(_ email: String, in table: String, column: String, blob: Bool, _ columns: [String], order: String) throws -> [[String: Any]] {
        try sql.query(
            "SELECT \(column), \(columns.joined(separator: ", ")) FROM \(table) WHERE shop_id = ? AND \(sql.contains(column, blob: blob)) ORDER BY \(order)",
            [shop.sqlValue, email.lowercased().sqlValue]
        ).filter { Self.mentions($0.values[0], email) }.map { Self.object(SQLRow(values: Array($0.values.dropFirst())), columns) }
    }

    /// Payloads that name `email`, by their table's key: to be rewritten without the person.
    func payloads(mentioning email: String, in table: String, key: String) throws -> [(key: SQLValue, payload: Data)] {
        try sql.query(
            "SELECT \(key), payload FROM \(table) WHERE shop_id = ? AND \(sql.contains("payload", blob: true))",
            [shop.sqlValue, email.lowercased().sqlValue]
        ).filter { Self.mentions($0.values[1], email) }.map { ($0.values[0], try $0[1]) }
    }

    func replacePayload(in table: String, key: String, _ value: SQLValue, with payload: Data) throws {
        try sql.execute("UPDATE \(table) SET payload = ? WHERE shop_id = ? AND \(key) = ?", [payload.sqlValue, shop.sqlValue, value])
    }

    /// Replaces the address with `reference` in `table`'s `column`; the ids of the rows changed.
    func anonymise(_ table: String, email: String, reference: String, column: String = "email") throws -> [String] {
        try sql.query(
            "UPDATE \(table) SET \(column) = ? WHERE shop_id = ? AND \(isAddress(column)) RETURNING id",
            [reference.sqlValue, shop.sqlValue, email.lowercased().sqlValue]
        ).map { try $0[0] }
    }

    /// Gives each of the person's orders a new token, so links to their order pages stop working, and
    /// forgets the idempotency keys that would answer a replayed checkout with one of them.
    func replaceOrderTokens(_ ids: [String]) throws {
        for id in ids {
            // The same shape as a new order's token (`OrderStore`): 24 random bytes.
            try sql.run("UPDATE orders SET token = ?, payment_url = NULL WHERE shop_id = ? AND id = ?", RandomToken.make(bytes: 24), shop, id)
            try sql.run("DELETE FROM idempotency_keys WHERE shop_id = ? AND order_id = ?", shop, id)
        }
    }

    /// Deletes the rows of `table` whose `column` is the address; how many.
    func delete(from table: String, email: String, column: String = "email") throws -> Int {
        try sql.query("DELETE FROM \(table) WHERE shop_id = ? AND \(isAddress(column)) RETURNING 1", [shop.sqlValue, email.lowercased().sqlValue]).count
    }

    /// Rate-limit counters keyed by the address (`lead-email:…`, `login-email:…`).
    func deleteRateLimits(email: String) throws {
        for prefix in ["lead-email:", "login-email:"] {
            try sql.execute("DELETE FROM rate_limits WHERE shop_id = ? AND \(isAddress("key"))", [shop.sqlValue, (prefix + email).lowercased().sqlValue])
        }
    }

    /// Rows of `table` (keyed by `id`) whose text `columns` may name the person: mentioning any of
    /// `needles` (SQL pre-filter), or matching `extra` (a condition with its own arguments).
    func textRows(
        in table: String, columns: [String], mentioning needles: [String], or extra: (condition: String, arguments: [SQLValue])? = nil
    ) throws -> [(id: SQLValue, texts: [SQLValue])] {
        var conditions = needles.flatMap { _ in columns.map { sql.contains($0, blob: false) } }
        var arguments = needles.flatMap { needle in Array(repeating: needle.lowercased().sqlValue, count: columns.count) }
        if let extra {
            conditions.append(extra.condition)
            arguments += extra.arguments
        }
        return try sql.query(
            "SELECT id, \(columns.joined(separator: ", ")) FROM \(table) WHERE shop_id = ? AND (\(conditions.joined(separator: " OR ")))",
            [shop.sqlValue] + arguments
        ).map { ($0.values[0], Array($0.values.dropFirst())) }
    }

    func setText(in table: String, columns: [String], id: SQLValue, _ values: [SQLValue]) throws {
        let assignments = columns.map { "\($0) = ?" }.joined(separator: ", ")
        try sql.execute("UPDATE \(table) SET \(assignments) WHERE shop_id = ? AND id = ?", values + [shop.sqlValue, id])
    }

    /// Subscriptions of the address that the payment provider bills or may still bill.
    func billedSubscriptions(email: String) throws -> [String] {
        try sql.query(
            """
            SELECT id FROM subscriptions WHERE shop_id = ? AND \(isAddress("email"))
            AND status IN ('active', 'trialing', 'past_due', 'unpaid', 'incomplete', 'paused') ORDER BY id
            """, [shop.sqlValue, email.lowercased().sqlValue]
        ).map { try $0[0] }
    }

    /// Unpaid orders of the address created since `since`: their payment sessions may still be paid.
    func openOrders(email: String, since: Int) throws -> [String] {
        try sql.query(
            "SELECT id FROM orders WHERE shop_id = ? AND \(isAddress("email")) AND status = 'pending' AND created_at >= ? ORDER BY id",
            [shop.sqlValue, email.lowercased().sqlValue, .integer(Int64(since))]
        ).map { try $0[0] }
    }

    /// Emails to the address a mail worker has claimed and is sending now (its file could be written
    /// after the erasure deleted the others).
    func emailsBeingSent(email: String, now: Int) throws -> Int {
        try sql.query(
            """
            SELECT id FROM outbox WHERE shop_id = ? AND \(isAddress("recipient")) AND sent_at IS NULL AND failed_at IS NULL
            AND claimed_until > ?
            """, [shop.sqlValue, email.lowercased().sqlValue, .integer(Int64(now))]
        ).count
    }

    /// Audit-log entries about the person: naming their address, or about one of `targets`
    /// (`order:ID`, `subscription:ID`), oldest first.
    func auditEntries(email: String, targets: [String]) throws -> [[String: Any]] {
        let columns = ["at", "actor", "role", "action", "target", "before", "after", "reason"]
        let texts = ["target", "before", "after", "reason"]
        var entries: [(id: String, object: [String: Any])] = []
        var seen = Set<String>()
        for chunk in stride(from: 0, to: max(targets.count, 1), by: 500).map({ Array(targets.dropFirst($0).prefix(500)) }) {
            let inTargets = chunk.isEmpty ? "" : " OR target IN (\(Array(repeating: "?", count: chunk.count).joined(separator: ", ")))"
            let rows = try sql.query(
                """
                SELECT id, \(columns.joined(separator: ", ")) FROM audit_log
                WHERE shop_id = ? AND (\(texts.map { sql.contains($0, blob: false) }.joined(separator: " OR "))\(inTargets))
                """, [shop.sqlValue] + Array(repeating: email.lowercased().sqlValue, count: texts.count) + chunk.map(\.sqlValue))
            for row in rows {
                let id: String = try row[0]
                let object = Self.object(SQLRow(values: Array(row.values.dropFirst())), columns)
                let about = chunk.contains(object["target"] as? String ?? "") || row.values.dropFirst(5).contains { Self.mentions($0, email) }
                if about, seen.insert(id).inserted { entries.append((id, object)) }
            }
        }
        return entries.sorted { ($0.object["at"] as? Int64 ?? 0, $0.id) < ($1.object["at"] as? Int64 ?? 0, $1.id) }.map(\.object)
    }

    static func mentions(_ value: SQLValue, _ email: String) -> Bool {
        switch value {
        case .text(let text): return PersonalDataScrub.mentions(text, email.lowercased())
        case .blob(let data): return PersonalDataScrub.mentions(String(decoding: data, as: UTF8.self), email.lowercased())
        default: return false
        }
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
