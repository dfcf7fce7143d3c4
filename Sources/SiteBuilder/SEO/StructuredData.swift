import ShopCore
import SiteCore

/// schema.org JSON-LD for each kind of page, built from the catalog so it always matches what the checkout charges.
enum StructuredData {
    static let context: JSONValue = "https://schema.org"

    static func availability(_ status: ProductStatus) -> JSONValue {
        status == .active ? "https://schema.org/InStock" : "https://schema.org/Discontinued"
    }

    /// With limited stock as the catalog says at build time: `SoldOut` at 0, `LimitedAvailability`
    /// while some are left (schema.org's `ItemAvailability`).
    static func availability(_ status: ProductStatus, stock: Int?) -> JSONValue {
        guard status == .active, let stock else { return availability(status) }
        return stock == 0 ? "https://schema.org/SoldOut" : "https://schema.org/LimitedAvailability"
    }

    /// The stock that limits one unit of `variant` of `product`: the lower of the two limits.
    static func stock(_ product: Product, _ variant: Variant?) -> Int? {
        [product.stock, variant?.stock].compactMap { $0 }.min()
    }

    static func offer(
        sku: String, price: Money, url: String, status: ProductStatus, seller: String, validUntil: String? = nil,
        specification: JSONValue? = nil, stock: Int? = nil
    ) -> JSONValue {
        var offer = JSONObject()
        offer.set("@type", "Offer")
        offer.set("sku", .string(sku))
        offer.set("price", .string(price.decimalString))
        offer.set("priceCurrency", .string(price.currency.code))
        if let validUntil { offer.set("priceValidUntil", .string(validUntil)) }
        if let specification { offer.set("priceSpecification", specification) }
        offer.set("availability", availability(status, stock: stock))
        offer.set("url", .string(url))
        if !seller.isEmpty { offer.set("seller", .object([("@type", "Organization"), ("name", .string(seller))])) }
        return offer.value
    }

    /// The offer of one variant (or the product sold as is) at the build's time: the price charged
    /// now, `priceValidUntil` while a sale runs (Google's merchant listings read it), quantity tiers
    /// as `UnitPriceSpecification`s with an `eligibleQuantity`, and for pay what you want the
    /// minimum as `price` with the suggested amount beside it.
    static func offer(_ product: Product, _ variant: Variant?, prices: PriceDisplay, url: String, seller: String) -> JSONValue {
        let unit = prices.unit(product, variant)
        let sku = variant?.sku ?? product.sku
        let currency: JSONValue = .string(unit.unit.currency.code)
        if let rule = product.payWhatYouWant {
            let specification: JSONValue = .object([
                ("@type", "PriceSpecification"), ("minPrice", .string(rule.minimum.decimalString)),
                ("price", .string(unit.unit.decimalString)), ("priceCurrency", currency),
            ])
            return offer(
                sku: sku, price: rule.minimum, url: url, status: product.status, seller: seller, specification: specification,
                stock: stock(product, variant))
        }
        var specification: JSONValue?
        if !product.tiers.isEmpty {
            let first = product.tiers[0].minimumQuantity
            var steps: [(Int, Int?, Money)] = [(1, first - 1, unit.unit)]
            for (offset, tier) in product.tiers.enumerated() {
                let next = offset + 1 < product.tiers.count ? product.tiers[offset + 1].minimumQuantity - 1 : nil
                steps.append((tier.minimumQuantity, next, min(tier.unitPrice, unit.unit)))
            }
            specification = .array(steps.map { low, high, price in
                var quantity: [(String, JSONValue)] = [("@type", "QuantitativeValue"), ("minValue", .integer(low))]
                if let high { quantity.append(("maxValue", .integer(high))) }
                return .object([
                    ("@type", "UnitPriceSpecification"), ("price", .string(price.decimalString)), ("priceCurrency", currency),
                    ("eligibleQuantity", .object(quantity)),
                ])
            })
        }
        return offer(
            sku: sku, price: unit.unit, url: url, status: product.status, seller: seller, validUntil: prices.validUntil(unit),
            specification: specification, stock: stock(product, variant))
    }

    /// `Product` with an `Offer`, or an `AggregateOffer` over its variants.
    static func product(
        _ product: Product, variants: [Variant], prices: PriceDisplay, url: String, image: String, description: String,
        config: SiteConfig
    ) -> JSONValue {
        let index = prices.index
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
            object.set("offers", offer(product, variants.first, prices: prices, url: url, seller: config.title))
        } else {
            let units = prices.units(of: product).map(\.unit)
            var aggregate = JSONObject()
            aggregate.set("@type", "AggregateOffer")
            aggregate.set("lowPrice", .string((units.min() ?? product.price).decimalString))
            aggregate.set("highPrice", .string((units.max() ?? product.price).decimalString))
            aggregate.set("priceCurrency", .string(product.price.currency.code))
            aggregate.set("offerCount", .integer(variants.count))
            let soldOut = StockRules.isSoldOut(product, index: index)
            let limited = product.stock != nil || variants.contains { $0.stock != nil }
            aggregate.set("availability", availability(product.status, stock: soldOut ? 0 : limited ? 1 : nil))
            aggregate.set("offers", .array(variants.map { offer(product, $0, prices: prices, url: url, seller: config.title) }))
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
