import Foundation
import ShopCore
import Testing

/// Scheduled sales, quantity tiers and pay what you want, as `CatalogIndex.unitPrice` and
/// `CartPricing` decide them, and as the catalog text reads and writes them.
@Suite struct PriceRulesTests {
    static let usd = Currency.usd
    static func money(_ amount: Int64) -> Money { Money(amount: amount, currency: usd) }
    static let berlin = TimeZone(identifier: "Europe/Berlin")!

    /// A catalog with a sale in Berlin time, a tiered licence and a pay-what-you-want journal.
    static func catalog() -> Catalog {
        var catalog = smallCatalog()
        catalog.products[catalog.products.firstIndex { $0.sku == "K-1" }!].sale = Sale(price: money(299), starts: "2026-12-24", ends: "2026-12-26 12:00")
        catalog.products.append(Product(
            sku: "LIC", slug: "licence", title: "Licence", niche: "kids", price: money(1900),
            tiers: [PriceTier(minimumQuantity: 5, unitPrice: money(1500)), PriceTier(minimumQuantity: 20, unitPrice: money(1200))],
            stock: 20))
        catalog.products.append(Product(
            sku: "PWYW", slug: "journal", title: "Journal", niche: "home", price: money(500),
            payWhatYouWant: PayWhatYouWant(minimum: money(200))))
        return catalog
    }

    let index = CatalogIndex(Self.catalog())
    func at(_ iso: String) -> ShopTime {
        ShopTime(instant: Int(ISO8601DateFormatter().date(from: iso)!.timeIntervalSince1970), timeZone: Self.berlin)
    }
    func line(_ sku: String, _ quantity: Int = 1, amount: Int64? = nil) -> CartLineRequest {
        CartLineRequest(id: sku, sku: sku, quantity: quantity, amount: amount)
    }

    @Test func aSaleRunsFromItsStartInTheShopsTimeZoneUntilItsEnd() throws {
        let product = try #require(index.productsBySKU["K-1"])
        // Midnight of 24 December in Berlin is 23:00 UTC the day before.
        #expect(index.unitPrice(of: product, variant: nil, at: at("2026-12-23T22:59:59Z")).unit.amount == 499)
        let on = index.unitPrice(of: product, variant: nil, at: at("2026-12-23T23:00:00Z"))
        #expect(on.unit.amount == 299 && on.regular.amount == 499 && on.isReduced)
        #expect(on.saleEnds == at("2026-12-26T11:00:00Z").instant, "12:00 in Berlin")
        #expect(index.unitPrice(of: product, variant: nil, at: at("2026-12-26T10:59:59Z")).unit.amount == 299)
        #expect(index.unitPrice(of: product, variant: nil, at: at("2026-12-26T11:00:00Z")).unit.amount == 499)
    }

    @Test func aSaleEndingOnADayIncludesThatWholeDay() throws {
        var catalog = Self.catalog()
        catalog.products[catalog.products.firstIndex { $0.sku == "K-1" }!].sale = Sale(price: Self.money(299), ends: "2026-12-31")
        let index = CatalogIndex(catalog)
        let product = try #require(index.productsBySKU["K-1"])
        #expect(index.unitPrice(of: product, variant: nil, at: at("2026-12-31T22:59:59Z")).unit.amount == 299)
        #expect(index.unitPrice(of: product, variant: nil, at: at("2026-12-31T23:00:00Z")).unit.amount == 499)
    }

    @Test func variantsFollowTheProductsSaleOnlyAtTheProductsPrice() throws {
        let index = CatalogIndex(Self.catalog())
        let product = try #require(index.productsBySKU["K-1"])
        let time = at("2026-12-25T12:00:00Z")
        for variant in index.variants(of: product) {
            let unit = index.unitPrice(of: product, variant: variant, at: time)
            let own = index.price(of: variant) ?? product.price
            #expect(unit.unit == (own == product.price ? Self.money(299) : own), "\(variant.sku)")
        }
    }

    @Test func theTierForTheQuantityPricesEveryUnit() throws {
        let product = try #require(index.productsBySKU["LIC"])
        let time = at("2026-06-01T00:00:00Z")
        let units = [1, 4, 5, 19, 20, 100].map { index.unitPrice(of: product, variant: nil, quantity: $0, at: time) }
        #expect(units.map(\.unit.amount) == [1900, 1900, 1500, 1500, 1200, 1200])
        #expect(units.map(\.tier?.minimumQuantity) == [nil, nil, 5, 5, 20, 20])
        let cart = CartPricing.price([line("LIC", 5)], coupon: nil, index: index, at: time)
        #expect(cart.total.amount == 7500 && cart.lines[0].regularUnitPrice.amount == 1900 && cart.lines[0].tierMinimum == 5)
    }

