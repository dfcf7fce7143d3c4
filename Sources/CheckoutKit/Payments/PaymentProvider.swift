/// What the provider is asked to charge: the order's lines as already priced by the checkout.
public struct PaymentSessionRequest: Sendable {
    public struct Line: Sendable, Equatable {
        public let name: String
        public let sku: String
        /// What this line costs after its share of any discount, in minor units.
        public let amount: Int64
    }

    public enum Mode: Sendable, Equatable {
        case payment
        /// A subscription to a plan, billed every `interval` (`month`/`year`).
        case subscription(plan: String, interval: String, trialDays: Int)
    }

    public let orderID: String
    public let email: String
    /// Lower-case ISO code, as Stripe wants it.
    public let currency: String
    public let lines: [Line]
    public let total: Int64
    public let mode: Mode
    public let successURL: String
    public let cancelURL: String
}

/// Where to send the shopper to pay.
public struct PaymentSession: Sendable, Equatable {
    public let id: String
    public let url: String
}

/// A payment provider: Stripe, or the offline test provider. Both report back through the same
/// signed webhook at `/webhooks/stripe`.
public protocol PaymentProvider: Sendable {
    /// `stripe` or `test`, as stored on orders.
    var name: String { get }
    func startSession(_ request: PaymentSessionRequest) async throws -> PaymentSession
    /// A session opened without asking anyone, or nil when the provider must be asked over the network
    /// (`startSession`). With one, the order and its session are stored in one transaction.
    func immediateSession() -> PaymentSession?
    /// Refunds one order line's amount; returns the provider's refund id. The provider reports the
    /// refund back through the webhook.
    func refund(order: StoredOrder, lineID: String, amount: Int64) async throws -> String
    /// Makes a subscription end at its period end (`true`) or renew again (`false`).
    func setCancelAtPeriodEnd(subscription providerID: String, _ cancel: Bool) async throws
}

extension PaymentProvider {
    public func immediateSession() -> PaymentSession? { nil }
}

extension PaymentSessionRequest {
    /// One provider line per order line, at its discounted amount, so the provider's total is the order's.
    init(order: StoredOrder, mode: Mode = .payment, successURL: String, cancelURL: String) {
        orderID = order.id
        email = order.email
        currency = order.currency.lowercased()
        lines = order.lines.map { line in
            var name = line.title
            if let option = line.option { name += " (\(option))" }
            if line.quantity > 1 { name += " × \(line.quantity)" }
            return Line(name: name, sku: line.sku, amount: line.total - line.discount)
        }
        total = order.total
        self.mode = mode
        self.successURL = successURL
        self.cancelURL = cancelURL
    }
}
