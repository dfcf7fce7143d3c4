import ShopCore

extension PageRenderer {
    func product(_ sku: String, path: String, draft: inout PageDraft) -> (PageMeta, [String: Any]) {
        let index = model.index
        let product = index.productsBySKU[sku]!
        let copy = model.content.products[sku]
        let niche = index.nichesBySlug[product.niche]
        let image = model.images["product:" + sku] ?? ""
        let variants = index.variants(of: product)
        let url = model.config.absoluteURL(path)
        let description = copy?.description ?? product.summary
        var item: [String: Any] = [
            "sku": product.sku, "title": product.title, "summary": product.summary, "image": image,
            "image_alt": "\(product.title) preview", "price_label": SiteModel.priceLabel(product, index: index),
            "niche_title": niche?.title ?? "", "niche_url": SitePaths.niche(product.niche),
            "available": product.status == .active, "has_variants": !variants.isEmpty,
            "variants": variants.map { variant -> [String: Any] in
                ["sku": variant.sku, "title": variant.title, "price_label": (index.price(of: variant) ?? product.price).formatted]
            },
            "highlights": copy?.highlights ?? [],
            "bundles": (model.bundlesByProduct[sku] ?? []).compactMap { model.bundleCards[$0.slug] },
            "plans": index.catalog.plans.filter { $0.grants(niche: product.niche) }.map { ["slug": $0.slug, "title": $0.title] },
        ]
        item["title"] = copy?.title ?? product.title
        let related = (index.productsByNiche[product.niche] ?? []).filter { $0.sku != sku }.prefix(4)
        var context: [String: Any] = ["product": item, "related": cards(Array(related))]
        context["content"] = copyHTML(
            copy, fallback: product.description, fallbackLocation: model.catalogLocation(kind: "product", key: sku), draft: &draft)
        var meta = PageMeta(title: product.title, description: description, image: image, ogType: "product")
        meta.price = index.priceRange(of: product).low
        meta.breadcrumbs = [("Home", "/"), ("Shop", "/shop/")]
        if let niche { meta.breadcrumbs.append((niche.title, SitePaths.niche(niche.slug))) }
        meta.breadcrumbs.append((product.title, path))
        meta.jsonld = [StructuredData.product(
            product, variants: variants, index: index, url: url, image: image, description: description, config: model.config)]
        return (meta, context)
    }

    func bundle(_ slug: String, path: String, draft: inout PageDraft) -> (PageMeta, [String: Any]) {
        let bundle = model.index.bundlesBySlug[slug]!
        let pricing = model.bundlePricing[slug]!
        let copy = model.content.bundles[slug]
        let image = model.images["bundle:" + slug] ?? ""
        var context: [String: Any] = [
            "bundle": model.bundleCards[slug] ?? [:],
            "products": cards(pricing.products),
        ]
        context["content"] = copyHTML(copy, fallbackLocation: (copy?.path ?? "", nil), draft: &draft)
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

    func niche(_ slug: String, page: Int, draft: inout PageDraft) -> (PageMeta, [String: Any]) {
        let niche = model.index.nichesBySlug[slug]!
        let copy = model.content.niches[slug]
        let all = model.index.productsByNiche[slug] ?? []
        let size = model.config.productsPerPage
        let pages = max(1, (all.count + size - 1) / size)
        let shown = Array(all.dropFirst((page - 1) * size).prefix(size))
        var nicheContext: [String: Any] = ["title": niche.title, "slug": slug]
        nicheContext["headline"] = (copy?.headline ?? niche.summary).nonEmpty
        var context: [String: Any] = [
            "niche": nicheContext, "products": cards(shown),
            "bundles": model.index.catalog.bundles.filter { $0.rule.niches.contains(slug) }.compactMap { model.bundleCards[$0.slug] },
        ]
        if page == 1 {
            context["content"] = copyHTML(copy, fallbackLocation: (copy?.path ?? "", nil), draft: &draft)
        }
        if pages > 1 {
            var pagination: [String: Any] = ["current": page, "total": pages]
            if page > 1 { pagination["previous"] = SitePaths.niche(slug, page: page - 1) }
            if page < pages { pagination["next"] = SitePaths.niche(slug, page: page + 1) }
            context["pagination"] = pagination
        }
        let title = page == 1 ? niche.title : "\(niche.title), page \(page)"
        var meta = PageMeta(title: title, description: copy?.description ?? niche.summary)
        meta.breadcrumbs = [("Home", "/"), ("Shop", "/shop/"), (niche.title, SitePaths.niche(slug))]
        if page > 1 { meta.breadcrumbs.append(("Page \(page)", SitePaths.niche(slug, page: page))) }
        meta.jsonld = [StructuredData.itemList(
            name: title, items: shown.map { ($0.title, model.config.absoluteURL(SitePaths.product($0.slug))) })]
        return (meta, context)
    }

    func plans(draft: inout PageDraft) -> (PageMeta, [String: Any]) {
        let copy = model.content.singles[.plans]
        let index = model.index
        let plans = index.catalog.plans.map { plan -> [String: Any] in
            var item: [String: Any] = [
                "slug": plan.slug, "sku": plan.sku, "title": plan.title, "summary": plan.summary, "price": plan.price.formatted,
                "interval": plan.interval.rawValue, "features": plan.features, "grants_all": plan.grantsAll,
                "grants_label": plan.grantsAll ? "every niche, including new ones"
                    : plan.niches.compactMap { index.nichesBySlug[$0]?.title }.joined(separator: ", "),
                "product_count": index.products(grantedBy: plan).count,
            ]
            if plan.trialDays > 0 { item["trial_days"] = plan.trialDays }
            return item
        }
        var context: [String: Any] = ["plans": plans]
        context["headline"] = copy?.headline
        context["content"] = copyHTML(copy, fallbackLocation: (copy?.path ?? "", nil), draft: &draft)
        var meta = PageMeta(
            title: copy?.title ?? "Membership", description: copy?.description ?? "Every printable in your niches, for one monthly price.")
        meta.breadcrumbs = [("Home", "/"), (meta.title, "/plans/")]
        meta.jsonld = [StructuredData.plans(index.catalog.plans, config: model.config)]
        return (meta, context)
    }
}
