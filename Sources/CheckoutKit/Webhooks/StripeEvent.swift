import Foundation

/// The parts of a Stripe event this service reads. Unknown fields are ignored, as Stripe adds them freely.
struct StripeEvent: Decodable, Sendable {
    let id: String
    let type: String
    let created: Int
    let data: EventData

    struct EventData: Decodable, Sendable {
        let object: StripeObject
    }

    /// The Unix times an event may carry (seconds since 1970, up to the end of year 9999). Anything
    /// else makes it a malformed event, so no later date arithmetic sees an absurd time.
    static let validTimes = 0...253_402_300_799

    enum CodingKeys: String, CodingKey {
        case id, type, created, data
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        type = try container.decode(String.self, forKey: .type)
        created = try Self.time(container.decode(Int.self, forKey: .created), key: .created, in: container)
        data = try container.decode(EventData.self, forKey: .data)
    }

    /// `value` when it is a valid event time; else a decoding error naming `key`.
    static func time<Key: CodingKey>(_ value: Int, key: Key, in container: KeyedDecodingContainer<Key>) throws -> Int {
        guard validTimes.contains(value) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "\(value) is not a time between 1970 and 9999")
        }
        return value
    }

    static func decode(_ payload: Data) throws -> StripeEvent {
        try JSONDecoder().decode(StripeEvent.self, from: payload)
    }
}

/// A Checkout Session, Charge, Subscription or Invoice: the fields of each that matter here.
struct StripeObject: Decodable, Sendable {
    let id: String?
    let object: String?
    let clientReferenceID: String?
    let paymentStatus: String?
    let paymentIntent: String?
    let metadata: [String: String]?
    let amountRefunded: Int64?
    let amountTotal: Int64?
    let customer: String?
    let subscription: String?
    let status: String?
    let mode: String?
    let currentPeriodEnd: Int?
    let cancelAtPeriodEnd: Bool?
    /// For invoices: the end of the period the first line bills for.
    let linePeriodEnd: Int?
    let customerEmail: String?
    /// Invoices carry their subscription's metadata here.
    let subscriptionMetadata: [String: String]?

    enum CodingKeys: String, CodingKey {
        case id, object, metadata, customer, subscription, status, mode, lines
        case currentPeriodEnd = "current_period_end"
        case cancelAtPeriodEnd = "cancel_at_period_end"
        case customerEmail = "customer_email"
        case subscriptionDetails = "subscription_details"
        case clientReferenceID = "client_reference_id"
        case paymentStatus = "payment_status"
        case paymentIntent = "payment_intent"
        case amountRefunded = "amount_refunded"
        case amountTotal = "amount_total"
    }

    /// Stripe sends `payment_intent` and `subscription` as an id or an expanded object; keep the id either way.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decodeIfPresent(String.self, forKey: .id)
        object = try container.decodeIfPresent(String.self, forKey: .object)
        clientReferenceID = try container.decodeIfPresent(String.self, forKey: .clientReferenceID)
        paymentStatus = try container.decodeIfPresent(String.self, forKey: .paymentStatus)
        paymentIntent = Self.identifier(container, .paymentIntent)
        metadata = try? container.decodeIfPresent([String: String].self, forKey: .metadata)
        amountRefunded = try container.decodeIfPresent(Int64.self, forKey: .amountRefunded)
            .map { try Self.amount($0, key: .amountRefunded, in: container) }
        amountTotal = try container.decodeIfPresent(Int64.self, forKey: .amountTotal)
            .map { try Self.amount($0, key: .amountTotal, in: container) }
        customer = Self.identifier(container, .customer)
        subscription = Self.identifier(container, .subscription)
        status = try container.decodeIfPresent(String.self, forKey: .status)
        mode = try container.decodeIfPresent(String.self, forKey: .mode)
        currentPeriodEnd = try (try? container.decodeIfPresent(Int.self, forKey: .currentPeriodEnd))
            .map { try StripeEvent.time($0, key: .currentPeriodEnd, in: container) }
        cancelAtPeriodEnd = try? container.decodeIfPresent(Bool.self, forKey: .cancelAtPeriodEnd)
        customerEmail = try? container.decodeIfPresent(String.self, forKey: .customerEmail)
        linePeriodEnd = try ((try? container.decodeIfPresent(InvoiceLines.self, forKey: .lines))?.data.first?.period?.end)
            .map { try StripeEvent.time($0, key: .lines, in: container) }
        subscriptionMetadata = (try? container.decodeIfPresent(SubscriptionDetails.self, forKey: .subscriptionDetails))?.metadata
    }

    /// Amounts an event may carry, in minor units: none negative, none over twelve digits (more than
    /// any payment takes), so sums with order totals cannot overflow.
    static let validAmounts: ClosedRange<Int64> = 0...999_999_999_999

    private static func amount(_ value: Int64, key: CodingKeys, in container: KeyedDecodingContainer<CodingKeys>) throws -> Int64 {
        guard validAmounts.contains(value) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "\(value) is not an amount")
        }
        return value
    }

    private struct SubscriptionDetails: Decodable {
        let metadata: [String: String]?
    }

    private struct InvoiceLines: Decodable {
        struct Line: Decodable {
            struct Period: Decodable { let end: Int? }
            let period: Period?
        }
        let data: [Line]
    }

    private struct Expanded: Decodable { let id: String }

    private static func identifier(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) -> String? {
        if let id = try? container.decodeIfPresent(String.self, forKey: key) { return id }
        return (try? container.decodeIfPresent(Expanded.self, forKey: key))?.id
    }

    /// The order this object is about, from our own references on it.
    var orderID: String? { clientReferenceID ?? metadata?["order_id"] ?? subscriptionMetadata?["order_id"] }
}
