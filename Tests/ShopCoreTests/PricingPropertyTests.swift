import ShopCore
import Testing
import TestSupport

/// The pricing order's promises over many generated catalogs and carts (sales, tiers, named prices,
/// bundles, member prices, percentage and fixed coupons): a total is never negative and never below the minimums
/// the shop stated, and every discount is spread over the lines to the cent.
@Suite struct PricingPropertyTests {
    static let usd = Currency.usd
    static func money(_ amount: Int64) -> Money { Money(amount: amount, currency: usd) }

    /// A catalog of a dozen products whose prices and rules come from `random`.
    static func catalog(_ random: inout SplitMix64) -> Catalog {
        var catalog = Catalog(currency: usd, niches: [Niche(slug: "a", title: "A"), Niche(slug: "b", title: "B")])
        for number in 0..<12 {
            let price = Int64(random.next(below: 5000))
            var product = Product(
                sku: "P-\(number)", slug: "p-\(number)", title: "P \(number)", niche: random.next(below: 2) == 0 ? "a" : "b",
                price: money(price))
            switch random.next(below: 4) {
            case 0: product.sale = Sale(price: money(Int64(random.next(below: Int(price) + 1))), starts: random.next(below: 2) == 0 ? "" : "2026-06-01")
            case 1:
                let first = 2 + random.next(below: 5)
                let cheaper = Int64(random.next(below: Int(price) + 1))
                product.tiers = [
                    PriceTier(minimumQuantity: first, unitPrice: money(cheaper)),
                    PriceTier(minimumQuantity: first + 1 + random.next(below: 10), unitPrice: money(Int64(random.next(below: Int(cheaper) + 1)))),
                ]
            case 2: product.payWhatYouWant = PayWhatYouWant(minimum: money(Int64(random.next(below: Int(price) + 1))))
            default: break
            }
            catalog.products.append(product)
        }
        catalog.bundles = [ProductBundle(slug: "all-a", sku: "B-A", title: "All A", discountPercent: random.next(below: 60), rule: BundleRule(niches: ["a"]))]
        catalog.plans = [
            Plan(slug: "club-a", sku: "PL-A", title: "Club A", price: money(999), niches: ["a"], memberDiscountPercent: random.next(below: 101)),
            Plan(slug: "club-b", sku: "PL-B", title: "Club B", price: money(999), niches: ["b"], memberDiscountPercent: random.next(below: 101)),
        ]
        catalog.coupons = [
            Coupon(code: "PCT", percentOff: random.next(below: 101)),
            Coupon(code: "FIX", amountOff: money(Int64(random.next(below: 20000)))),
            Coupon(code: "NICHE", percentOff: random.next(below: 101), niches: ["b"]),
        ]
        return catalog
    }

    @Test func totalsNeverGoNegativeOrBelowTheMinimumsAndDiscountsAddUpToTheCent() {
        var random = SplitMix64(seed: 14)
        let time = ShopTime(instant: 1_790_000_000)
        for _ in 0..<400 {
            let index = CatalogIndex(Self.catalog(&random))
            let skus = index.catalog.products.map(\.sku) + ["B-A"]
            let lines = (0..<(1 + random.next(below: 6))).map { number in
                let sku = skus[random.next(below: skus.count)]
                let amount: Int64? = random.next(below: 3) == 0 ? Int64(random.next(below: 6000)) : nil
                return CartLineRequest(id: "l\(number)", sku: sku, quantity: 1 + random.next(below: 30), amount: amount)
            }
            let coupon = [nil, "PCT", "FIX", "NICHE"][random.next(below: 4)]
            let members = index.catalog.plans.filter { _ in random.next(below: 2) == 0 }
            let cart = CartPricing.price(lines, coupon: coupon, index: index, at: time, members: members)
            let context = "\(lines) \(coupon ?? "-") \(cart)"
            #expect(cart.total.amount >= 0, "\(context)")
            #expect(cart.total.amount >= cart.lines.reduce(0) { $0 + $1.floor.amount }, "\(context)")
            #expect(cart.subtotal.amount == cart.lines.reduce(0) { $0 + $1.total.amount })
            #expect(cart.discount.amount == cart.lines.reduce(0) { $0 + $1.discount.amount }, "\(context)")
            #expect(cart.memberDiscount.amount == cart.lines.reduce(0) { $0 + $1.memberDiscount.amount }, "\(context)")
            #expect(cart.total == cart.subtotal - cart.discount)
            for line in cart.lines {
                #expect(line.total == line.unitPrice * line.quantity)
                #expect(line.discount.amount >= 0 && line.discount <= line.total - line.floor, "\(line)")
                #expect(line.unitPrice <= line.regularUnitPrice, "\(line)")
                #expect(line.memberDiscount.amount >= 0 && line.memberDiscount <= line.discount, "\(line)")
                if line.kind == .bundle || !members.contains(where: { !$0.grants(niche: line.niche ?? "") }) {
                    #expect(line.memberDiscount.amount == 0, "only product lines a member's plan does not grant: \(line)")
                }
            }
        }
    }
}
