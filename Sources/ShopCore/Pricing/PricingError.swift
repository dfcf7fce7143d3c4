/// Why a line or coupon cannot go into a cart, with the request field at fault.
public enum PricingError: Error, Equatable, Sendable {
    case unknownSKU(String)
    case unavailable(String)
    /// The quantity as sent (it may not fit an `Int`).
    case quantityOutOfRange(String)
    case tooManyLines
    /// The cart's subtotal would be over `CartPricing.maximumTotal`.
    case totalTooLarge(maximum: Money)
    case unknownCoupon(String)
    case couponInactive(String)
    case couponNotStarted(String, startsOn: String)
    case couponExpired(String, expiredOn: String)
    case couponBelowMinimum(String, minimum: Money)
    case couponNotApplicable(String)
    /// A pay-what-you-want amount below the product's minimum.
    case amountBelowMinimum(String, minimum: Money)
    /// An amount named for a product whose price is not the shopper's to name.
    case amountNotAccepted(String)

    /// A stable machine-readable code for API clients.
    public var code: String {
        switch self {
        case .unknownSKU: return "unknown_sku"
        case .unavailable: return "product_unavailable"
        case .quantityOutOfRange: return "invalid_quantity"
        case .tooManyLines: return "too_many_lines"
        case .totalTooLarge: return "amount_too_large"
        case .unknownCoupon: return "unknown_coupon"
        case .couponInactive: return "coupon_inactive"
        case .couponNotStarted: return "coupon_not_started"
        case .couponExpired: return "coupon_expired"
        case .couponBelowMinimum: return "coupon_minimum_not_met"
        case .couponNotApplicable: return "coupon_not_applicable"
        case .amountBelowMinimum: return "amount_below_minimum"
        case .amountNotAccepted: return "amount_not_accepted"
        }
    }

    /// The request field the problem is in.
    public var field: String {
        switch self {
        case .unknownSKU, .unavailable: return "sku"
        case .quantityOutOfRange: return "quantity"
        case .tooManyLines: return "lines"
        case .totalTooLarge: return "quantity"
        case .amountBelowMinimum, .amountNotAccepted: return "amount"
        default: return "code"
        }
    }

    public var message: String {
        switch self {
        case let .unknownSKU(sku): return "\(Quoted(sku)) is not a product, variant or bundle SKU"
        case let .unavailable(sku): return "\(Quoted(sku)) is not for sale"
        case let .quantityOutOfRange(quantity):
            return "quantity \(quantity) is out of range: 1 to \(CartPricing.maxQuantity)"
        case .tooManyLines: return "a cart holds at most \(CartPricing.maxLines) lines"
        case let .totalTooLarge(maximum): return "a cart's subtotal can be at most \(maximum.formatted), the most a payment can take"
        case let .unknownCoupon(code): return "\(Quoted(code)) is not a coupon code"
        case let .couponInactive(code): return "coupon \(code) is no longer valid"
        case let .couponNotStarted(code, startsOn): return "coupon \(code) is valid from \(startsOn)"
        case let .couponExpired(code, expiredOn): return "coupon \(code) expired on \(expiredOn)"
        case let .couponBelowMinimum(code, minimum): return "coupon \(code) needs a subtotal of at least \(minimum.formatted)"
        case let .couponNotApplicable(code): return "coupon \(code) does not apply to anything in the cart"
        case let .amountBelowMinimum(sku, minimum): return "\(Quoted(sku)) costs at least \(minimum.formatted)"
        case let .amountNotAccepted(sku): return "\(Quoted(sku)) has a set price; send no amount for it"
        }
    }
}
