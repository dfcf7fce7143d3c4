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
    /// When the session must end (seconds since 1970): set when the order holds limited stock, so
    /// no payment arrives after the stock was given back.
    public var expiresAt: Int?
}

/// Where to send the shopper to pay.
public struct PaymentSession: Sendable, Equatable {
    public let id: String
    public let url: String
}

/// A payment provider as a value, the shape of Point-Free's Stripe client: a name and the
/// operations the checkout asks of it. `.stripe(…)` calls Stripe's API; `.test(…)` is the offline
/// provider, which answers at once and hands the events Stripe would send to the event processor
/// in process (`TestEvents`). Both report back through the same verify → store → apply path, and no
/// controller asks which one it has.
public struct PaymentProvider: Sendable {
    /// `stripe` or `test`, as stored on orders.
    public var name: String
    /// Opens a payment session for an order; throws `CheckoutError.paymentProviderFailed` (a 502).
    public var startSession: @Sendable (PaymentSessionRequest) async throws -> PaymentSession
    /// A session opened without asking anyone, or nil when the provider must be asked over the
    /// network (`startSession`). With one, the order and its session are stored in one transaction.
    public var immediateSession: @Sendable () -> PaymentSession?
    /// Refunds one order line's amount (minor units); returns the provider's refund id. The provider
    /// reports the refund back as events.
    public var refund: @Sendable (LineRefund) async throws -> String
    /// Makes a subscription end at its period end (`cancel == true`) or renew again.
    public var setCancelAtPeriodEnd: @Sendable (CancelAtPeriodEnd) async throws -> Void
    /// The test provider's event source, which also serves its payment page at `/test-pay/`; nil
    /// for a real provider, whose events arrive only as signed webhooks.
    var testEvents: TestEvents?
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
