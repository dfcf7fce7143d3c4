import Foundation
import GRDB
import ShopCore

/// Events this service sends to operators' endpoints.
public enum OutgoingEvents {
    public static let types = [
        "order.paid", "order.refunded", "subscription.updated", "lead.confirmed", "entitlement.granted", "entitlement.revoked",
    ]

    /// Queues an event for every endpoint subscribed to `type`, in the transaction that caused it.
    static func enqueue(_ db: Database, type: String, data: [String: Any], now: Int) throws {
        let endpoints = try Row.fetchAll(db, sql: "SELECT id, events FROM webhook_endpoints")
            .filter { row in
                let events: String = row[1]
                return events == "*" || events.split(separator: ",").contains { $0 == type }
            }
        guard !endpoints.isEmpty else { return }
        let id = RandomToken.makeOrdered(prefix: "evt_")
        let payload = try JSONSerialization.data(
            withJSONObject: ["id": id, "object": "event", "type": type, "created": now, "data": data] as [String: Any],
            options: [.sortedKeys, .withoutEscapingSlashes])
        for endpoint in endpoints {
            try db.execute(
                sql: """
                    INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event_type, payload, status, next_attempt_at, created_at)
                    VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)
                    """,
                arguments: [RandomToken.makeOrdered(prefix: "whd_"), endpoint[0] as String, id, type, payload, now, now])
        }
    }
}

/// An endpoint as the operator registered it.
public struct WebhookEndpoint: Sendable, Equatable {
    public let id: String
    public let url: String
    public let events: [String]
    public let secret: String
    public let createdAt: Int
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

/// The operator's view of outgoing webhooks: what `checkout webhooks …` runs against the database.
public struct WebhookEndpoints: Sendable {
    let database: CheckoutDatabase
    let clock: CheckoutClock

    public init(databasePath: String, clock: CheckoutClock = .system) throws {
        database = try CheckoutDatabase(path: databasePath)
        self.clock = clock
    }

    init(database: CheckoutDatabase, clock: CheckoutClock) {
        self.database = database
        self.clock = clock
    }

    /// Registers an endpoint for `events` (`*` for all); returns it with its new signing secret.
    public func add(url: String, events: [String]) async throws -> WebhookEndpoint {
        guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""), parsed.host != nil else {
            throw CheckoutError.invalid(field: "url", message: "\(Quoted(url)) is not an http(s) URL")
        }
        let unknown = events.filter { $0 != "*" && !OutgoingEvents.types.contains($0) }
        guard events.count > 0, unknown.isEmpty else {
            throw CheckoutError.invalid(
                field: "events", message: "unknown event \(Quoted(unknown.first ?? "")); events: \(OutgoingEvents.types.joined(separator: ", ")) or *")
        }
        let endpoint = WebhookEndpoint(
            id: RandomToken.make(bytes: 9, prefix: "we_"), url: url, events: events, secret: RandomToken.make(bytes: 24, prefix: "whsec_"),
            createdAt: clock.seconds)
        try await database.write { db in
            try db.execute(
                sql: "INSERT INTO webhook_endpoints (id, url, events, secret, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [endpoint.id, endpoint.url, endpoint.events.joined(separator: ","), endpoint.secret, endpoint.createdAt])
        }
        return endpoint
    }

    public func list() async throws -> [WebhookEndpoint] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT id, url, events, secret, created_at FROM webhook_endpoints ORDER BY created_at, id").map {
                let events: String = $0[2]
                return WebhookEndpoint(id: $0[0], url: $0[1], events: events.split(separator: ",").map(String.init), secret: $0[3], createdAt: $0[4])
            }
        }
    }

    /// Removes an endpoint and its delivery log; throws when there is no such endpoint.
    public func remove(id: String) async throws {
        try await database.write { db in
            let removed = try String.fetchOne(db, sql: "DELETE FROM webhook_endpoints WHERE id = ? RETURNING id", arguments: [id])
            guard removed != nil else { throw CheckoutError.invalid(field: "id", message: "no webhook endpoint \(Quoted(id))") }
        }
    }

    /// The delivery log, newest first.
    public func deliveries(endpoint: String? = nil, limit: Int = 50) async throws -> [WebhookDelivery] {
        try await database.read { db in
            var sql = """
                SELECT id, endpoint_id, event_id, event_type, status, attempts, last_status, last_error, created_at, delivered_at
                FROM webhook_deliveries
                """
            var arguments: StatementArguments = []
            if let endpoint {
                sql += " WHERE endpoint_id = ?"
                arguments += [endpoint]
            }
            sql += " ORDER BY created_at DESC, id LIMIT ?"
            arguments += [limit]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).map {
                WebhookDelivery(
                    id: $0[0], endpointID: $0[1], eventID: $0[2], eventType: $0[3], status: $0[4], attempts: $0[5], lastStatus: $0[6],
                    lastError: $0[7], createdAt: $0[8], deliveredAt: $0[9])
            }
        }
    }
}
