import ShopCore
import Testing

@Suite struct BundlePricingTests {
    @Test func aBundleHoldsWhatItsRuleMatchesAndSavesItsDiscount() {
        let index = CatalogIndex(smallCatalog())
        let pricing = index.pricing(of: index.bundlesBySlug["coloring"]!)
        #expect(pricing.products.map(\.sku) == ["K-2", "K-1"])
        #expect(pricing.total.amount == 1498)
        #expect(pricing.saving.amount == 449)
        #expect(pricing.price.amount == 1049)
    }

    @Test func productsAddedLaterJoinRuleBundles() {
        var catalog = smallCatalog()
        catalog.products.append(Product(sku: "K-4", slug: "k4", title: "New", niche: "kids", price: Money(amount: 100, currency: .usd), tags: ["coloring"]))
        let index = CatalogIndex(catalog)
        #expect(index.contents(of: index.bundlesBySlug["coloring"]!).contains { $0.sku == "K-4" })
    }

    @Test func draftProductsAreLeftOut() {
        var catalog = smallCatalog()
        catalog.bundles[0].rule = BundleRule(skus: ["K-1", "H-1"])
        let index = CatalogIndex(catalog)
        #expect(index.contents(of: index.bundlesBySlug["coloring"]!).map(\.sku) == ["K-1"])
    }

    @Test func variantPricesFormTheProductsPriceRange() {
        let index = CatalogIndex(smallCatalog())
        let range = index.priceRange(of: index.productsBySKU["K-1"]!)
        #expect(range.low.amount == 499)
        #expect(range.high.amount == 599)
    }

    @Test func plansGrantEveryActiveProductInTheirNiches() {
        let index = CatalogIndex(smallCatalog())
        #expect(index.products(grantedBy: index.plansBySlug["kids-club"]!).count == 3)
    }
}
