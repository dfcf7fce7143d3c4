import Foundation
import GRDB
import ShopCore

/// An order line as frozen at checkout: what was bought, at what price, and what it grants.
public struct StoredOrderLine: Sendable, Equatable {
    public let id: String
    public let sku: String
    public let kind: SellableKind
    public let title: String
    public let option: String?
    public let unitPrice: Int64
    public let quantity: Int
    public let total: Int64
    public let discount: Int64
    /// Product SKUs this line grants (a bundle: every product it held at purchase).
    public let grants: [String]
    public let refundedAt: Int?
}

/// An order as stored.
public struct StoredOrder: Sendable, Equatable {
    public let id: String
    public let token: String
    public let email: String
    public let kind: String
    public let status: OrderStatus
    public let currency: String
    public let subtotal: Int64
    public let discount: Int64
    public let total: Int64
    public let coupon: String?
    public let provider: String
    public let paymentSessionID: String?
    public let paymentURL: String?
    public let paymentIntent: String?
    public let createdAt: Int
    public let paidAt: Int?
    public let amountRefunded: Int64
    public let lines: [StoredOrderLine]
}

/// Orders in SQLite: created from a priced cart under an idempotency key, then moved by payment events.
struct OrderStore: Sendable {
    let database: CheckoutDatabase
    let clock: CheckoutClock

    struct Idempotency: Sendable {
        let key: String
        /// A digest of what the request asked for; the same key with another digest is a conflict.
        let requestHash: String
    }

    /// Creates a pending order with its lines and totals frozen, or returns the order an earlier request
    /// with the same idempotency key created (`replayed`). Throws `.idempotencyConflict` when the key was
    /// used for a different request.
    func create(
        cart: PricedCart, cartID: String?, email: String, currency: String, provider: String, kind: String = "purchase",
        idempotency: Idempotency?, session: PaymentSession? = nil
    ) async throws -> (order: StoredOrder, replayed: Bool) {
        let now = clock.seconds
        return try await database.write { db in
            if let idempotency,
               let row = try Row.fetchOne(
                   db.cachedStatement(sql: "SELECT request_hash, order_id FROM idempotency_keys WHERE key = ?"), arguments: [idempotency.key]) {
                guard row[0] as String == idempotency.requestHash else { throw CheckoutError.idempotencyConflict }
                guard let order = try Self.load(db, id: row[1]) else { throw CheckoutError.orderNotFound }
                return (order, true)
            }
            let id = RandomToken.makeOrdered(prefix: "ord_")
            try db.cachedStatement(sql: """
                INSERT INTO orders (id, token, email, kind, status, currency, subtotal, discount, total, coupon, cart_id,
                                    provider, created_at, payment_session_id, payment_url)
                VALUES (?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
            ).execute(arguments: [
                    id, RandomToken.make(bytes: 24), email, kind, currency, cart.subtotal.amount, cart.discount.amount,
                    cart.total.amount, cart.coupon, cartID, provider, now, session?.id, session?.url,
                ])
            let insert = try db.cachedStatement(sql: """
                INSERT INTO order_lines (id, order_id, position, sku, kind, title, option, unit_price, quantity, total, discount, grants)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for (position, line) in cart.lines.enumerated() {
                try insert.execute(arguments: [
                    RandomToken.makeOrdered(prefix: "oli_"), id, position, line.sku, line.kind.rawValue, line.title, line.option,
                    line.unitPrice.amount, line.quantity, line.total.amount, line.discount.amount, line.grants.joined(separator: ","),
                ])
            }
            if let idempotency {
                try db.cachedStatement(sql: "INSERT INTO idempotency_keys (key, request_hash, order_id, created_at) VALUES (?, ?, ?, ?)")
                    .execute(arguments: [idempotency.key, idempotency.requestHash, id, now])
            }
            guard let order = try Self.load(db, id: id) else { throw CheckoutError.orderNotFound }
            return (order, false)
        }
    }

    func attachSession(order id: String, sessionID: String, url: String) async throws {
        try await database.write { db in
            try db.cachedStatement(sql: "UPDATE orders SET payment_session_id = ?, payment_url = ? WHERE id = ?")
                .execute(arguments: [sessionID, url, id])
        }
    }

    func find(_ id: String) async throws -> StoredOrder? {
        try await database.read { db in try Self.load(db, id: id) }
    }

    func find(session: String) async throws -> StoredOrder? {
        try await database.read { db in
            guard let id = try String.fetchOne(db, sql: "SELECT id FROM orders WHERE payment_session_id = ?", arguments: [session])
            else { return nil }
            return try Self.load(db, id: id)
        }
    }

    /// Counts of orders by status, for metrics.
    func countsByStatus() async throws -> [String: Int] {
        try await database.read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) FROM orders GROUP BY status") { counts[row[0]] = row[1] }
            return counts
        }
    }

    static func load(_ db: Database, id: String) throws -> StoredOrder? {
        let sql = """
            SELECT id, token, email, kind, status, currency, subtotal, discount, total, coupon, provider, payment_session_id,
                   payment_url, payment_intent, created_at, paid_at, amount_refunded
            FROM orders WHERE id = ?
            """
        guard let row = try Row.fetchOne(db.cachedStatement(sql: sql), arguments: [id]) else { return nil }
        let lineSQL = """
            SELECT id, sku, kind, title, option, unit_price, quantity, total, discount, grants, refunded_at
            FROM order_lines WHERE order_id = ? ORDER BY position
            """
        let lines = try Row.fetchAll(db.cachedStatement(sql: lineSQL), arguments: [id]).map { line in
            let grants: String = line[9]
            return StoredOrderLine(
                id: line[0], sku: line[1], kind: SellableKind(rawValue: line[2]) ?? .product, title: line[3], option: line[4],
                unitPrice: line[5], quantity: line[6], total: line[7], discount: line[8],
                grants: grants.isEmpty ? [] : grants.split(separator: ",").map(String.init), refundedAt: line[10])
        }
        return StoredOrder(
            id: row[0], token: row[1], email: row[2], kind: row[3], status: OrderStatus(rawValue: row[4]) ?? .pending,
            currency: row[5], subtotal: row[6], discount: row[7], total: row[8], coupon: row[9], provider: row[10],
            paymentSessionID: row[11], paymentURL: row[12], paymentIntent: row[13], createdAt: row[14], paidAt: row[15],
            amountRefunded: row[16], lines: lines)
    }

    /// Recomputes and stores an order's status from its recorded facts.
    @discardableResult
    static func refreshStatus(_ db: Database, order id: String) throws -> OrderStatus? {
        guard let row = try Row.fetchOne(
            db, sql: "SELECT paid_at, failed_at, expired_at, amount_refunded, total FROM orders WHERE id = ?", arguments: [id])
        else { return nil }
        let paid: Int? = row[0], failed: Int? = row[1], expired: Int? = row[2]
        let status = OrderStatus.derive(
            paid: paid != nil, failed: failed != nil, expired: expired != nil, amountRefunded: row[3], total: row[4])
        try db.execute(sql: "UPDATE orders SET status = ? WHERE id = ?", arguments: [status.rawValue, id])
        return status
    }
}
