import ShopCore
import SiteCore

extension PageRenderer {
    func home(draft: inout PageDraft) -> (PageMeta, PageContext) {
        let index = model.index
        let copy = self.copy(.home, draft: &draft)
        let (featured, newest) = Self.homeSelection(index)
        for key in ["list:home", "list:bundles", "list:niche-counts"] { draft.read(key) }
        let context: PageContext = [
            "headline": .text(copy?.headline ?? model.config.title),
            "niches": nicheTiles(),
            "featured": featured.isEmpty ? cards(newest, draft: &draft) : cards(featured, draft: &draft),
            "newest": cards(newest, draft: &draft),
            "bundles": bundleCards(index.catalog.bundles.prefix(4), draft: &draft),
            "magnets": magnetTiles(),
            "content": copyHTML(copy, fallbackLocation: (copy?.path ?? "", nil), draft: &draft),
        ]
        let logo = model.assets.urls[model.config.organizationLogo]
        var meta = PageMeta(title: copy?.title ?? model.config.title, description: copy?.description ?? model.config.description)
        meta.image = logo
        meta.jsonld = [
            StructuredData.organization(config: model.config, logo: logo ?? ""),
            StructuredData.website(config: model.config),
        ]
        return (meta, context)
    }

    /// The home page's featured and newest active products (8 each), in the order shown.
    static func homeSelection(_ index: CatalogIndex) -> (featured: [Product], newest: [Product]) {
        let active = index.catalog.products.filter { $0.status == .active }
        // The first eight in each order, not all 10,000 sorted for eight (a tenth of the cached
        // one-edit build's model step, perf).
        let featured = active.filter(\.featured).first(8, by: Catalog.listingOrder)
        let newest = active.first(8) { ($0.released, $0.sku) > ($1.released, $1.sku) }
        return (featured, newest)
    }

    func shop(draft: inout PageDraft) -> (PageMeta, PageContext) {
        let niches = model.index.catalog.niches.map { niche -> TemplateValue in
            draft.read("list:niche:" + niche.slug)
            let products = model.index.productsByNiche[niche.slug] ?? []
            return [
                "slug": .text(niche.slug), "title": .text(niche.title), "summary": .text(niche.summary),
                "url": .text(SitePaths.niche(niche.slug)), "count": .int(products.count), "products": cards(products.prefix(4), draft: &draft),
            ]
        }
        var meta = PageMeta(title: "Shop all printables", description: "Browse every printable by niche.")
        meta.breadcrumbs = [("Home", "/"), ("Shop", "/shop/")]
        meta.jsonld = [StructuredData.itemList(
            name: "Niches", items: model.index.catalog.niches.map { ($0.title, model.config.absoluteURL(SitePaths.niche($0.slug))) })]
        return (meta, ["niches": .list(niches)])
    }

    func bundles(draft: inout PageDraft) -> (PageMeta, PageContext) {
        draft.read("list:bundles")
        let bundles = model.index.catalog.bundles
        var meta = PageMeta(title: "Bundles", description: "Printables grouped by theme, priced below buying each one.")
        meta.breadcrumbs = [("Home", "/"), ("Bundles", "/bundles/")]
        meta.jsonld = [StructuredData.itemList(
            name: "Bundles", items: bundles.map { ($0.title, model.config.absoluteURL(SitePaths.bundle($0.slug))) })]
        return (meta, ["bundles": bundleCards(bundles, draft: &draft)])
    }

    func free(draft: inout PageDraft) -> (PageMeta, PageContext) {
        let magnets = model.index.catalog.leadMagnets
        var meta = PageMeta(title: "Free printables", description: "Free printables, sent to your inbox.")
        meta.breadcrumbs = [("Home", "/"), ("Free printables", "/free/")]
        meta.jsonld = [StructuredData.itemList(
            name: "Free printables", items: magnets.map { ($0.title, model.config.absoluteURL(SitePaths.magnet($0.slug))) })]
        return (meta, ["magnets": magnetTiles()])
    }

    func nicheTiles() -> TemplateValue {
        .list(model.index.catalog.niches.map {
            [
                "title": .text($0.title), "summary": .text($0.summary), "url": .text(SitePaths.niche($0.slug)),
                "count": .int(model.index.productsByNiche[$0.slug]?.count ?? 0),
            ]
        })
    }

    func magnetTiles() -> TemplateValue {
        .list(model.index.catalog.leadMagnets.map {
            var tile: [String: TemplateValue] = [
                "title": .text($0.title), "summary": .text($0.summary), "url": .text(SitePaths.magnet($0.slug)),
            ]
            tile.merge(model.pictures["magnet:" + $0.slug]?.fields ?? [:]) { _, image in image }
            return .object(tile)
        })
    }
}

extension Array {
    /// The first `count` elements in the order `areInIncreasingOrder` gives: the same as
    /// `sorted(by:).prefix(count)` (equal elements keep their order), in one pass.
    func first(_ count: Int, by areInIncreasingOrder: (Element, Element) -> Bool) -> [Element] {
        var chosen: [Element] = []
        chosen.reserveCapacity(count + 1)
        for element in self {
            if chosen.count == count, let last = chosen.last, !areInIncreasingOrder(element, last) { continue }
            // After every element it does not come before: equal elements stay in their order.
            let at = chosen.firstIndex { areInIncreasingOrder(element, $0) } ?? chosen.endIndex
            chosen.insert(element, at: at)
            if chosen.count > count { chosen.removeLast() }
        }
        return chosen
    }
}
