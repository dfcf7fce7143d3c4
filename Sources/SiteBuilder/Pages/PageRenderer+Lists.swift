import ShopCore

extension PageRenderer {
    func home(draft: inout PageDraft) -> (PageMeta, [String: Any]) {
        let index = model.index
        let copy = model.content.singles[.home]
        let active = index.catalog.products.filter { $0.status == .active }
        let featured = active.filter(\.featured).sorted(by: Catalog.listingOrder).prefix(8)
        let newest = active.sorted { ($0.released, $0.sku) > ($1.released, $1.sku) }.prefix(8)
        var context: [String: Any] = [
            "headline": copy?.headline ?? model.config.title,
            "niches": nicheTiles(),
            "featured": cards(Array(featured.isEmpty ? newest : featured)),
            "newest": cards(Array(newest)),
            "bundles": index.catalog.bundles.prefix(4).compactMap { model.bundleCards[$0.slug] },
            "magnets": magnetTiles(),
        ]
        context["content"] = copyHTML(copy, fallbackLocation: (copy?.path ?? "", nil), draft: &draft)
        var meta = PageMeta(title: copy?.title ?? model.config.title, description: copy?.description ?? model.config.description)
        meta.image = model.assets.urls[model.config.organizationLogo]
        meta.jsonld = [
            StructuredData.organization(config: model.config, logo: model.assets.urls[model.config.organizationLogo] ?? ""),
            StructuredData.website(config: model.config),
        ]
        return (meta, context)
    }

    func shop() -> (PageMeta, [String: Any]) {
        let niches = model.index.catalog.niches.map { niche -> [String: Any] in
            let products = model.index.productsByNiche[niche.slug] ?? []
            return [
                "slug": niche.slug, "title": niche.title, "summary": niche.summary, "url": SitePaths.niche(niche.slug),
                "count": products.count, "products": cards(Array(products.prefix(4))),
            ]
        }
        var meta = PageMeta(title: "Shop all printables", description: "Browse every printable by niche.")
        meta.breadcrumbs = [("Home", "/"), ("Shop", "/shop/")]
        meta.jsonld = [StructuredData.itemList(
            name: "Niches", items: model.index.catalog.niches.map { ($0.title, model.config.absoluteURL(SitePaths.niche($0.slug))) })]
        return (meta, ["niches": niches])
    }

    func bundles() -> (PageMeta, [String: Any]) {
        let bundles = model.index.catalog.bundles
        var meta = PageMeta(title: "Bundles", description: "Printables grouped by theme, priced below buying each one.")
        meta.breadcrumbs = [("Home", "/"), ("Bundles", "/bundles/")]
        meta.jsonld = [StructuredData.itemList(
            name: "Bundles", items: bundles.map { ($0.title, model.config.absoluteURL(SitePaths.bundle($0.slug))) })]
        return (meta, ["bundles": bundles.compactMap { model.bundleCards[$0.slug] }])
    }

    func free() -> (PageMeta, [String: Any]) {
        let magnets = model.index.catalog.leadMagnets
        var meta = PageMeta(title: "Free printables", description: "Free printables, sent to your inbox.")
        meta.breadcrumbs = [("Home", "/"), ("Free printables", "/free/")]
        meta.jsonld = [StructuredData.itemList(
            name: "Free printables", items: magnets.map { ($0.title, model.config.absoluteURL(SitePaths.magnet($0.slug))) })]
        return (meta, ["magnets": magnetTiles()])
    }

    func nicheTiles() -> [[String: Any]] {
        model.index.catalog.niches.map {
            ["title": $0.title, "summary": $0.summary, "url": SitePaths.niche($0.slug), "count": model.index.productsByNiche[$0.slug]?.count ?? 0]
        }
    }

    func magnetTiles() -> [[String: Any]] {
        model.index.catalog.leadMagnets.map {
            ["title": $0.title, "summary": $0.summary, "url": SitePaths.magnet($0.slug), "image": model.images["magnet:" + $0.slug] ?? ""]
        }
    }
}
