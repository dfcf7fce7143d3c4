/// Pay what you want (Gumroad's "name a fair price"): the shopper's amount is charged when it is at
/// least `minimum`; the product's `price` is the suggested amount shown.
public struct PayWhatYouWant: Hashable, Sendable, Codable {
    /// The least a unit may be bought for, in the shop's currency (zero: free is allowed).
    public var minimum: Money

    public init(minimum: Money) {
        self.minimum = minimum
    }
}
