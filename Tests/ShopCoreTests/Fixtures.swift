import Foundation
import ShopCore

/// The repository root, found from this file's path.
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// The example shop's catalog text.
func exampleCatalogText() throws -> String {
    try String(contentsOfFile: repositoryRoot + "/catalog.txt", encoding: .utf8)
}

/// A small catalog built in code, for tests that need exact numbers.
func smallCatalog() -> Catalog {
    let usd = Currency.usd
    return Catalog(
        currency: usd,
        niches: [Niche(slug: "kids", title: "Kids", position: 1), Niche(slug: "home", title: "Home", position: 2)],
        products: [
            Product(sku: "K-1", slug: "k-one", title: "Kids One", niche: "kids", price: Money(amount: 499, currency: usd), tags: ["coloring"], released: "2025-01-01"),
            Product(sku: "K-2", slug: "k-two", title: "Kids Two", niche: "kids", price: Money(amount: 999, currency: usd), tags: ["coloring"], released: "2025-02-01"),
            Product(sku: "K-3", slug: "k-three", title: "Kids Three", niche: "kids", price: Money(amount: 1499, currency: usd), tags: ["puzzle"], released: "2025-03-01"),
            Product(sku: "H-1", slug: "h-one", title: "Home One", niche: "home", price: Money(amount: 300, currency: usd), status: .draft),
        ],
        variants: [
            Variant(sku: "K-1-LTR", product: "K-1", title: "US Letter", position: 1),
            Variant(sku: "K-1-A4", product: "K-1", title: "A4", price: Money(amount: 599, currency: usd), position: 2),
        ],
        bundles: [
            ProductBundle(slug: "coloring", sku: "B-COLOR", title: "Coloring", discountPercent: 30, rule: BundleRule(niches: ["kids"], tags: ["coloring"])),
        ],
        plans: [Plan(slug: "kids-club", sku: "P-KIDS", title: "Kids Club", price: Money(amount: 799, currency: usd), niches: ["kids"])],
        leadMagnets: [LeadMagnet(slug: "free-cards", title: "Free Cards", file: "free/cards.pdf", niche: "kids")],
        coupons: [Coupon(code: "TEN", percentOff: 10)])
}
