import ShopCore
import SiteCore

extension PageRenderer {
    func product(_ sku: String, path: String, draft: inout PageDraft) -> (PageMeta, PageContext) {
        let index = model.index
        let product = index.productsBySKU[sku]!
        let copy = self.copy(.product, sku, draft: &draft)
        draft.read("product:" + sku)
        draft.read("list:niche:" + product.niche)
        draft.read("list:bundles-of:" + sku)
        let niche = index.nichesBySlug[product.niche]
        let image = model.images["product:" + sku] ?? ""
        let variants = index.variants(of: product)
        let url = model.config.absoluteURL(path)
        let description = copy?.description ?? product.summary
        let prices = model.prices
        var item: [String: TemplateValue] = [
            "sku": .text(product.sku), "title": .text(copy?.title ?? product.title), "summary": .text(product.summary),
            "image_alt": .text("\(product.title) preview"),
            "niche_title": .text(niche?.title ?? ""), "niche_url": .text(SitePaths.niche(product.niche)),
            "available": .bool(product.status == .active), "has_variants": .bool(!variants.isEmpty),
            "variants": .list(variants.map { variant in
                let unit = prices.unit(product, variant)
                return [
                    "sku": .text(variant.sku), "title": .text(variant.title), "price_label": .text(unit.unit.formatted),
                    "on_sale": .bool(unit.isReduced), "regular_label": .text(unit.regular.formatted),
                ]
            }),
            "tiers": prices.tierRows(product), "pay_what_you_want": prices.payWhatYouWant(product),
            "delivery_note": .text(Self.deliveryNote[product.delivery] ?? ""),
            "highlights": .list((copy?.highlights ?? []).map { .text($0) }),
            "bundles": bundleCards(model.bundlesByProduct[sku] ?? [], draft: &draft),
            "plans": .list(index.catalog.plans.filter { $0.grants(niche: product.niche) }.map { ["slug": .text($0.slug), "title": .text($0.title)] }),
        ]
        item.merge(model.pictures["product:" + sku]?.fields ?? [:]) { _, image in image }
        item.merge(prices.context(product)) { _, price in price }
        item.merge(prices.stock(product)) { _, stock in stock }
        if StockRules.isSoldOut(product, index: index) { item["available"] = .bool(false) }
        let related = (index.productsByNiche[product.niche] ?? []).lazy.filter { $0.sku != sku }.prefix(4)
        let context: PageContext = [
            "product": .object(item), "related": cards(related, draft: &draft),
            "content": copyHTML(copy, fallback: product.description, fallbackLocation: model.catalogLocation(kind: "product", key: sku), draft: &draft),
        ]
        var meta = PageMeta(title: product.title, description: description, image: image, ogType: "product")
        // Social platforms show the product's card (cover, title, price, shop) when it has one.
        if let card = model.cards[sku] { (meta.image, meta.imageSize) = (card.url, (card.width, card.height)) }
        meta.price = prices.units(of: product).map(\.unit).min() ?? product.price
        meta.breadcrumbs = [("Home", "/"), ("Shop", "/shop/")]
        if let niche { meta.breadcrumbs.append((niche.title, SitePaths.niche(niche.slug))) }
        meta.breadcrumbs.append((product.title, path))
        meta.jsonld = [StructuredData.product(
            product, variants: variants, prices: prices, url: url, image: image, description: description, config: model.config)]
        return (meta, context)
    }

    /// What the product page says of how a purchase arrives.
    static let deliveryNote: [DeliveryMethod: String] = [
        .file: "Instant PDF download", .licenseKey: "Licence key and download at once",
        .webhook: "Download at once, then printed and posted by our partner", .manual: "Made to order: we deliver it by hand",
    ]

