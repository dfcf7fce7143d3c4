import Foundation
import ShopCore

/// The admin API's outgoing webhook endpoints: list (secrets never shown again), create, rotate
/// the signing secret, delete, the delivery log and "redeliver" — Stripe's dashboard's webhook CRUD.
/// Every write is owner-only (`manage_webhooks`) and audited; secrets are not written to the log.
struct AdminWebhooks: Sendable {
    let shop: Shop

    static func endpoint(_ endpoint: WebhookEndpoint, secret: Bool = false) -> [String: Any] {
        var row: [String: Any] = ["id": endpoint.id, "url": endpoint.url, "events": endpoint.events, "created_at": isoTime(endpoint.createdAt)]
        if secret { row["secret"] = endpoint.secret }
        return row
    }

    func list() async throws -> [String: Any] {
        let endpoints = try await shop.storage.read { tx in try tx.webhooks.endpoints() }
        return ["object": "list", "data": endpoints.map { Self.endpoint($0) }, "has_more": false]
    }

    struct CreateRequest: Decodable {
        let url: String?
        let events: [String]?
    }

    /// Creates an endpoint; the answer carries its signing secret, shown this once.
    func create(_ request: CreateRequest, as principal: StaffPrincipal) async throws -> [String: Any] {
        let now = shop.clock.seconds
        let endpoint = try WebhookEndpoint.make(url: request.url ?? "", events: request.events ?? ["*"], now: now)
        try await shop.storage.write { tx in
            try tx.webhooks.add(endpoint)
            try AuditLog.record(tx, principal, action: "webhook_endpoint.create", target: "webhook_endpoint:\(endpoint.id)",
                                after: Self.endpoint(endpoint), now: now)
        }
        return Self.endpoint(endpoint, secret: true)
    }

    /// A new signing secret for the endpoint, shown this once; the old one stops signing at once.
    func rotate(_ id: String, as principal: StaffPrincipal) async throws -> [String: Any] {
        let now = shop.clock.seconds
        let secret = WebhookEndpoint.newSecret()
        let endpoint = try await shop.storage.write { tx -> WebhookEndpoint in
            guard let found = try tx.webhooks.endpoint(id), try tx.webhooks.setSecret(endpoint: id, secret) else { throw Self.notFound(id) }
            try AuditLog.record(tx, principal, action: "webhook_endpoint.rotate_secret", target: "webhook_endpoint:\(id)",
                                before: ["secret": "whsec_…" + found.secret.suffix(4)], after: ["secret": "whsec_…" + secret.suffix(4)], now: now)
            return WebhookEndpoint(id: found.id, url: found.url, events: found.events, secret: secret, createdAt: found.createdAt)
        }
        return Self.endpoint(endpoint, secret: true)
    }

    func delete(_ id: String, as principal: StaffPrincipal) async throws {
        let now = shop.clock.seconds
        try await shop.storage.write { tx in
            guard let found = try tx.webhooks.endpoint(id), try tx.webhooks.remove(endpoint: id) else { throw Self.notFound(id) }
            try AuditLog.record(tx, principal, action: "webhook_endpoint.delete", target: "webhook_endpoint:\(id)", before: Self.endpoint(found), now: now)
        }
    }

    /// The endpoint's delivery log, newest first.
    func deliveries(_ id: String, limit: Int) async throws -> [String: Any] {
        let deliveries = try await shop.storage.read { tx -> [WebhookDelivery] in
            guard try tx.webhooks.endpoint(id) != nil else { throw Self.notFound(id) }
            return try tx.webhooks.deliveries(endpoint: id, limit: limit + 1)
        }
        // The newest `limit` (at most 200); `has_more` says whether older ones exist (not paged further).
        return ["object": "list", "has_more": deliveries.count > limit, "data": deliveries.prefix(limit).map { delivery -> [String: Any] in
            var row: [String: Any] = [
                "id": delivery.id, "endpoint_id": delivery.endpointID, "event_id": delivery.eventID, "event_type": delivery.eventType,
                "status": delivery.status, "attempts": delivery.attempts, "created_at": isoTime(delivery.createdAt),
            ]
            if let status = delivery.lastStatus { row["last_http_status"] = status }
            if let error = delivery.lastError { row["last_error"] = error }
            if let delivered = delivery.deliveredAt { row["delivered_at"] = isoTime(delivered) }
            return row
        }]
    }

    /// Sends a delivery again now, whatever its status.
    func redeliver(_ id: String, delivery: String, as principal: StaffPrincipal) async throws {
        let now = shop.clock.seconds
        try await shop.storage.write { tx in
            guard try tx.webhooks.redeliver(delivery, endpoint: id, now: now) else {
                throw CheckoutError.notFound(field: "delivery", message: "endpoint \(Quoted(id)) has no delivery \(Quoted(delivery))")
            }
            try AuditLog.record(tx, principal, action: "webhook_delivery.redeliver", target: "webhook_endpoint:\(id)", after: ["delivery": delivery], now: now)
        }
        shop.webhooks.notify()
    }

    static func notFound(_ id: String) -> CheckoutError {
        .notFound(field: "endpoint", message: "no webhook endpoint \(Quoted(id)) in this shop")
    }
}