    @Test func theShopperGetsTheBetterOfASaleAndATier() throws {
        var catalog = Self.catalog()
        catalog.products[catalog.products.firstIndex { $0.sku == "LIC" }!].sale = Sale(price: Self.money(1400))
        let index = CatalogIndex(catalog)
        let product = try #require(index.productsBySKU["LIC"])
        let time = at("2026-06-01T00:00:00Z")
        #expect(index.unitPrice(of: product, variant: nil, quantity: 5, at: time).unit.amount == 1400, "the sale beats the 5+ tier")
        #expect(index.unitPrice(of: product, variant: nil, quantity: 20, at: time).unit.amount == 1200, "the 20+ tier beats the sale")
    }

    @Test func aNamedPriceIsChargedOnlyAtOrAboveTheMinimum() {
        let time = at("2026-06-01T00:00:00Z")
        #expect(throws: PricingError.amountBelowMinimum("PWYW", minimum: Self.money(200))) {
            try CartPricing.validate(sku: "PWYW", quantity: 1, amount: 199, in: index)
        }
        #expect(throws: PricingError.amountNotAccepted("K-2")) { try CartPricing.validate(sku: "K-2", quantity: 1, amount: 100, in: index) }
        #expect(PricingError.amountBelowMinimum("PWYW", minimum: Self.money(200)).message.contains("PWYW"))
        let named = CartPricing.price([line("PWYW", 2, amount: 750)], coupon: nil, index: index, at: time)
        #expect(named.lines[0].unitPrice.amount == 750 && named.total.amount == 1500 && named.lines[0].floor.amount == 400)
        let suggested = CartPricing.price([line("PWYW")], coupon: nil, index: index, at: time)
        #expect(suggested.lines[0].unitPrice.amount == 500, "nothing named: the suggested price")
        let stale = CartPricing.price([line("PWYW", amount: 50)], coupon: nil, index: index, at: time)
        #expect(stale.lines[0].unitPrice.amount == 200, "a stored amount below a raised minimum is charged the minimum")
    }

    @Test func aCouponNeverTakesANamedPriceBelowItsMinimum() {
        var catalog = Self.catalog()
        catalog.coupons = [Coupon(code: "ALL", percentOff: 100), Coupon(code: "TEN", amountOff: Self.money(1000))]
        let index = CatalogIndex(catalog)
        let time = at("2026-06-01T00:00:00Z")
        let all = CartPricing.price([line("PWYW", 1, amount: 500), line("K-2")], coupon: "ALL", index: index, at: time)
        #expect(all.lines.map(\.discount.amount) == [300, 999] && all.total.amount == 200)
        let fixed = CartPricing.price([line("PWYW", 1, amount: 500), line("K-2")], coupon: "TEN", index: index, at: time)
        #expect(fixed.discount.amount == 1000 && fixed.lines[0].discount.amount <= 300 && fixed.total.amount == 499)
    }

    @Test func membersGetTheBestMemberPriceOnWhatTheirPlansDoNotGrant() {
        let time = at("2026-06-01T00:00:00Z")
        let kidsClub = Plan(slug: "kids", sku: "PL-K", title: "Kids Club", price: Self.money(700), niches: ["kids"], memberDiscountPercent: 50)
        let homeClub = Plan(slug: "home", sku: "PL-H", title: "Home Club", price: Self.money(700), niches: ["home"], memberDiscountPercent: 20)
        let plain = Plan(slug: "plain", sku: "PL-P", title: "Plain", price: Self.money(700), niches: ["home"])
        // K-2 is a Kids product: the Kids Club grants it, so the Home Club's 20% applies. The journal
        // is a Home product: the Kids Club's 50% applies, but not below the named price's minimum.
        let cart = CartPricing.price(
            [line("K-2"), line("PWYW", amount: 300)], coupon: nil, index: index, at: time, members: [kidsClub, homeClub, plain])
        #expect(cart.lines.map(\.memberDiscount.amount) == [200, 100], "\(cart.lines)")
        #expect(cart.memberPlan?.slug == "home" && cart.memberDiscount.amount == 300 && cart.total.amount == 999 - 200 + 200)
        let none = CartPricing.price([line("K-2")], coupon: nil, index: index, at: time, members: [plain])
        #expect(none.memberDiscount.amount == 0 && none.memberPlan == nil)
    }

    @Test func theNextPriceChangeIsTheFirstSaleStartOrEndAfterTheBuild() {
        let before = index.nextPriceChange(after: at("2026-12-01T00:00:00Z"))
        #expect(before == PriceChange(instant: at("2026-12-23T23:00:00Z").instant, sku: "K-1", event: "starts"))
        let during = index.nextPriceChange(after: at("2026-12-25T00:00:00Z"))
        #expect(during == PriceChange(instant: at("2026-12-26T11:00:00Z").instant, sku: "K-1", event: "ends"))
        #expect(index.nextPriceChange(after: at("2027-01-01T00:00:00Z")) == nil)
    }

    @Test func theCatalogTextReadsAndWritesEveryRuleUnchanged() throws {
        let text = CatalogText.dump(Self.catalog())
        #expect(text.contains("  sale-price: 2.99 USD\n  sale-starts: 2026-12-24\n  sale-ends: 2026-12-26 12:00\n"))
        #expect(text.contains("  tiers: 5+ 15.00 USD, 20+ 12.00 USD\n"))
        #expect(text.contains("  minimum-price: 2.00 USD\n"))
        #expect(text.contains("  stock: 20\n"))
        let (parsed, _) = try CatalogText.parse(text, file: "catalog.txt")
        #expect(parsed == Self.catalog().sorted())
        #expect(CatalogText.dump(parsed) == text)
    }

    @Test func theCatalogDatabaseKeepsEveryRule() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rules-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try CatalogStore(path: path)
        try store.replace(with: Self.catalog())
        #expect(try store.load() == Self.catalog().sorted())
    }

    @Test(arguments: [
        ("  tiers: 5 15.00 USD\n", "field 'tiers': '5 15.00 USD' is not a tier"),
        ("  tiers: 5+ 15.00 USD, 3+ 12.00 USD\n", "tier '3+ 12.00 USD' must start above 5"),
        ("  tiers: 5+ 15.00 USD, 10+ 16.00 USD\n", "must cost less per unit than the tier before it"),
        ("  tiers: 5+ 15.00 EUR\n", "'15.00 EUR' in '5+ 15.00 EUR' is not a price"),
        ("  sale-starts: 2026-12-01\n", "field 'sale-starts': has no `sale-price` to schedule"),
        ("  sale-price: 1.00 USD\n  sale-starts: 2026-12-24 25:00\n", "field 'sale-starts': '2026-12-24 25:00' is not a date or date and time"),
        ("  sale-price: 1.00 USD\n  sale-starts: 2026-12-24\n  sale-ends: 2026-12-01\n", "field 'sale-ends': '2026-12-01' is not after sale-starts"),
        ("  minimum-price: two\n", "field 'minimum-price': 'two' is not an amount and a currency"),
        ("  stock: -1\n", "field 'stock': '-1' is negative"),
        ("  sale-price: 1.00 USD\n  sale-starts: 2027-02-30\n", "field 'sale-starts': '2027-02-30' is not a date or date and time"),
        ("  stock: many\n", "field 'stock': 'many' is not a whole number"),
    ])
    func aBadRuleIsNamedWithItsLineAndField(field: String, message: String) {
        let text = "shop\n  currency: USD\n\nniche kids\n  title: Kids\n\nproduct K-1\n  slug: k\n  title: K\n  niche: kids\n  price: 19.00 USD\n" + field
        #expect {
            _ = try CatalogText.parse(text, file: "catalog.txt")
        } throws: { error in
            let error = error as? CatalogTextError
            return error?.file == "catalog.txt" && (error?.line ?? 0) >= 12 && error?.message.contains("product K-1") == true
                && error?.message.contains(message) == true
        }
    }

    @Test func theCheckRefusesASaleAboveThePriceAndTiersOnANamedPrice() {
        var catalog = Self.catalog()
        catalog.products[catalog.products.firstIndex { $0.sku == "K-1" }!].sale = Sale(price: Self.money(600))
        let journal = catalog.products.firstIndex { $0.sku == "PWYW" }!
        catalog.products[journal].tiers = [PriceTier(minimumQuantity: 2, unitPrice: Self.money(100))]
        catalog.products[journal].price = Self.money(100)
        var check = CatalogCheck(catalog: catalog, source: nil)
        let issues = check.run()
        #expect(issues.contains { $0.record == "product K-1" && $0.field == "sale-price" && $0.message.contains("not below the price") })
        #expect(issues.contains { $0.record == "product PWYW" && $0.field == "tiers" })
        #expect(issues.contains { $0.record == "product PWYW" && $0.field == "price" && $0.message.contains("below minimum-price") })
        var dearTier = Self.catalog()
        dearTier.products[dearTier.products.firstIndex { $0.sku == "LIC" }!].tiers = [PriceTier(minimumQuantity: 5, unitPrice: Self.money(2500))]
        var tierCheck = CatalogCheck(catalog: dearTier, source: nil)
        #expect(tierCheck.run().contains { $0.record == "product LIC" && $0.field == "tiers" && $0.message.contains("is not below the price") })
    }
}
