/// What one unit of a product or variant costs at a moment, and why: the one place a unit price is
/// decided, for the checkout's carts and the site's pages alike.
public struct UnitPrice: Hashable, Sendable {
    /// What is charged per unit.
    public let unit: Money
    /// The regular price, shown struck through when `unit` is lower.
    public let regular: Money
    /// The sale in effect, if any.
    public let sale: Sale?
    /// When the sale price in effect stops (seconds since 1970): schema.org's `priceValidUntil`.
    public let saleEnds: Int?
    /// The quantity tier in effect, if any.
    public let tier: PriceTier?

    /// Whether the unit price is below the regular price (the page strikes the regular one through).
    public var isReduced: Bool { unit < regular }
}

extension CatalogIndex {
    /// The sale that applies to `variant` of `product` (or the product sold as is): the variant's
    /// own, else the product's when the variant costs what the product does (no price of its own, or
    /// the same one).
    public func sale(of product: Product, variant: Variant?) -> Sale? {
        guard let variant else { return product.sale }
        if let own = variant.sale { return own }
        return (variant.price ?? product.price) == product.price ? product.sale : nil
    }

    /// The unit price of `quantity` units of `variant` of `product` at `time`, in this order:
    /// 1. the regular price (the variant's own, else the product's);
    /// 2. a sale valid at `time` replaces it when lower;
    /// 3. the product's quantity tier for `quantity` replaces that when lower still.
    /// The shopper gets the better of a sale and a tier, never both at once.
    public func unitPrice(of product: Product, variant: Variant?, quantity: Int = 1, at time: ShopTime) -> UnitPrice {
        let regular = variant.flatMap(price(of:)) ?? product.price
        var unit = regular
        var applied: Sale?
        var ends: Int?
        if let sale = sale(of: product, variant: variant), sale.applies(at: time, regular: regular) {
            unit = sale.price
            applied = sale
            ends = sale.window(in: time).ends
        }
        if let tier = PriceTier.tier(for: quantity, in: product.tiers), tier.unitPrice < unit {
            return UnitPrice(unit: tier.unitPrice, regular: regular, sale: nil, saleEnds: nil, tier: tier)
        }
        return UnitPrice(unit: unit, regular: regular, sale: applied, saleEnds: ends, tier: nil)
    }

    /// The first moment after `time` at which a sale starts or ends: when a page showing prices
    /// changes, so a static site must be rebuilt. Nil when nothing is scheduled.
    public func nextPriceChange(after time: ShopTime) -> PriceChange? {
        var next: PriceChange?
        func consider(_ sale: Sale?, sku: String, regular: Money?) {
            // A sale not below its price changes nothing on a page.
            guard let sale, let regular, sale.price < regular else { return }
            let (starts, ends) = sale.window(in: time)
            for (instant, event) in [(starts, "starts"), (ends, "ends")] {
                guard let instant, instant > time.instant, instant < (next?.instant ?? .max) else { continue }
                next = PriceChange(instant: instant, sku: sku, event: event)
            }
        }
        // Every product with a page shows its price: archived ones too (only drafts have none).
        for product in catalog.products where product.status != .draft { consider(product.sale, sku: product.sku, regular: product.price) }
        for variant in catalog.variants where productsBySKU[variant.product].map({ $0.status != .draft }) ?? false {
            consider(variant.sale, sku: variant.sku, regular: price(of: variant))
        }
        return next
    }
}
