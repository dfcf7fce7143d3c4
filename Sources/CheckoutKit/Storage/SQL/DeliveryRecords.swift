import ShopCore

/// How one paid line's product reaches its buyer, as stored: its method, status and keys.
struct StoredDelivery: Sendable, Equatable {
    let id: String
    let orderID: String
    let lineID: String
    let sku: String
    let method: DeliveryMethod
    let quantity: Int
    let status: DeliveryStatus
    let updatedAt: Int
}

/// A delivery's state: `pending` until it reaches the buyer, then `delivered`; `failed` when the
/// fulfilment endpoint never answered 2xx; `revoked` when its line was refunded.
enum DeliveryStatus: String, Sendable, Equatable, CaseIterable {
    case pending, delivered, failed, revoked
}

/// One shop's deliveries (`line_deliveries`) and the log of their statuses (`delivery_log`).
struct DeliveryRecords {
    let sql: any SQLStatements
    let shop: String

    private static let columns = "id, order_id, line_id, sku, method, quantity, status, updated_at"

    private static func delivery(_ row: SQLRow) throws -> StoredDelivery {
        StoredDelivery(
            id: try row[0], orderID: try row[1], lineID: try row[2], sku: try row[3], method: DeliveryMethod(rawValue: try row[4]) ?? .file,
            quantity: try row[5], status: DeliveryStatus(rawValue: try row[6]) ?? .pending, updatedAt: try row[7])
    }

    /// Records a new delivery in `status` with `note`; nil when the line's product has one already
    /// (a payment event processed twice).
    func create(
        order: String, line: String, sku: String, method: DeliveryMethod, quantity: Int, status: DeliveryStatus, note: String, now: Int
    ) throws -> StoredDelivery? {
        let id = RandomToken.makeOrdered(prefix: "dlv_")
        guard try sql.row("""
            INSERT INTO line_deliveries (shop_id, id, order_id, line_id, sku, method, quantity, status, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id
            """, shop, id, order, line, sku, method.rawValue, quantity, status.rawValue, now, now) != nil
        else { return nil }
        try log(id, status, note: note, now: now)
        return StoredDelivery(id: id, orderID: order, lineID: line, sku: sku, method: method, quantity: quantity, status: status, updatedAt: now)
    }

    /// Moves a delivery to `status` unless it is there already or `revoked`; false when nothing changed.
    func setStatus(_ id: String, _ status: DeliveryStatus, note: String, now: Int) throws -> Bool {
        guard try sql.row("""
            UPDATE line_deliveries SET status = ?, updated_at = ? WHERE id = ? AND shop_id = ? AND status <> ? AND status <> 'revoked' RETURNING id
            """, status.rawValue, now, id, shop, status.rawValue) != nil
        else { return false }
        try log(id, status, note: note, now: now)
        return true
    }

    func find(_ id: String) throws -> StoredDelivery? {
        try sql.row("SELECT \(Self.columns) FROM line_deliveries WHERE id = ? AND shop_id = ?", id, shop).map(Self.delivery)
    }

    func forOrder(_ order: String) throws -> [StoredDelivery] {
        try sql.rows("SELECT \(Self.columns) FROM line_deliveries WHERE order_id = ? AND shop_id = ? ORDER BY id", order, shop).map(Self.delivery)
    }

    func forLine(_ line: String) throws -> [StoredDelivery] {
        try sql.rows("SELECT \(Self.columns) FROM line_deliveries WHERE line_id = ? AND shop_id = ? ORDER BY id", line, shop).map(Self.delivery)
    }

    /// Licence-key deliveries of `sku` still waiting for keys, oldest first.
    func waitingForKeys(sku: String) throws -> [StoredDelivery] {
        try sql.rows("""
            SELECT \(Self.columns) FROM line_deliveries WHERE shop_id = ? AND sku = ? AND status = 'pending' AND method = 'license-key' ORDER BY id
            """, shop, sku).map(Self.delivery)
    }

    /// Remembers the outgoing `fulfilment.requested` event that carries a webhook delivery.
    func setFulfilmentEvent(_ id: String, event: String) throws {
        try sql.run("UPDATE line_deliveries SET fulfilment_event_id = ? WHERE id = ? AND shop_id = ?", event, id, shop)
    }

    /// The pending or failed webhook deliveries an outgoing webhook delivery (`webhook_deliveries.id`) carried.
    func carriedBy(webhookDelivery: String) throws -> [StoredDelivery] {
        try sql.rows("""
            SELECT d.id, d.order_id, d.line_id, d.sku, d.method, d.quantity, d.status, d.updated_at
            FROM line_deliveries d JOIN webhook_deliveries w ON w.event_id = d.fulfilment_event_id AND w.shop_id = d.shop_id
            WHERE w.id = ? AND w.shop_id = ? AND d.status IN ('pending', 'failed')
            """, webhookDelivery, shop).map(Self.delivery)
    }

    /// The statuses a delivery went through, oldest first (within a second, in the order a delivery
    /// can go through them).
    func history(_ id: String) throws -> [(status: String, note: String, at: Int)] {
        try sql.rows("SELECT status, note, at FROM delivery_log WHERE delivery_id = ? AND shop_id = ? ORDER BY at, CASE status WHEN 'pending' THEN 0 WHEN 'revoked' THEN 2 ELSE 1 END, id",
            id, shop)
            .map { (try $0[0], try $0[1], try $0[2]) }
    }

    private func log(_ id: String, _ status: DeliveryStatus, note: String, now: Int) throws {
        try sql.run(
            "INSERT INTO delivery_log (shop_id, id, delivery_id, status, note, at) VALUES (?, ?, ?, ?, ?, ?)",
            shop, RandomToken.makeOrdered(prefix: "dlg_"), id, status.rawValue, note, now)
    }
}
