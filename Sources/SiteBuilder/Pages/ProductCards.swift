import ShopCore
import SiteCore
import Synchronization

/// Card contexts by product SKU (`sku`, `title`, `url`, `summary`, `niche_title`, the image's fields,
/// the prices and the stock), each worked out the first time a page shows it and kept for the
/// others. A build that renders a few pages of a large shop (a one-edit build with the cache) makes a
/// few dozen cards, not one per product: all 10,000 were a third of such a build's model step (perf).
final class ProductCards: Sendable {
    private let products: [String: Product]
    private let make: @Sendable (Product) -> TemplateValue
    private let made = Mutex<[String: TemplateValue]>([:])

    /// - Parameters:
    ///   - products: the catalog's products by SKU (`CatalogIndex.productsBySKU`; the checks step refused
    ///     a catalog with a SKU twice).
    ///   - make: the card of a product; called at most about once per product, from any thread.
    init(_ products: [String: Product], make: @escaping @Sendable (Product) -> TemplateValue) {
        self.products = products
        self.make = make
    }

    /// The card of the product with this SKU, or nil when the catalog has none.
    subscript(sku: String) -> TemplateValue? {
        if let card = made.withLock({ $0[sku] }) { return card }
        guard let product = products[sku] else { return nil }
        // Made outside the lock: two threads may both make one card, the same, once.
        let card = make(product)
        made.withLock { $0[sku] = card }
        return card
    }

    /// Every SKU that has a card.
    var skus: [String] { Array(products.keys) }
}
