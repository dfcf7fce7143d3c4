/// The whole catalog in memory: what the site renders and what the checkout prices from.
public struct Catalog: Hashable, Sendable, Codable {
    /// The currency every price in the shop is in.
    public var currency: Currency
    public var niches: [Niche]
    public var products: [Product]
    public var variants: [Variant]
    public var bundles: [ProductBundle]
    public var plans: [Plan]
    public var leadMagnets: [LeadMagnet]
    public var coupons: [Coupon]

    public init(
        currency: Currency = .usd, niches: [Niche] = [], products: [Product] = [], variants: [Variant] = [],
        bundles: [ProductBundle] = [], plans: [Plan] = [], leadMagnets: [LeadMagnet] = [], coupons: [Coupon] = []
    ) {
        self.currency = currency
        self.niches = niches
        self.products = products
        self.variants = variants
        self.bundles = bundles
        self.plans = plans
        self.leadMagnets = leadMagnets
        self.coupons = coupons
    }

    /// Puts every collection in its canonical order, so equal catalogs compare, dump and render the same.
    public mutating func sort() {
        niches.sort { ($0.position, $0.slug) < ($1.position, $1.slug) }
        products.sort { $0.sku < $1.sku }
        variants.sort { ($0.product, $0.position, $0.sku) < ($1.product, $1.position, $1.sku) }
        bundles.sort { $0.slug < $1.slug }
        plans.sort { ($0.position, $0.slug) < ($1.position, $1.slug) }
        leadMagnets.sort { $0.slug < $1.slug }
        coupons.sort { $0.code < $1.code }
    }

    public func sorted() -> Catalog {
        var copy = self
        copy.sort()
        return copy
    }
}

/// Fast lookups over a catalog, built once and shared.
///
/// A class, though immutable: passing it about costs one retain, not one per lookup table (copies
/// of the struct it was were a tenth of the cached one-edit build's model step at 10,000 products, perf).
public final class CatalogIndex: Sendable {
    public let catalog: Catalog
    public let productsBySKU: [String: Product]
    public let variantsBySKU: [String: Variant]
    public let variantsByProduct: [String: [Variant]]
    public let bundlesBySKU: [String: ProductBundle]
    public let bundlesBySlug: [String: ProductBundle]
    public let plansBySlug: [String: Plan]
    public let nichesBySlug: [String: Niche]
    public let leadMagnetsBySlug: [String: LeadMagnet]
    public let couponsByCode: [String: Coupon]
    /// Products per niche, in the order niche pages list them.
    public let productsByNiche: [String: [Product]]

