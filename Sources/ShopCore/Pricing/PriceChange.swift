/// A scheduled price change: the sale of `sku` `starts` or `ends` at `instant` (seconds since 1970).
public struct PriceChange: Hashable, Sendable {
    /// Seconds since 1970.
    public let instant: Int
    /// The product or variant whose sale it is.
    public let sku: String
    /// `starts` or `ends`.
    public let event: String

    public init(instant: Int, sku: String, event: String) {
        self.instant = instant
        self.sku = sku
        self.event = event
    }
}
