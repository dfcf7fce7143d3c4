/// A line as a shopper asked for it: a SKU and a quantity.
public struct CartLineRequest: Hashable, Sendable {
    public let id: String
    public let sku: String
    public let quantity: Int

    public init(id: String, sku: String, quantity: Int) {
        self.id = id
        self.sku = sku
        self.quantity = quantity
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
    /// This line's share of the coupon discount.
    public let discount: Money
    /// The product SKUs this line grants when paid: the product, or every product in the bundle now.
    public let grants: [String]
    /// The niche of a product or variant line; nil for a bundle.
    public let niche: String?

    public init(
        id: String, sku: String, kind: SellableKind, title: String, option: String?, unitPrice: Money, quantity: Int, total: Money,
        discount: Money, grants: [String], niche: String?
    ) {
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

    public var itemCount: Int { lines.reduce(0) { $0 + $1.quantity } }

    public init(lines: [PricedLine], subtotal: Money, discount: Money, total: Money, coupon: String?) {
        self.lines = lines
        self.subtotal = subtotal
        self.discount = discount
        self.total = total
        self.coupon = coupon
    }
}

/// Prices carts: looks every SKU up in the catalog, applies a coupon, spreads its discount over the lines.
public enum CartPricing {
    public static let maxQuantity = 100
    public static let maxLines = 50
    /// The largest subtotal a cart may reach, in minor units: Stripe charges amounts of at most eight
    /// digits ("99999999 for a USD charge of $999,999.99", Stripe API reference, `amount`), whatever
    /// the currency.
    public static let maximumTotal: Int64 = 99_999_999

    /// Whether a change from `before` (nil for a new cart) to `after` may be made: it may not take the
    /// subtotal over `maximumTotal`, though a cart already over it (the catalog's prices rose) may shrink.
    public static func checkChange(
        from before: [CartLineRequest]?, to after: [CartLineRequest], index: CatalogIndex, today: String
    ) throws(PricingError) {
        let priced = price(after, coupon: nil, index: index, today: today)
        guard priced.subtotal.amount > maximumTotal else { return }
        if let before, price(before, coupon: nil, index: index, today: today).subtotal >= priced.subtotal { return }
        try checkTotal(priced)
    }

    /// Throws `.totalTooLarge` when a cart's subtotal is over `maximumTotal`.
    public static func checkTotal(_ cart: PricedCart) throws(PricingError) {
        guard cart.subtotal.amount <= maximumTotal else {
            throw .totalTooLarge(maximum: Money(amount: maximumTotal, currency: cart.subtotal.currency))
        }
    }

    /// What a SKU sells, or why it cannot be sold.
    public static func resolve(_ sku: String, in index: CatalogIndex) throws(PricingError) -> (kind: SellableKind, product: Product?, variant: Variant?, bundle: ProductBundle?) {
        if let product = index.productsBySKU[sku] {
            guard product.status == .active else { throw .unavailable(sku) }
            return (.product, product, index.variants(of: product).first, nil)
        }
        if let variant = index.variantsBySKU[sku] {
            guard let product = index.productsBySKU[variant.product], product.status == .active else { throw .unavailable(sku) }
            return (.variant, product, variant, nil)
        }
        if let bundle = index.bundlesBySKU[sku] {
            guard index.contents(of: bundle).count >= 1 else { throw .unavailable(sku) }
            return (.bundle, nil, nil, bundle)
        }
        throw .unknownSKU(sku)
    }

    /// Checks a line before it goes into a cart.
    public static func validate(sku: String, quantity: Int, in index: CatalogIndex) throws(PricingError) {
        _ = try resolve(sku, in: index)
        guard (1...maxQuantity).contains(quantity) else { throw .quantityOutOfRange(String(quantity)) }
    }

    /// Prices `lines`. Lines whose SKU is no longer for sale are dropped; a coupon that is not valid
    /// today gives no discount (use `validateCoupon` to tell the shopper why).
    public static func price(_ lines: [CartLineRequest], coupon: String?, index: CatalogIndex, today: String) -> PricedCart {
        let currency = index.catalog.currency
        var priced: [(line: CartLineRequest, title: String, option: String?, kind: SellableKind, unit: Money, grants: [String], niche: String?)] = []
        for line in lines {
            guard let item = try? resolve(line.sku, in: index) else { continue }
            switch item.kind {
            case .product, .variant:
                guard let product = item.product else { continue }
                let unit = item.variant.flatMap(index.price(of:)) ?? product.price
                priced.append((line, product.title, item.variant?.title, item.kind, unit, [product.sku], product.niche))
            case .bundle, .plan:
                guard let bundle = item.bundle else { continue }
                let pricing = index.pricing(of: bundle)
                priced.append((line, bundle.title, nil, .bundle, pricing.price, pricing.products.map(\.sku), nil))
            }
        }
        let totals = priced.map { $0.unit * $0.line.quantity }
        let subtotal = totals.reduce(Money.zero(currency), +)
        var applied: String?
        var discounts = [Money](repeating: .zero(currency), count: priced.count)
        if let code = coupon, let found = index.couponsByCode[code.uppercased()] {
            let eligible = priced.indices.filter { found.niches.isEmpty || priced[$0].niche.map(found.niches.contains) == true }
            if (try? checkCoupon(found, subtotal: subtotal, eligibleCount: eligible.count, today: today)) != nil {
                let base = eligible.reduce(Money.zero(currency)) { $0 + totals[$1] }
                let amount = found.percentOff.map { base.percentage($0) } ?? min(found.amountOff ?? .zero(currency), base)
                for (offset, share) in allocate(amount, over: eligible.map { totals[$0] }).enumerated() {
                    discounts[eligible[offset]] = share
                }
                applied = found.code
            }
        }
        let result = priced.indices.map { index in
            PricedLine(
                id: priced[index].line.id, sku: priced[index].line.sku, kind: priced[index].kind, title: priced[index].title,
                option: priced[index].option, unitPrice: priced[index].unit, quantity: priced[index].line.quantity,
                total: totals[index], discount: discounts[index], grants: priced[index].grants, niche: priced[index].niche)
        }
        let discount = discounts.reduce(Money.zero(currency), +)
        return PricedCart(lines: result, subtotal: subtotal, discount: discount, total: subtotal - discount, coupon: applied)
    }

    /// Whether `code` can be applied to `lines` today, and if not, why.
    public static func validateCoupon(_ code: String, lines: [CartLineRequest], index: CatalogIndex, today: String) throws(PricingError) {
        guard let coupon = index.couponsByCode[code.uppercased()] else { throw .unknownCoupon(code) }
        let cart = price(lines, coupon: nil, index: index, today: today)
        let eligible = cart.lines.filter { coupon.niches.isEmpty || $0.niche.map(coupon.niches.contains) == true }
        try checkCoupon(coupon, subtotal: cart.subtotal, eligibleCount: eligible.count, today: today)
    }

    static func checkCoupon(_ coupon: Coupon, subtotal: Money, eligibleCount: Int, today: String) throws(PricingError) {
        guard coupon.active else { throw .couponInactive(coupon.code) }
        if !coupon.startsOn.isEmpty && today < coupon.startsOn { throw .couponNotStarted(coupon.code, startsOn: coupon.startsOn) }
        if !coupon.expiresOn.isEmpty && today > coupon.expiresOn { throw .couponExpired(coupon.code, expiredOn: coupon.expiresOn) }
        if let minimum = coupon.minimumSubtotal, subtotal < minimum { throw .couponBelowMinimum(coupon.code, minimum: minimum) }
        guard eligibleCount > 0 else { throw .couponNotApplicable(coupon.code) }
    }

    /// Splits `amount` over `weights` in proportion, in whole minor units that sum exactly to `amount`
    /// (largest remainder first, earlier lines winning ties). Negative weights count as zero; with no
    /// positive weight, or nothing to split, every share is zero.
    public static func allocate(_ amount: Money, over weights: [Money]) -> [Money] {
        var weights = weights.map { max(0, $0.amount) }
        // Weights whose sum does not fit in 64 bits (amounts no shop charges) are halved together until
        // it does: the split stays exact and nearly proportional, and nothing traps.
        var sum = sumIfRepresentable(weights)
        while sum == nil {
            weights = weights.map { $0 >> 1 }
            sum = sumIfRepresentable(weights)
        }
        let total = sum ?? 0
        guard total > 0, amount.amount > 0 else { return weights.map { _ in .zero(amount.currency) } }
        // amount × weight can exceed 64 bits; the quotient cannot, as weight ≤ total.
        let parts = weights.map { weight in
            total.dividingFullWidth(amount.amount.multipliedFullWidth(by: weight))
        }
        var shares = parts.map(\.quotient)
        var remainder = amount.amount - shares.reduce(0, +)
        let order = weights.indices.sorted {
            parts[$0].remainder != parts[$1].remainder ? parts[$0].remainder > parts[$1].remainder : $0 < $1
        }
        for index in order where remainder > 0 {
            shares[index] += 1
            remainder -= 1
        }
        return shares.map { Money(amount: $0, currency: amount.currency) }
    }

    private static func sumIfRepresentable(_ values: [Int64]) -> Int64? {
        var sum: Int64 = 0
        for value in values {
            let (next, overflow) = sum.addingReportingOverflow(value)
            if overflow { return nil }
            sum = next
        }
        return sum
    }
}
