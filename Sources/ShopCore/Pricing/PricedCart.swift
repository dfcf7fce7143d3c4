/// A line as a shopper asked for it: a SKU, a quantity and, for a pay-what-you-want product, the
/// unit amount the shopper named (minor units; the only amount ever taken from a client, and only
/// at or above the product's minimum).
public struct CartLineRequest: Hashable, Sendable {
    public let id: String
    public let sku: String
    public let quantity: Int
    public let amount: Int64?

    public init(id: String, sku: String, quantity: Int, amount: Int64? = nil) {
        self.id = id
        self.sku = sku
        self.quantity = quantity
        self.amount = amount
    }
}

/// What a SKU sells: a product (its first variant's price), a variant, a bundle, or (in subscription orders) a plan.
public enum SellableKind: String, Sendable, Codable {
    case product, variant, bundle
    /// A membership plan (subscription orders).
    case plan
}

/// A line priced from the catalog.
public struct PricedLine: Hashable, Sendable {
    public let id: String
    public let sku: String
    public let kind: SellableKind
    public let title: String
    /// The variant's option ("A4"), if any.
    public let option: String?
    public let unitPrice: Money
    public let quantity: Int
    /// `unitPrice × quantity`.
    public let total: Money
    /// Everything taken off this line: its member discount plus its share of the coupon.
    public let discount: Money
    /// The member-price part of `discount`.
    public let memberDiscount: Money
    /// The regular unit price, shown struck through when a sale or tier makes `unitPrice` lower.
    public let regularUnitPrice: Money
    /// When the sale price in effect stops (seconds since 1970), if one is.
    public let saleEnds: Int?
    /// The minimum quantity of the tier in effect, if one is.
    public let tierMinimum: Int?
    /// The least this line may come to after discounts: a pay-what-you-want minimum × quantity, else zero.
    public let floor: Money
    /// The product SKUs this line grants when paid: the product, or every product in the bundle now.
    public let grants: [String]
    /// The niche of a product or variant line; nil for a bundle.
    public let niche: String?

    public init(
        id: String, sku: String, kind: SellableKind, title: String, option: String?, unitPrice: Money, quantity: Int, total: Money,
        discount: Money, grants: [String], niche: String?, regularUnitPrice: Money? = nil, saleEnds: Int? = nil,
        tierMinimum: Int? = nil, floor: Money? = nil, memberDiscount: Money? = nil
    ) {
        self.memberDiscount = memberDiscount ?? .zero(unitPrice.currency)
        self.regularUnitPrice = regularUnitPrice ?? unitPrice
        self.saleEnds = saleEnds
        self.tierMinimum = tierMinimum
        self.floor = floor ?? .zero(unitPrice.currency)
        self.id = id
        self.sku = sku
        self.kind = kind
        self.title = title
        self.option = option
        self.unitPrice = unitPrice
        self.quantity = quantity
        self.total = total
        self.discount = discount
        self.grants = grants
        self.niche = niche
    }
}

/// A cart priced from the catalog: never from anything a browser sent.
public struct PricedCart: Hashable, Sendable {
    public let lines: [PricedLine]
    public let subtotal: Money
    public let discount: Money
    public let total: Money
    /// The applied coupon code, if it is valid today.
    public let coupon: String?
    /// The member-price part of `discount`, and the plan that gave the most of it.
    public let memberDiscount: Money
    public let memberPlan: Plan?

    public var itemCount: Int { lines.reduce(0) { $0 + $1.quantity } }

    public init(
        lines: [PricedLine], subtotal: Money, discount: Money, total: Money, coupon: String?, memberDiscount: Money? = nil,
        memberPlan: Plan? = nil
    ) {
        self.memberDiscount = memberDiscount ?? .zero(subtotal.currency)
        self.memberPlan = memberPlan
        self.lines = lines
        self.subtotal = subtotal
        self.discount = discount
        self.total = total
        self.coupon = coupon
    }
}
