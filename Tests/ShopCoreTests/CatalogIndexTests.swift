import ShopCore
import TestSupport
import Testing

@Suite struct CatalogIndexTests {
    /// A random catalog with ties on every field the orders compare, variants listed out of order
    /// and a SKU given twice.
    private func randomCatalog(seed: UInt64) -> Catalog {
        var generator = SplitMix64(seed: seed)
        let niches = ["kids", "home", "faith"]
        let products = (0..<60).map { number in
            Product(
                sku: "P-\(number % 55)", slug: "p\(number)", title: ["Alpha", "Beta", "Gamma"].randomElement(using: &generator)!,
                niche: niches.randomElement(using: &generator)!, price: Money(amount: 100, currency: .usd),
                status: Int.random(in: 0..<5, using: &generator) == 0 ? .draft : .active,
                released: ["2026-01-01", "2026-02-01", ""].randomElement(using: &generator)!, featured: Bool.random(using: &generator))
        }
        let variants = (0..<80).map { number in
            Variant(
                sku: "V-\(number % 70)", product: "P-\(Int.random(in: 0..<55, using: &generator))", title: "v\(number)",
                position: Int.random(in: 0..<3, using: &generator))
        }
        return Catalog(currency: .usd, niches: niches.map { Niche(slug: $0, title: $0) }, products: products, variants: variants)
    }

    @Test(arguments: 0..<20 as Range<UInt64>)
    func listsAreInTheirDocumentedOrders(seed: UInt64) {
        let catalog = randomCatalog(seed: seed)
        let index = CatalogIndex(catalog)
        for niche in catalog.niches {
            let expected = catalog.products.filter { $0.niche == niche.slug && $0.status == .active }.sorted(by: Catalog.listingOrder)
            #expect(index.productsByNiche[niche.slug, default: []].map(\.slug) == expected.map(\.slug), "niche \(niche.slug), seed \(seed)")
        }
        for product in Set(catalog.variants.map(\.product)) {
            let expected = catalog.variants.filter { $0.product == product }.sorted { ($0.position, $0.sku) < ($1.position, $1.sku) }
            #expect(index.variantsByProduct[product]?.map(\.title) == expected.map(\.title), "product \(product), seed \(seed)")
        }
        // A SKU given twice: the first record is the one looked up (the checks report the second).
        for variant in catalog.variants.reversed() where catalog.variants.first(where: { $0.sku == variant.sku })?.title == variant.title {
            #expect(index.variantsBySKU[variant.sku]?.title == variant.title, "variant \(variant.sku), seed \(seed)")
        }
        for product in catalog.products where catalog.products.first(where: { $0.sku == product.sku })?.slug == product.slug {
            #expect(index.productsBySKU[product.sku]?.slug == product.slug, "product \(product.sku), seed \(seed)")
        }
    }

    /// Featured first, then newest, then by title, then by SKU.
    @Test func listingOrderComparesFeaturedReleasedTitleThenSKU() {
        let usd = Money(amount: 1, currency: .usd)
        let older = Product(sku: "A", slug: "a", title: "Zed", niche: "n", price: usd, released: "2026-01-01")
        let newer = Product(sku: "B", slug: "b", title: "Zed", niche: "n", price: usd, released: "2026-02-01")
        let featured = Product(sku: "C", slug: "c", title: "Zed", niche: "n", price: usd, released: "2025-01-01", featured: true)
        let sameButTitle = Product(sku: "D", slug: "d", title: "Abe", niche: "n", price: usd, released: "2026-01-01")
        let sameButSKU = Product(sku: "0", slug: "e", title: "Zed", niche: "n", price: usd, released: "2026-01-01")
        #expect([older, newer, featured, sameButTitle, sameButSKU].sorted(by: Catalog.listingOrder).map(\.sku) == ["C", "B", "D", "0", "A"])
        #expect(!Catalog.listingOrder(older, older))
    }
}
