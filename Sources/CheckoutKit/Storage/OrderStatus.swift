/// Where an order stands. Derived from the facts recorded about it, never set directly, so events
/// arriving twice or out of order give the same answer.
public enum OrderStatus: String, Sendable, Codable, CaseIterable {
    case pending
    case paid
    case failed
    case expired
    case partiallyRefunded = "partially_refunded"
    case refunded

    /// The status that follows from what is known: a payment wins over a failure or expiry that
    /// arrives after it, and refunds count only against a paid order.
    public static func derive(paid: Bool, failed: Bool, expired: Bool, amountRefunded: Int64, total: Int64) -> OrderStatus {
        if paid {
            if amountRefunded > 0 && amountRefunded >= total { return .refunded }
            if amountRefunded > 0 { return .partiallyRefunded }
            return .paid
        }
        if failed { return .failed }
        if expired { return .expired }
        return .pending
    }
}
