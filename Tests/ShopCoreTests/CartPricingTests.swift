import ShopCore
import Testing

@Suite struct CartPricingTests {
    let index = CatalogIndex(smallCatalog())
    let today = ShopTime(instant: 1_780_272_000) // 2026-06-01 00:00 UTC

    func line(_ sku: String, _ quantity: Int = 1) -> CartLineRequest { CartLineRequest(id: sku, sku: sku, quantity: quantity) }

    @Test func pricesProductsVariantsAndBundlesFromTheCatalog() {
        let cart = CartPricing.price([line("K-1", 2), line("K-1-A4"), line("B-COLOR")], coupon: nil, index: index, at: today)
        #expect(cart.lines.map(\.unitPrice.amount) == [499, 599, 1049])
        #expect(cart.lines.map(\.kind) == [.product, .variant, .bundle])
        #expect(cart.lines[2].grants == ["K-2", "K-1"])
        #expect(cart.subtotal.amount == 998 + 599 + 1049)
        #expect(cart.total == cart.subtotal)
        #expect(cart.itemCount == 4)
    }

    @Test func linesThatAreNoLongerForSaleDropOut() {
        let cart = CartPricing.price([line("H-1"), line("GONE"), line("K-2")], coupon: nil, index: index, at: today)
        #expect(cart.lines.map(\.sku) == ["K-2"])
    }

    @Test func percentCouponsSplitTheirDiscountExactlyOverTheLines() {
        let cart = CartPricing.price([line("K-1"), line("K-2"), line("K-3")], coupon: "ten", index: index, at: today)
        #expect(cart.coupon == "TEN")
        #expect(cart.discount.amount == 300, "10% of 2997, rounded half up")
        #expect(cart.lines.map(\.discount.amount).reduce(0, +) == 300)
        #expect(cart.total.amount == 2997 - 300)
    }

    @Test func allocationSumsExactlyAndFavoursLargestRemainders() {
        let shares = CartPricing.allocate(
            Money(amount: 100, currency: .usd), over: [Money(amount: 1, currency: .usd), Money(amount: 1, currency: .usd), Money(amount: 1, currency: .usd)])
        #expect(shares.map(\.amount) == [34, 33, 33])
        #expect(CartPricing.allocate(Money(amount: 0, currency: .usd), over: [Money(amount: 5, currency: .usd)]).map(\.amount) == [0])
    }

    @Test func fixedAmountCouponsNeverExceedWhatTheyApplyTo() {
        var catalog = smallCatalog()
        catalog.coupons = [Coupon(code: "BIG", amountOff: Money(amount: 100_000, currency: .usd))]
        let cart = CartPricing.price([line("K-1")], coupon: "BIG", index: CatalogIndex(catalog), at: today)
        #expect(cart.discount.amount == 499)
        #expect(cart.total.amount == 0)
    }

    @Test func nicheCouponsDiscountOnlyTheirNiche() {
        var catalog = smallCatalog()
        catalog.products.append(Product(sku: "H-2", slug: "h2", title: "Home Two", niche: "home", price: Money(amount: 1000, currency: .usd)))
        catalog.coupons = [Coupon(code: "HOME", percentOff: 50, niches: ["home"])]
        let cart = CartPricing.price([line("K-1"), line("H-2")], coupon: "HOME", index: CatalogIndex(catalog), at: today)
        #expect(cart.lines.map(\.discount.amount) == [0, 500])
    }

    @Test func couponValidityIsCheckedWithReasons() {
        var catalog = smallCatalog()
        catalog.coupons = [
            Coupon(code: "OLD", percentOff: 10, expiresOn: "2026-05-31"),
            Coupon(code: "SOON", percentOff: 10, startsOn: "2026-06-02"),
            Coupon(code: "OFF", percentOff: 10, active: false),
            Coupon(code: "MIN", percentOff: 10, minimumSubtotal: Money(amount: 5000, currency: .usd)),
            Coupon(code: "EDGE", percentOff: 10, startsOn: "2026-06-01", expiresOn: "2026-06-01"),
        ]
        let index = CatalogIndex(catalog)
        let lines = [line("K-1")]
        #expect(throws: PricingError.couponExpired("OLD", expiredOn: "2026-05-31")) {
            try CartPricing.validateCoupon("old", lines: lines, index: index, at: today)
        }
        #expect(throws: PricingError.couponNotStarted("SOON", startsOn: "2026-06-02")) {
            try CartPricing.validateCoupon("SOON", lines: lines, index: index, at: today)
        }
        #expect(throws: PricingError.couponInactive("OFF")) { try CartPricing.validateCoupon("OFF", lines: lines, index: index, at: today) }
        #expect(throws: PricingError.unknownCoupon("NOPE")) { try CartPricing.validateCoupon("NOPE", lines: lines, index: index, at: today) }
        #expect(throws: (any Error).self) { try CartPricing.validateCoupon("MIN", lines: lines, index: index, at: today) }
        #expect(throws: Never.self) { try CartPricing.validateCoupon("EDGE", lines: lines, index: index, at: today) }
    }

    @Test func resolvingRefusesUnknownAndInactiveSKUs() {
        #expect(throws: PricingError.unknownSKU("X")) { try CartPricing.validate(sku: "X", quantity: 1, in: index) }
        #expect(throws: PricingError.unavailable("H-1")) { try CartPricing.validate(sku: "H-1", quantity: 1, in: index) }
        #expect(throws: PricingError.quantityOutOfRange("0")) { try CartPricing.validate(sku: "K-1", quantity: 0, in: index) }
    }
}
