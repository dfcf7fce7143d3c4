import ShopCore
import SiteCore

/// schema.org JSON-LD for each kind of page, built from the catalog so it always matches what the checkout charges.
enum StructuredData {
    static let context: JSONValue = "https://schema.org"

    static func availability(_ status: ProductStatus) -> JSONValue {
        status == .active ? "https://schema.org/InStock" : "https://schema.org/Discontinued"
    }

    static func offer(sku: String, price: Money, url: String, status: ProductStatus, seller: String) -> JSONValue {
        var offer = JSONObject()
        offer.set("@type", "Offer")
        offer.set("sku", .string(sku))
        offer.set("price", .string(price.decimalString))
        offer.set("priceCurrency", .string(price.currency.code))
        offer.set("availability", availability(status))
        offer.set("url", .string(url))
        if !seller.isEmpty { offer.set("seller", .object([("@type", "Organization"), ("name", .string(seller))])) }
        return offer.value
    }

    /// `Product` with an `Offer`, or an `AggregateOffer` over its variants.
    static func product(
        _ product: Product, variants: [Variant], index: CatalogIndex, url: String, image: String, description: String,
        config: SiteConfig
    ) -> JSONValue {
        var object = JSONObject()
        object.set("@context", context)
        object.set("@type", "Product")
        object.set("name", .string(product.title))
        object.set("sku", .string(product.sku))
        object.setNonEmpty("description", description)
        object.set("image", [.string(config.absoluteURL(image))])
        object.set("url", .string(url))
        object.setNonEmpty("category", index.nichesBySlug[product.niche]?.title ?? "")
        object.set("brand", .object([("@type", "Brand"), ("name", .string(config.title))]))
        if variants.count <= 1 {
            let price = variants.first.flatMap(index.price(of:)) ?? product.price
            object.set("offers", offer(sku: variants.first?.sku ?? product.sku, price: price, url: url, status: product.status, seller: config.title))
        } else {
            let range = index.priceRange(of: product)
            var aggregate = JSONObject()
            aggregate.set("@type", "AggregateOffer")
            aggregate.set("lowPrice", .string(range.low.decimalString))
            aggregate.set("highPrice", .string(range.high.decimalString))
            aggregate.set("priceCurrency", .string(product.price.currency.code))
            aggregate.set("offerCount", .integer(variants.count))
            aggregate.set("availability", availability(product.status))
            aggregate.set("offers", .array(variants.map {
                offer(sku: $0.sku, price: index.price(of: $0) ?? product.price, url: url, status: product.status, seller: config.title)
            }))
            object.set("offers", aggregate.value)
        }
        return object.value
    }

    /// A bundle as a `Product` whose offer is the bundle price, with the products it holds.
    static func bundle(_ bundle: ProductBundle, pricing: BundlePricing, url: String, image: String, config: SiteConfig) -> JSONValue {
        var object = JSONObject()
        object.set("@context", context)
        object.set("@type", "Product")
        object.set("name", .string(bundle.title))
        object.set("sku", .string(bundle.sku))
        object.setNonEmpty("description", bundle.summary)
        object.set("image", [.string(config.absoluteURL(image))])
        object.set("url", .string(url))
        object.set("brand", .object([("@type", "Brand"), ("name", .string(config.title))]))
        object.set("offers", offer(sku: bundle.sku, price: pricing.price, url: url, status: .active, seller: config.title))
        object.set("isRelatedTo", .array(pricing.products.map {
            .object([("@type", "Product"), ("name", .string($0.title)), ("sku", .string($0.sku)), ("url", .string(config.absoluteURL(SitePaths.product($0.slug))))])
        }))
        return object.value
    }

    /// An `ItemList` of pages, in display order.
    static func itemList(name: String, items: [(name: String, url: String)]) -> JSONValue {
        .object([
            ("@context", context), ("@type", "ItemList"), ("name", .string(name)), ("numberOfItems", .integer(items.count)),
            ("itemListElement", .array(items.enumerated().map { position, item in
                .object([("@type", "ListItem"), ("position", .integer(position + 1)), ("url", .string(item.url)), ("name", .string(item.name))])
            })),
        ])
    }

    /// Subscription plans as products with monthly or yearly unit prices.
    static func plans(_ plans: [Plan], config: SiteConfig) -> JSONValue {
        let url = config.absoluteURL("/plans/")
        return .object([
            ("@context", context), ("@type", "ItemList"), ("name", "Membership plans"), ("numberOfItems", .integer(plans.count)),
            ("itemListElement", .array(plans.enumerated().map { position, plan in
                var offer = JSONObject()
                offer.set("@type", "Offer")
                offer.set("sku", .string(plan.sku))
                offer.set("price", .string(plan.price.decimalString))
                offer.set("priceCurrency", .string(plan.price.currency.code))
                offer.set("availability", "https://schema.org/InStock")
                offer.set("url", .string(url + "#plan-" + plan.slug))
                offer.set("priceSpecification", .object([
                    ("@type", "UnitPriceSpecification"), ("price", .string(plan.price.decimalString)),
                    ("priceCurrency", .string(plan.price.currency.code)), ("billingDuration", 1),
                    ("unitCode", .string(plan.interval == .month ? "MON" : "ANN")),
                ]))
                let product: JSONValue = .object([
                    ("@type", "Product"), ("name", .string(plan.title)), ("sku", .string(plan.sku)),
                    ("description", .string(plan.summary)), ("offers", offer.value),
                ])
                return .object([("@type", "ListItem"), ("position", .integer(position + 1)), ("item", product)])
            })),
        ])
    }

    static func breadcrumbs(_ crumbs: [(name: String, path: String)], config: SiteConfig) -> JSONValue {
        .object([
            ("@context", context), ("@type", "BreadcrumbList"),
            ("itemListElement", .array(crumbs.enumerated().map { position, crumb in
                .object([
                    ("@type", "ListItem"), ("position", .integer(position + 1)), ("name", .string(crumb.name)),
                    ("item", .string(config.absoluteURL(crumb.path))),
                ])
            })),
        ])
    }

    static func organization(config: SiteConfig, logo: String) -> JSONValue {
        var object = JSONObject()
        object.set("@context", context)
        object.set("@type", "Organization")
        object.set("name", .string(config.organizationName.isEmpty ? config.title : config.organizationName))
        object.set("url", .string(config.baseURL + "/"))
        if !logo.isEmpty { object.set("logo", .string(config.absoluteURL(logo))) }
        object.setNonEmpty("email", config.organizationEmail)
        if !config.sameAs.isEmpty { object.set("sameAs", .array(config.sameAs.map { .string($0) })) }
        return object.value
    }

    static func website(config: SiteConfig) -> JSONValue {
        .object([
            ("@context", context), ("@type", "WebSite"), ("name", .string(config.title)), ("url", .string(config.baseURL + "/")),
            ("potentialAction", .object([
                ("@type", "SearchAction"),
                ("target", .string(config.baseURL + "/search/?q={search_term_string}")),
                ("query-input", "required name=search_term_string"),
            ])),
        ])
    }
}