    func bundle(_ slug: String, path: String, draft: inout PageDraft) -> (PageMeta, PageContext) {
        let bundle = model.index.bundlesBySlug[slug]!
        let pricing = model.bundlePricing[slug]!
        let copy = self.copy(.bundle, slug, draft: &draft)
        draft.read("bundle:" + slug)
        let image = model.images["bundle:" + slug] ?? ""
        let context: PageContext = [
            "bundle": model.bundleCards[slug] ?? .null,
            "products": cards(pricing.products, draft: &draft),
            "content": copyHTML(copy, fallbackLocation: (copy?.path ?? "", nil), draft: &draft),
        ]
        var meta = PageMeta(title: bundle.title, description: copy?.description ?? bundle.summary, image: image, ogType: "product")
        meta.price = pricing.price
        meta.breadcrumbs = [("Home", "/"), ("Bundles", "/bundles/"), (bundle.title, path)]
        let url = model.config.absoluteURL(path)
        meta.jsonld = [
            StructuredData.bundle(bundle, pricing: pricing, url: url, image: image, config: model.config),
            StructuredData.itemList(
                name: "\(bundle.title): contents",
                items: pricing.products.map { ($0.title, model.config.absoluteURL(SitePaths.product($0.slug))) }),
        ]
        return (meta, context)
    }

    func niche(_ slug: String, page: Int, draft: inout PageDraft) -> (PageMeta, PageContext) {
        let niche = model.index.nichesBySlug[slug]!
        let copy = self.copy(.niche, slug, draft: &draft)
        draft.read("list:niche:" + slug)
        draft.read("list:bundles")
        let all = model.index.productsByNiche[slug] ?? []
        let size = model.config.productsPerPage
        let pages = max(1, (all.count + size - 1) / size)
        let shown = all.dropFirst((page - 1) * size).prefix(size)
        var context: PageContext = [
            "niche": ["title": .text(niche.title), "slug": .text(slug), "headline": .text(copy?.headline ?? niche.summary)],
            "products": cards(shown, draft: &draft),
            "bundles": bundleCards(model.index.catalog.bundles.filter { $0.rule.niches.contains(slug) }, draft: &draft),
        ]
        if page == 1 {
            context["content"] = copyHTML(copy, fallbackLocation: (copy?.path ?? "", nil), draft: &draft)
        }
        if pages > 1 {
            context["pagination"] = [
                "current": .int(page), "total": .int(pages),
                "previous": page > 1 ? .text(SitePaths.niche(slug, page: page - 1)) : .null,
                "next": page < pages ? .text(SitePaths.niche(slug, page: page + 1)) : .null,
            ]
        }
        let title = page == 1 ? niche.title : "\(niche.title), page \(page)"
        var meta = PageMeta(title: title, description: copy?.description ?? niche.summary)
        meta.breadcrumbs = [("Home", "/"), ("Shop", "/shop/"), (niche.title, SitePaths.niche(slug))]
        if page > 1 { meta.breadcrumbs.append(("Page \(page)", SitePaths.niche(slug, page: page))) }
        meta.jsonld = [StructuredData.itemList(
            name: title, items: shown.map { ($0.title, model.config.absoluteURL(SitePaths.product($0.slug))) })]
        return (meta, context)
    }

    func plans(draft: inout PageDraft) -> (PageMeta, PageContext) {
        let copy = self.copy(.plans, draft: &draft)
        draft.read("list:plan-counts")
        let index = model.index
        let plans = index.catalog.plans.map { plan -> TemplateValue in
            [
                "slug": .text(plan.slug), "sku": .text(plan.sku), "title": .text(plan.title), "summary": .text(plan.summary),
                "price": .text(plan.price.formatted), "interval": .text(plan.interval.rawValue),
                "features": .list(plan.features.map { .text($0) }), "grants_all": .bool(plan.grantsAll),
                "grants_label": .text(plan.grantsAll ? "every niche, including new ones"
                    : plan.niches.compactMap { index.nichesBySlug[$0]?.title }.joined(separator: ", ")),
                "product_count": .int(index.products(grantedBy: plan).count), "trial_days": .int(plan.trialDays),
                "member_discount": .text(plan.memberDiscountPercent.map { "Members save \($0)% on everything else in the shop" } ?? ""),
            ]
        }
        let context: PageContext = [
            "plans": .list(plans), "headline": .text(copy?.headline),
            "content": copyHTML(copy, fallbackLocation: (copy?.path ?? "", nil), draft: &draft),
        ]
        var meta = PageMeta(
            title: copy?.title ?? "Membership", description: copy?.description ?? "Every printable in your niches, for one monthly price.")
        meta.breadcrumbs = [("Home", "/"), (meta.title, "/plans/")]
        meta.jsonld = [StructuredData.plans(index.catalog.plans, config: model.config)]
        return (meta, context)
    }
}
