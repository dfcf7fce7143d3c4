/// A subscription set to end at its period end, or to renew again (Stripe's `cancel_at_period_end`), with what the provider's
/// `customer.subscription.updated` event carries.
public struct CancelAtPeriodEnd: Sendable {
    /// The provider's subscription id (`sub_…`).
    public let providerID: String
    public let cancel: Bool
    public let status: String
    /// Seconds since 1970.
    public let periodEnd: Int
    public let orderID: String
    public let plan: String
}
