import ShopCore
import Testing

/// Which limits a cart draws on, and what the catalog alone says is sold out.
@Suite struct StockRulesTests {
    static func catalog() -> Catalog {
        var catalog = smallCatalog()
        let k1 = catalog.products.firstIndex { $0.sku == "K-1" }!
        catalog.products[k1].stock = 100
        catalog.variants[catalog.variants.firstIndex { $0.sku == "K-1-A4" }!].stock = 5
        catalog.products[catalog.products.firstIndex { $0.sku == "K-3" }!].stock = 0
        return catalog
    }

    let index = CatalogIndex(Self.catalog())

    func priced(_ lines: [(String, Int)]) -> [PricedLine] {
        CartPricing.price(
            lines.map { CartLineRequest(id: $0.0, sku: $0.0, quantity: $0.1) }, coupon: nil, index: index,
            at: ShopTime(instant: 1_780_000_000)
        ).lines
    }

    @Test func aVariantDrawsOnItsOwnStockAndItsProductsABundleOnEachProduct() {
        let demand = StockRules.demand(of: priced([("K-1-A4", 2), ("K-1-LTR", 3), ("K-2", 1)]), index: index)
        #expect(demand == ["K-1-A4": 2, "K-1": 5], "K-2 has no limit; the product's stock is shared by its variants")
        let bundle = StockRules.demand(of: priced([("B-COLOR", 2)]), index: index)
        #expect(bundle == ["K-1": 2], "each product the bundle holds, per bundle")
        #expect(StockRules.limits(in: index) == ["K-1": 100, "K-1-A4": 5, "K-3": 0])
    }

    @Test func aProductWithNoStockLeftIsSoldOutAndLeavesItsBundles() throws {
        let k3 = try #require(index.productsBySKU["K-3"])
        #expect(StockRules.isSoldOut(k3, index: index))
        #expect(!StockRules.isSoldOut(try #require(index.productsBySKU["K-1"]), index: index))
        for bundle in index.catalog.bundles { #expect(!index.contents(of: bundle).contains { $0.sku == "K-3" }) }
    }
}