    public init(_ catalog: Catalog) {
        self.catalog = catalog
        // Built by hand, not from arrays of pairs, and the niche lists sorted on keys read once
        // (`ListingKey`): every copy of a `Product` retains and releases each of its fields, and the
        // copies were most of this initializer at 10,000 products (perf).
        let products = catalog.products
        var bySKU = [String: Product](minimumCapacity: products.count)
        for product in products where bySKU[product.sku] == nil { bySKU[product.sku] = product }
        productsBySKU = bySKU
        // Variants too: mapped to pairs, grouped and sorted, each of 16,000 was copied four times (perf).
        var variantBySKU = [String: Variant](minimumCapacity: catalog.variants.count)
        var byProduct: [String: [Variant]] = [:]
        for variant in catalog.variants {
            if variantBySKU[variant.sku] == nil { variantBySKU[variant.sku] = variant }
            byProduct[variant.product, default: []].append(variant)
        }
        let displayOrder = { (lhs: Variant, rhs: Variant) in (lhs.position, lhs.sku) < (rhs.position, rhs.sku) }
        // By key, in place: through `values.indices` the dictionary was shared with its index and copied whole.
        for product in Array(byProduct.keys) where !byProduct[product]!.isSorted(by: displayOrder) {
            byProduct[product]!.sort(by: displayOrder)
        }
        variantsBySKU = variantBySKU
        variantsByProduct = byProduct
        bundlesBySKU = Dictionary(catalog.bundles.map { ($0.sku, $0) }, uniquingKeysWith: { first, _ in first })
        bundlesBySlug = Dictionary(catalog.bundles.map { ($0.slug, $0) }, uniquingKeysWith: { first, _ in first })
        plansBySlug = Dictionary(catalog.plans.map { ($0.slug, $0) }, uniquingKeysWith: { first, _ in first })
        nichesBySlug = Dictionary(catalog.niches.map { ($0.slug, $0) }, uniquingKeysWith: { first, _ in first })
        leadMagnetsBySlug = Dictionary(catalog.leadMagnets.map { ($0.slug, $0) }, uniquingKeysWith: { first, _ in first })
        couponsByCode = Dictionary(catalog.coupons.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        // `listingOrder` ends on the SKU, so sorting all and then grouping gives each niche's list in order.
        var listed = products.indices.compactMap { position in
            products[position].status == .active ? ListingKey(products[position], position: position) : nil
        }
        listed.sort()
        var byNiche: [String: [Product]] = [:]
        for key in listed { byNiche[products[key.position].niche, default: []].append(products[key.position]) }
        productsByNiche = byNiche
    }

    /// The variants of a product in display order (empty for a product sold as is).
    public func variants(of product: Product) -> [Variant] { variantsByProduct[product.sku] ?? [] }

    /// The price of a variant: its own, or its product's.
    public func price(of variant: Variant) -> Money? {
        variant.price ?? productsBySKU[variant.product]?.price
    }

    /// The lowest and highest price a product sells for across its variants.
    public func priceRange(of product: Product) -> (low: Money, high: Money) {
        let prices = variants(of: product).map { $0.price ?? product.price }
        guard let low = prices.min(), let high = prices.max() else { return (product.price, product.price) }
        return (low, high)
    }

    /// The active products a bundle holds today, in listing order; a product the catalog says is sold
    /// out (`StockRules.isSoldOut`) is left out, so a bundle rule never makes its bundle unsellable.
    public func contents(of bundle: ProductBundle) -> [Product] {
        var chosen: [Product] = []
        var seen = Set<String>()
        if bundle.rule.selectsByAttributes {
            let candidates = bundle.rule.niches.isEmpty
                ? catalog.products
                : bundle.rule.niches.flatMap { productsByNiche[$0] ?? [] }
            for product in candidates where product.status == .active && !StockRules.isSoldOut(product, index: self) && bundle.rule.matchesTags(of: product) {
                if seen.insert(product.sku).inserted { chosen.append(product) }
            }
        }
        for sku in bundle.rule.skus {
            if let product = productsBySKU[sku], product.status == .active, !StockRules.isSoldOut(product, index: self), seen.insert(sku).inserted {
                chosen.append(product)
            }
        }
        return chosen.sorted(by: Catalog.listingOrder)
    }

    /// What a bundle costs: the sum of its products' prices, the discount, and the price after it.
    public func pricing(of bundle: ProductBundle) -> BundlePricing {
        let products = contents(of: bundle)
        let total = products.reduce(Money.zero(catalog.currency)) { $0 + $1.price }
        let saving = total.percentage(bundle.discountPercent)
        return BundlePricing(products: products, total: total, saving: saving, price: total - saving)
    }

    /// The active products an active subscription to `plan` grants.
    public func products(grantedBy plan: Plan) -> [Product] {
        catalog.niches.filter { plan.grants(niche: $0.slug) }.flatMap { productsByNiche[$0.slug] ?? [] }
    }
}

/// A bundle's price, worked out from the catalog.
public struct BundlePricing: Hashable, Sendable {
    public let products: [Product]
    /// The sum of the products bought one by one.
    public let total: Money
    public let saving: Money
    /// What the bundle sells for.
    public let price: Money
}

extension BundleRule {
    func matchesTags(of product: Product) -> Bool {
        tags.isEmpty || tags.contains(where: product.tags.contains)
    }
}

extension Catalog {
    /// Featured first, then newest first, then by title: the order niche pages list products in.
    public static func listingOrder(_ lhs: Product, _ rhs: Product) -> Bool {
        listingPrecedes(lhs, rhs)
    }
}

/// The fields `Catalog.listingOrder` compares.
protocol ListingFields {
    var featured: Bool { get }
    var released: String { get }
    var title: String { get }
    var sku: String { get }
}

extension Product: ListingFields {}

/// `Catalog.listingOrder` over products or over their `ListingKey`s (specialized for each).
private func listingPrecedes<Listed: ListingFields>(_ lhs: Listed, _ rhs: Listed) -> Bool {
    if lhs.featured != rhs.featured { return lhs.featured }
    if lhs.released != rhs.released { return lhs.released > rhs.released }
    if lhs.title != rhs.title { return lhs.title < rhs.title }
    return lhs.sku < rhs.sku
}

/// What `Catalog.listingOrder` compares, read out of a product once: sorting 10,000 products by
/// reading each field through the product's box, retained and released for every comparison, was a
/// quarter of `CatalogIndex.init` (perf).
private struct ListingKey: ListingFields, Comparable {
    let featured: Bool
    let released: String
    let title: String
    let sku: String
    /// Where the product is in the catalog (not compared).
    let position: Int

    init(_ product: Product, position: Int) {
        (featured, released, title, sku, self.position) = (product.featured, product.released, product.title, product.sku, position)
    }

    static func < (lhs: ListingKey, rhs: ListingKey) -> Bool { listingPrecedes(lhs, rhs) }

    static func == (lhs: ListingKey, rhs: ListingKey) -> Bool { !(lhs < rhs) && !(rhs < lhs) }
}

extension Array {
    /// Whether the elements are in `order` already (no two out of it).
    func isSorted(by order: (Element, Element) -> Bool) -> Bool {
        indices.dropFirst().allSatisfy { !order(self[$0], self[$0 - 1]) }
    }
}
