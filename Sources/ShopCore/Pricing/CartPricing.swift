/// Prices carts from the catalog: the one pricing function. The order, documented in the README's
/// "Prices" section:
/// 1. Each line's unit price (`CatalogIndex.unitPrice`): the regular price, a sale valid at checkout
///    time when lower, a quantity tier when lower still; a bundle's price from its contents; for a
///    pay-what-you-want product, the shopper's amount (never below the minimum).
/// 2. Member prices: a signed-in shopper with an active membership whose plan has a
///    `member-discount` gets that percentage off each product line the plan does not already grant
///    (the best of their plans per line; bundles excluded).
/// 3. A coupon valid today (the shop's date), as a percentage of what the lines it applies to still
///    cost or a fixed amount, spread over those lines in proportion to what each may still lose, to the cent.
/// 4. No line goes below its floor (a pay-what-you-want minimum × quantity, else zero), so a total is
///    never negative and never below the minimums the shop stated.
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
        from before: [CartLineRequest]?, to after: [CartLineRequest], index: CatalogIndex, at time: ShopTime
    ) throws(PricingError) {
        let priced = price(after, coupon: nil, index: index, at: time)
        guard priced.subtotal.amount > maximumTotal else { return }
        if let before, price(before, coupon: nil, index: index, at: time).subtotal >= priced.subtotal { return }
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

    /// Checks a line before it goes into a cart: the SKU is for sale, the quantity in range, and an
    /// `amount` (minor units per unit) is only named for a pay-what-you-want product, at or above its
    /// minimum and within `maximumTotal`.
    public static func validate(sku: String, quantity: Int, amount: Int64? = nil, in index: CatalogIndex) throws(PricingError) {
        let item = try resolve(sku, in: index)
        guard (1...maxQuantity).contains(quantity) else { throw .quantityOutOfRange(String(quantity)) }
        guard let amount else { return }
        guard let product = item.product, let rule = product.payWhatYouWant else { throw .amountNotAccepted(sku) }
        guard amount >= rule.minimum.amount else { throw .amountBelowMinimum(sku, minimum: rule.minimum) }
        guard amount <= maximumTotal else { throw .totalTooLarge(maximum: Money(amount: maximumTotal, currency: rule.minimum.currency)) }
    }

    /// Prices `lines` at `time` for a shopper whose active memberships are `members` (empty when not
    /// signed in). Lines whose SKU is no longer for sale are dropped; a coupon that is not valid today
    /// gives no discount (use `validateCoupon` to tell the shopper why).
    public static func price(
        _ lines: [CartLineRequest], coupon: String?, index: CatalogIndex, at time: ShopTime, members: [Plan] = []
    ) -> PricedCart {
        let currency = index.catalog.currency
        var priced: [Unpriced] = []
        for line in lines {
            guard let item = try? resolve(line.sku, in: index) else { continue }
            switch item.kind {
            case .product, .variant:
                guard let product = item.product else { continue }
                var unit = index.unitPrice(of: product, variant: item.variant, quantity: line.quantity, at: time)
                var floor = Money.zero(currency)
                if let rule = product.payWhatYouWant {
                    // The shopper's amount, or the suggested (possibly sale) price; never below the minimum.
                    let named = line.amount.map { Money(amount: $0, currency: currency) } ?? unit.unit
                    let amount = max(named, rule.minimum)
                    unit = UnitPrice(unit: amount, regular: amount, sale: nil, saleEnds: nil, tier: nil)
                    floor = rule.minimum * line.quantity
                }
                priced.append(Unpriced(
                    line: line, title: product.title, option: item.variant?.title, kind: item.kind, unit: unit, grants: [product.sku],
                    niche: product.niche, floor: floor))
            case .bundle, .plan:
                guard let bundle = item.bundle else { continue }
                let pricing = index.pricing(of: bundle)
                let unit = UnitPrice(unit: pricing.price, regular: pricing.price, sale: nil, saleEnds: nil, tier: nil)
                priced.append(Unpriced(
                    line: line, title: bundle.title, option: nil, kind: .bundle, unit: unit, grants: pricing.products.map(\.sku),
                    niche: nil, floor: .zero(currency)))
            }
        }
        let totals = priced.map { $0.unit.unit * $0.line.quantity }
        let subtotal = totals.reduce(Money.zero(currency), +)
        // Member prices, per product line, never below the line's floor.
        var memberDiscounts = [Money](repeating: .zero(currency), count: priced.count)
        var byPlan: [String: Money] = [:]
        for offset in priced.indices where priced[offset].kind != .bundle {
            guard let niche = priced[offset].niche,
                  let plan = members.filter({ !$0.grants(niche: niche) && ($0.memberDiscountPercent ?? 0) > 0 })
                      .max(by: { ($0.memberDiscountPercent ?? 0, $1.slug) < ($1.memberDiscountPercent ?? 0, $0.slug) })
            else { continue }
            let room = max(.zero(currency), totals[offset] - priced[offset].floor)
            memberDiscounts[offset] = min(totals[offset].percentage(plan.memberDiscountPercent ?? 0), room)
            byPlan[plan.slug, default: .zero(currency)] = byPlan[plan.slug, default: .zero(currency)] + memberDiscounts[offset]
        }
        let memberPlan = byPlan.filter { $0.value.amount > 0 }.max { ($0.value, $1.key) < ($1.value, $0.key) }
            .flatMap { best in members.first { $0.slug == best.key } }
        var applied: String?
        var discounts = memberDiscounts
        if let code = coupon, let found = index.couponsByCode[code.uppercased()] {
            let eligible = priced.indices.filter { found.niches.isEmpty || priced[$0].niche.map(found.niches.contains) == true }
            if (try? checkCoupon(found, subtotal: subtotal, eligibleCount: eligible.count, today: time.today)) != nil {
                let base = eligible.reduce(Money.zero(currency)) { $0 + totals[$1] - memberDiscounts[$1] }
                // What each line may still lose before it reaches its floor.
                let room = eligible.map { max(.zero(currency), totals[$0] - memberDiscounts[$0] - priced[$0].floor) }
                let wanted = found.percentOff.map { base.percentage($0) } ?? min(found.amountOff ?? .zero(currency), base)
                let amount = min(wanted, room.reduce(Money.zero(currency), +))
                // Spread in proportion to each line's room: no share exceeds its room (see `allocate`).
                for (offset, share) in allocate(amount, over: room).enumerated() {
                    discounts[eligible[offset]] = memberDiscounts[eligible[offset]] + share
                }
                applied = found.code
            }
        }
        let result = priced.indices.map { index in
            let item = priced[index]
            return PricedLine(
                id: item.line.id, sku: item.line.sku, kind: item.kind, title: item.title, option: item.option, unitPrice: item.unit.unit,
                quantity: item.line.quantity, total: totals[index], discount: discounts[index], grants: item.grants, niche: item.niche,
                regularUnitPrice: item.unit.regular, saleEnds: item.unit.saleEnds, tierMinimum: item.unit.tier?.minimumQuantity,
                floor: item.floor, memberDiscount: memberDiscounts[index])
        }
        let discount = discounts.reduce(Money.zero(currency), +)
        return PricedCart(
            lines: result, subtotal: subtotal, discount: discount, total: subtotal - discount, coupon: applied,
            memberDiscount: memberDiscounts.reduce(Money.zero(currency), +), memberPlan: memberPlan)
    }

    /// A line looked up in the catalog, before the coupon.
    private struct Unpriced {
        let line: CartLineRequest
        let title: String
        let option: String?
        let kind: SellableKind
        let unit: UnitPrice
        let grants: [String]
        let niche: String?
        let floor: Money
    }

    /// Whether `code` can be applied to `lines` at `time`, and if not, why.
    public static func validateCoupon(_ code: String, lines: [CartLineRequest], index: CatalogIndex, at time: ShopTime) throws(PricingError) {
        guard let coupon = index.couponsByCode[code.uppercased()] else { throw .unknownCoupon(code) }
        let cart = price(lines, coupon: nil, index: index, at: time)
        let eligible = cart.lines.filter { coupon.niches.isEmpty || $0.niche.map(coupon.niches.contains) == true }
        try checkCoupon(coupon, subtotal: cart.subtotal, eligibleCount: eligible.count, today: time.today)
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
    /// positive weight, or nothing to split, every share is zero. When `amount` is at most the sum of
    /// the weights, no share exceeds its weight (a share gets its extra unit only when its exact part
    /// had a fraction, so was below its weight).
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
