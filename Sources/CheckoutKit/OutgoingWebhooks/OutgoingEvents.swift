import Foundation
import Logging
import ShopCore

/// Events this service sends to operators' endpoints.
public enum OutgoingEvents {
    public static let types = [
        "order.paid", "order.refunded", "subscription.updated", "lead.confirmed", "entitlement.granted", "entitlement.revoked",
        "delivery.pending", "delivery.delivered", "delivery.failed", "delivery.revoked", "customer.erased", fulfilment,
    ]

    /// The paid line of a product delivered by webhook, for the operator's fulfilment endpoint. Only
    /// endpoints that name it receive it (not `*`): its 2xx answer marks the line delivered.
    static let fulfilment = "fulfilment.requested"

    /// Queues an event for every endpoint subscribed to `type`, in the transaction that caused it;
    /// the event's id, or nil when no endpoint takes it.
    @discardableResult
    static func enqueue(_ tx: StorageTransaction, type: String, data: [String: Any], now: Int) throws -> String? {
        let endpoints = try tx.webhooks.endpointIDs(subscribedTo: type, explicitly: type == fulfilment)
        guard !endpoints.isEmpty else { return nil }
        let id = RandomToken.makeOrdered(prefix: "evt_")
        let payload = try JSONSerialization.data(
            withJSONObject: ["id": id, "object": "event", "type": type, "created": now, "data": data] as [String: Any],
            options: [.sortedKeys, .withoutEscapingSlashes])
        for endpoint in endpoints {
            try tx.webhooks.addDelivery(endpoint: endpoint, eventID: id, type: type, payload: payload, now: now)
        }
        return id
    }
}

/// An endpoint as the operator registered it.
public struct WebhookEndpoint: Sendable, Equatable {
    public let id: String
    public let url: String
    public let events: [String]
    public let secret: String
    public let createdAt: Int

    /// A new endpoint with a new signing secret.
    /// - Throws: `CheckoutError.invalid` naming `url` (not http(s)) or `events` (an unknown event).
    static func make(url: String, events: [String], now: Int) throws -> WebhookEndpoint {
        guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
            throw CheckoutError.invalid(field: "url", message: "\(Quoted(url)) is not an http(s) URL")
        }
        guard !events.isEmpty else {
            throw CheckoutError.invalid(field: "events", message: "name at least one event: \(OutgoingEvents.types.joined(separator: ", ")) or *")
        }
        let unknown = events.filter { $0 != "*" && !OutgoingEvents.types.contains($0) }
        guard unknown.isEmpty else {
            throw CheckoutError.invalid(
                field: "events", message: "unknown event \(Quoted(unknown.first ?? "")); events: \(OutgoingEvents.types.joined(separator: ", ")) or *")
        }
        return WebhookEndpoint(id: RandomToken.make(bytes: 9, prefix: "we_"), url: url, events: events, secret: newSecret(), createdAt: now)
    }

    static func newSecret() -> String { RandomToken.make(bytes: 24, prefix: "whsec_") }
}

/// One attempt record of the delivery log.
public struct WebhookDelivery: Sendable, Equatable {
    public let id: String
    public let endpointID: String
    public let eventID: String
    public let eventType: String
    public let status: String
    public let attempts: Int
    public let lastStatus: Int?
    public let lastError: String?
    public let createdAt: Int
    public let deliveredAt: Int?
}

/// The operator's view of one shop's outgoing webhooks: what `checkout webhooks …` runs against the database.
public struct WebhookEndpoints: Sendable {
    let storage: ShopStorage
    let clock: CheckoutClock

    /// Opens the database at `location` (applying pending migrations), for the shop `shop` of a
    /// multi-shop deployment or the one shop (`""`).
    /// - Throws: `StartupError` naming the database, or a shop id that cannot be one.
    public init(_ location: StorageLocation, shop: String = "", clock: CheckoutClock = .system) async throws {
        guard shop.isEmpty || ShopID.isValid(shop) else {
            throw StartupError(description: "'\(shop)' is not a shop id (1 to 64 lower-case letters, digits and dashes)")
        }
        var logger = Logger(label: "checkout.webhooks")
        logger.logLevel = .warning
        storage = ShopStorage(try await location.open(logger: logger), shop: shop)
        self.clock = clock
    }

    /// Registers an endpoint for `events` (`*` for all); returns it with its new signing secret.
    public func add(url: String, events: [String]) async throws -> WebhookEndpoint {
        let endpoint = try WebhookEndpoint.make(url: url, events: events, now: clock.seconds)
        try await storage.write { tx in try tx.webhooks.add(endpoint) }
        return endpoint
    }

    public func list() async throws -> [WebhookEndpoint] {
        try await storage.read { tx in try tx.webhooks.endpoints() }
    }

    /// Removes an endpoint and its delivery log; throws when there is no such endpoint.
    public func remove(id: String) async throws {
        try await storage.write { tx in
            guard try tx.webhooks.remove(endpoint: id) else {
                throw CheckoutError.invalid(field: "id", message: "no webhook endpoint \(Quoted(id))")
            }
        }
    }

    /// The delivery log, newest first.
    public func deliveries(endpoint: String? = nil, limit: Int = 50) async throws -> [WebhookDelivery] {
        try await storage.read { tx in try tx.webhooks.deliveries(endpoint: endpoint, limit: limit) }
    }

    /// Closes the database connections (PostgreSQL); SQLite closes with the process.
    public func close() async {
        await storage.base.close()
    }
}
