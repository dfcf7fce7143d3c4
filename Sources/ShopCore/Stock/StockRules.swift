/// Limited stock (`stock: N` on a product or variant), the pure part: which limits a cart draws on.
///
/// A unit of a variant draws on the variant's own stock, if it has one, and on its product's, if
/// that has one (a product's stock is shared by all its variants: "100 copies, any format"). A
/// product SKU sells its first variant. A bundle draws one unit of each product it holds. Plans and
/// unlimited items draw on nothing.
public enum StockRules {
    /// Every SKU with a limit, and the limit: how many units may ever be sold.
    public static func limits(in index: CatalogIndex) -> [String: Int] {
        var limits: [String: Int] = [:]
        for product in index.catalog.products { if let stock = product.stock { limits[product.sku] = stock } }
        for variant in index.catalog.variants { if let stock = variant.stock { limits[variant.sku] = stock } }
        return limits
    }

    /// The units each limited SKU loses if `lines` are sold, keyed by the SKU whose limit applies.
    public static func demand(of lines: [PricedLine], index: CatalogIndex) -> [String: Int] {
        var demand: [String: Int] = [:]
        func draw(_ sku: String, _ quantity: Int, limited: Int?) {
            if limited != nil { demand[sku, default: 0] += quantity }
        }
        for line in lines {
            switch line.kind {
            case .product, .variant:
                guard let item = try? CartPricing.resolve(line.sku, in: index), let product = item.product else { continue }
                if let variant = item.variant { draw(variant.sku, line.quantity, limited: variant.stock) }
                draw(product.sku, line.quantity, limited: product.stock)
            case .bundle:
                for sku in line.grants { draw(sku, line.quantity, limited: index.productsBySKU[sku]?.stock) }
            case .plan:
                continue
            }
        }
        return demand
    }

    /// Whether a product can no longer be bought at all by the catalog alone: its own stock is 0, or
    /// it has variants and each has a stock of 0. What a page built from the catalog shows.
    public static func isSoldOut(_ product: Product, index: CatalogIndex) -> Bool {
        if product.stock == 0 { return true }
        let variants = index.variants(of: product)
        return !variants.isEmpty && variants.allSatisfy { $0.stock == 0 }
    }
}
