import Foundation
import ShopCore

/// One shop's outgoing webhook endpoints (`webhook_endpoints`) and the delivery of each event to
/// each of them (`webhook_deliveries`).
struct WebhookRecords {
    let sql: any SQLStatements
    let shop: String

    /// Ids of the endpoints subscribed to `type` (or to every event, `*`).
    /// Endpoints subscribed to `type`; with `explicitly`, only those that name it (not `*`).
    func endpointIDs(subscribedTo type: String, explicitly: Bool = false) throws -> [String] {
        try sql.rows("SELECT id, events FROM webhook_endpoints WHERE shop_id = ? ORDER BY id", shop).compactMap { row in
            let events: String = try row[1]
            return (events == "*" && !explicitly) || events.split(separator: ",").contains { $0 == type } ? try row[0] as String : nil
        }
    }

    func addDelivery(endpoint: String, eventID: String, type: String, payload: Data, now: Int) throws {
        try sql.run("""
            INSERT INTO webhook_deliveries (shop_id, id, endpoint_id, event_id, event_type, payload, status, next_attempt_at, created_at)
            VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)
            """, shop, RandomToken.makeOrdered(prefix: "whd_"), endpoint, eventID, type, payload, now, now)
    }

    func add(_ endpoint: WebhookEndpoint) throws {
        try sql.run(
            "INSERT INTO webhook_endpoints (shop_id, id, url, events, secret, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            shop, endpoint.id, endpoint.url, endpoint.events.joined(separator: ","), endpoint.secret, endpoint.createdAt)
    }

    func endpoints() throws -> [WebhookEndpoint] {
        try sql.rows("SELECT id, url, events, secret, created_at FROM webhook_endpoints WHERE shop_id = ? ORDER BY created_at, id", shop).map {
            let events: String = try $0[2]
            return WebhookEndpoint(
                id: try $0[0], url: try $0[1], events: events.split(separator: ",").map(String.init), secret: try $0[3], createdAt: try $0[4])
        }
    }

    /// Removes an endpoint and its deliveries; false when there is no such endpoint.
    func remove(endpoint id: String) throws -> Bool {
        try sql.run("DELETE FROM webhook_deliveries WHERE endpoint_id = ? AND shop_id = ?", id, shop)
        return try sql.row("DELETE FROM webhook_endpoints WHERE id = ? AND shop_id = ? RETURNING id", id, shop) != nil
    }

    func endpoint(_ id: String) throws -> WebhookEndpoint? {
        try endpoints().first { $0.id == id }
    }

    /// Gives an endpoint a new signing secret; false when there is no such endpoint.
    func setSecret(endpoint id: String, _ secret: String) throws -> Bool {
        try sql.row("UPDATE webhook_endpoints SET secret = ? WHERE id = ? AND shop_id = ? RETURNING id", secret, id, shop) != nil
    }

    /// Sends a delivery again: pending, due at `now`, its attempts counted afresh (Stripe's "Resend");
    /// false when the endpoint has no such delivery.
    func redeliver(_ id: String, endpoint: String, now: Int) throws -> Bool {
        try sql.row("""
            UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?, claimed_until = 0, claimed_by = NULL
            WHERE id = ? AND endpoint_id = ? AND shop_id = ? RETURNING id
            """, now, id, endpoint, shop) != nil
    }

    /// The delivery log, newest first, of one endpoint or all.
    func deliveries(endpoint: String?, limit: Int) throws -> [WebhookDelivery] {
        let columns = "id, endpoint_id, event_id, event_type, status, attempts, last_status, last_error, created_at, delivered_at"
        let rows = try endpoint.map {
            try sql.rows(
                "SELECT \(columns) FROM webhook_deliveries WHERE endpoint_id = ? AND shop_id = ? ORDER BY created_at DESC, id LIMIT ?", $0, shop, limit)
        } ?? sql.rows("SELECT \(columns) FROM webhook_deliveries WHERE shop_id = ? ORDER BY created_at DESC, id LIMIT ?", shop, limit)
        return try rows.map {
            WebhookDelivery(
                id: try $0[0], endpointID: try $0[1], eventID: try $0[2], eventType: try $0[3], status: try $0[4], attempts: try $0[5],
                lastStatus: try $0[6], lastError: try $0[7], createdAt: try $0[8], deliveredAt: try $0[9])
        }
    }

    struct Due: Sendable {
        let id: String
        let payload: Data
        /// Attempts made before this one.
        let attempts: Int
        let created: Int
        let endpoint: String
        let url: String
        let secret: String
    }

    /// Claims up to `limit` pending deliveries due at `now` for `instance` until `until`, oldest
    /// first, with their endpoint's URL and secret (see `OutboxRecords.claimDue`: the same lease).
    func claimDue(now: Int, until: Int, instance: String, limit: Int, excluding busy: [String] = [], maxEndpoints: Int = .max) throws -> [Due] {
        // Endpoints whose lane is still running are left alone: their deliveries go in order, in that lane's next pass.
        let skip = busy.indices.map { " AND endpoint_id <> ?\($0 + 6)" }.joined()
        var claimed = try sql.query("""
            WITH due AS MATERIALIZED (
                SELECT id FROM webhook_deliveries
                WHERE shop_id = ?5 AND status = 'pending' AND next_attempt_at <= ?3 AND claimed_until <= ?3\(skip)
                ORDER BY created_at, id LIMIT ?4\(sql.skipLocked))
            UPDATE webhook_deliveries SET claimed_until = ?1, claimed_by = ?2
            WHERE id IN (SELECT id FROM due) AND claimed_until <= ?3
            RETURNING id, payload, attempts, created_at, endpoint_id
            """, [until.sqlValue, instance.sqlValue, now.sqlValue, limit.sqlValue, shop.sqlValue] + busy.map(\.sqlValue))
        // At most `maxEndpoints` endpoints' deliveries are kept, those whose deliveries are oldest
        // (RETURNING promises no order); the others' claims are given back.
        let ordered = try claimed.map { row -> (created: Int, id: String, row: SQLRow) in (try row[3], try row[0], row) }
            .sorted { ($0.created, $0.id) < ($1.created, $1.id) }
        var kept = Set<String>()
        var released: [String] = []
        claimed = []
        for entry in ordered {
            let endpoint: String = try entry.row[4]
            if kept.contains(endpoint) || kept.count < maxEndpoints {
                kept.insert(endpoint)
                claimed.append(entry.row)
            } else {
                released.append(entry.id)
            }
        }
        if !released.isEmpty {
            let placeholders = released.indices.map { "?\($0 + 3)" }.joined(separator: ", ")
            try sql.execute(
                "UPDATE webhook_deliveries SET claimed_until = 0, claimed_by = NULL WHERE shop_id = ?1 AND claimed_by = ?2 AND id IN (\(placeholders))",
                [shop.sqlValue, instance.sqlValue] + released.map(\.sqlValue))
        }
        guard !claimed.isEmpty else { return [] }
        var endpoints: [String: (url: String, secret: String)] = [:]
        for row in try sql.rows("SELECT id, url, secret FROM webhook_endpoints WHERE shop_id = ?", shop) { endpoints[try row[0]] = (try row[1], try row[2]) }
        return try claimed.compactMap { row in
            let endpoint: String = try row[4]
            guard let target = endpoints[endpoint] else { return nil }
            return Due(
                id: try row[0], payload: try row[1], attempts: try row[2], created: try row[3], endpoint: endpoint, url: target.url,
                secret: target.secret)
        }.sorted { ($0.created, $0.id) < ($1.created, $1.id) }
    }

    /// Extends `instance`'s claim on a pending delivery to `until`; false when the claim was lost, or
    /// the delivery was removed or finished meanwhile.
    func renewClaim(_ id: String, instance: String, until: Int) throws -> Bool {
        try sql.row("""
            UPDATE webhook_deliveries SET claimed_until = ?
            WHERE id = ? AND shop_id = ? AND claimed_by = ? AND status = 'pending' RETURNING id
            """, until, id, shop, instance) != nil
    }

    /// Gives back every claim `instance` holds on pending deliveries.
    func releaseClaims(instance: String) throws {
        try sql.run("""
            UPDATE webhook_deliveries SET claimed_until = 0, claimed_by = NULL WHERE claimed_by = ? AND shop_id = ? AND status = 'pending'
            """, instance, shop)
    }

    /// Whether another endpoint's delivery of the same event is still pending or was delivered.
    func siblingStillOpen(_ id: String) throws -> Bool {
        try sql.row("""
            SELECT 1 FROM webhook_deliveries s JOIN webhook_deliveries w ON s.event_id = w.event_id AND s.shop_id = w.shop_id
            WHERE w.id = ? AND w.shop_id = ? AND s.id <> w.id AND s.status IN ('pending', 'delivered')
            """, id, shop) != nil
    }

    /// Records `instance`'s attempt: `status` is `delivered`, `pending` (retried at `nextAttempt`) or
    /// `failed`. A success is recorded whoever holds the claim now (the instance that took it over
    /// then finds it delivered and skips it); a failure only while this instance still holds it.
    func recordAttempt(
        _ id: String, instance: String, status: String, attempts: Int, httpStatus: Int?, error: String?, nextAttempt: Int, now: Int
    ) throws {
        try sql.run("""
            UPDATE webhook_deliveries SET status = ?1, attempts = ?2, last_status = ?3, last_error = ?4, next_attempt_at = ?5,
                   delivered_at = CASE WHEN ?1 = 'delivered' THEN ?6 ELSE delivered_at END, claimed_until = 0, claimed_by = NULL
            WHERE id = ?7 AND shop_id = ?9 AND (?1 = 'delivered' OR claimed_by = ?8)
            """, status, attempts, httpStatus, error, nextAttempt, now, id, instance, shop)
    }
}
