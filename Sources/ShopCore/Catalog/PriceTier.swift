/// One step of a quantity-tiered (volume) price: from `minimumQuantity` units on, each unit costs
/// `unitPrice`, as team and classroom licences are sold (Lemon Squeezy's and Paddle's volume pricing).
/// The tier for a quantity is the one with the highest minimum not above it; below the first tier
/// the regular (or sale) price applies.
public struct PriceTier: Hashable, Sendable, Codable {
    /// The least quantity this tier prices (2 or more).
    public var minimumQuantity: Int
    /// What each unit costs from that quantity on.
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
