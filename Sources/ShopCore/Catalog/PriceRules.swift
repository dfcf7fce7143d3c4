/// A scheduled sale price of a product or variant.
///
/// `starts` and `ends` are wall-clock times in the shop's time zone (`timezone:` in `site.yaml`),
/// written `YYYY-MM-DD` or `YYYY-MM-DD HH:MM`; empty for no bound. A sale runs from its start
/// (a date alone: that day's midnight) up to, not including, its end (a date alone: the end of that
/// day, as WooCommerce's "Date sale price ends" includes the day). A sale at or above the regular
/// price is no sale (WooCommerce's `is_on_sale`).
public struct Sale: Hashable, Sendable, Codable {
    public var price: Money
    public var starts: String
    public var ends: String

    public init(price: Money, starts: String = "", ends: String = "") {
        self.price = price
        self.starts = starts
        self.ends = ends
    }
}

/// One step of a quantity-tiered (volume) price: from `minimumQuantity` units on, each unit costs
/// `unitPrice`, as team and classroom licences are sold (Lemon Squeezy's and Paddle's volume pricing).
/// The tier for a quantity is the one with the highest minimum not above it; below the first tier
/// the regular (or sale) price applies.
public struct PriceTier: Hashable, Sendable, Codable {
    public var minimumQuantity: Int
    public var unitPrice: Money

    public init(minimumQuantity: Int, unitPrice: Money) {
        self.minimumQuantity = minimumQuantity
        self.unitPrice = unitPrice
    }

    /// The tier that prices `quantity` units, if any.
    public static func tier(for quantity: Int, in tiers: [PriceTier]) -> PriceTier? {
        tiers.filter { $0.minimumQuantity <= quantity }.max { $0.minimumQuantity < $1.minimumQuantity }
    }
}

/// Pay what you want (Gumroad's "name a fair price"): the shopper's amount is charged when it is at
/// least `minimum`; the product's `price` is the suggested amount shown.
public struct PayWhatYouWant: Hashable, Sendable, Codable {
    /// The least a unit may be bought for, in the shop's currency (zero: free is allowed).
    public var minimum: Money

    public init(minimum: Money) {
        self.minimum = minimum
    }
}
