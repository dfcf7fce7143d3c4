import Foundation
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

/// Orders: created from a priced cart under an idempotency key, then moved by payment events.
struct OrderStore: Sendable {
    let storage: ShopStorage
    let clock: CheckoutClock

    struct Idempotency: Sendable {
        let key: String
        /// A digest of what the request asked for; the same key with another digest is a conflict.
        let requestHash: String
    }

    /// Creates a pending order with its lines and totals frozen, or returns the order an earlier request
    /// with the same idempotency key created (`replayed`). Throws `.idempotencyConflict` when the key was
    /// used for a different request. Two requests with one key at once make one order.
    ///
    /// `pricedFrom` is the stored cart `cart` was priced from: the order is stored only while that cart
    /// is still at its version, else this throws `CartChanged` and nothing is stored (price it again).
    func create(
        cart: PricedCart, pricedFrom stored: StoredCart?, email: String, currency: String, provider: String, kind: String = "purchase",
        idempotency: Idempotency?, session: PaymentSession? = nil, stock: StockHold? = nil
    ) async throws -> (order: StoredOrder, replayed: Bool) {
        let now = clock.seconds
        let order = StoredOrder(
            id: RandomToken.makeOrdered(prefix: "ord_"), token: RandomToken.make(bytes: 24), email: email, kind: kind,
            status: .pending, currency: currency, subtotal: cart.subtotal.amount, discount: cart.discount.amount,
            total: cart.total.amount, coupon: cart.coupon, provider: provider, paymentSessionID: session?.id,
            paymentURL: session?.url, paymentIntent: nil, createdAt: now, paidAt: nil, amountRefunded: 0,
            lines: cart.lines.map { line in
                StoredOrderLine(
                    id: RandomToken.makeOrdered(prefix: "oli_"), sku: line.sku, kind: line.kind, title: line.title,
                    option: line.option, unitPrice: line.unitPrice.amount, quantity: line.quantity, total: line.total.amount,
                    discount: line.discount.amount, grants: line.grants.filter { !$0.isEmpty }, refundedAt: nil)
            })
        // The order is returned as written, not read back: a checkout only writes.
        let cart = stored.map { (id: $0.id, version: $0.version) }
        switch try await storage.insert(order, cart: cart, idempotency: idempotency.map { ($0.key, $0.requestHash) }, stock: stock, now: now) {
        case .inserted:
            return (order, false)
        case let .outOfStock(sku, available):
            throw CheckoutError.outOfStock(sku: sku, available: available)
        case .cartChanged:
            throw CartChanged()
        case .keyClaimedBefore(let requestHash, let orderID):
            guard requestHash == idempotency?.requestHash else { throw CheckoutError.idempotencyConflict }
            guard let stored = try await find(orderID) else { throw CheckoutError.orderNotFound }
            return (stored, true)
        }
    }

    /// The cart changed between its pricing and the order's commit (another request, on any instance).
    struct CartChanged: Error {}

    func attachSession(order id: String, sessionID: String, url: String) async throws {
        try await storage.write { tx in try tx.orders.attachSession(order: id, sessionID: sessionID, url: url) }
    }

    func find(_ id: String) async throws -> StoredOrder? {
        try await storage.read { tx in try tx.orders.find(id) }
    }

    func find(session: String) async throws -> StoredOrder? {
        try await storage.read { tx in try tx.orders.id(forSession: session).flatMap { try tx.orders.find($0) } }
    }
}
