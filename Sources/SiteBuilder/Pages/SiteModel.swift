import Foundation
import ShopCore
import SiteCore

/// Everything a page needs, read and worked out once per build, then shared read-only by the
/// render workers.
final class SiteModel: Sendable {
    let siteFolder: String
    let config: SiteConfig
    let index: CatalogIndex
    let sourceMap: CatalogSourceMap?
    let content: SiteContent
    let theme: Theme
    let assets: AssetPipeline
    let markdown: MarkdownRenderer
    /// Template context shared by every page: `site.*`.
    let siteContext: TemplateValue
    /// Card contexts by product SKU (made as pages show them) and by bundle slug.
    let productCards: ProductCards
    let bundleCards: [String: TemplateValue]
    let bundlePricing: [String: BundlePricing]
    /// Bundles holding each product, by SKU.
    let bundlesByProduct: [String: [ProductBundle]]
    /// Image URLs (fingerprinted or absolute) by `product:SKU`, `bundle:SLUG` and `magnet:SLUG`.
    let images: [String: String]
    /// The same images with their resized copies (`Picture`), by the same keys.
    let pictures: [String: Picture]
    /// Open Graph cards by product SKU: URL, width and height in pixels (`OpenGraphCard`).
    let cards: [String: (url: String, width: Int, height: Int)]
    /// The moment the pages show prices for (the build's start, in the shop's zone).
    let time: ShopTime
    var prices: PriceDisplay { PriceDisplay(index: index, time: time) }

    init(
        siteFolder: String, config: SiteConfig, index: CatalogIndex, sourceMap: CatalogSourceMap?, content: SiteContent,
        theme: Theme, assets: AssetPipeline, images pipeline: ImagePipeline?, time: ShopTime
    ) throws(BuildError) {
        self.time = time
        self.siteFolder = siteFolder
        self.config = config
        self.index = index
        self.sourceMap = sourceMap
        self.content = content
        self.theme = theme
        self.assets = assets
        self.markdown = MarkdownRenderer(allowRawHTML: config.allowRawHTML)

        var diagnostics: [Diagnostic] = []
        var pictures: [String: Picture] = [:]
        pictures.reserveCapacity(index.catalog.products.count + index.catalog.bundles.count + index.catalog.leadMagnets.count)
        func picture(_ path: String, kind: String, key: String) -> Picture {
            if let picture = pipeline?.pictures[path] { return picture }
            let url = image(path, kind: kind, key: key)
            // An SVG's box is its own shape; other images used as they are get the theme's square.
            guard let size = assets.svgSizes[path.isEmpty ? "/assets/images/placeholder.svg" : path] else { return .plain(url) }
            return Picture(src: url, srcset: "", webpSrcset: "", width: size.width, height: size.height)
        }
        func image(_ path: String, kind: String, key: String) -> String {
            if path.isEmpty { return assets.urls["/assets/images/placeholder.svg"] ?? "" }
            if path.hasPrefix("http://") || path.hasPrefix("https://") { return path }
            if let hashed = assets.urls[path] { return hashed }
            let location = Self.catalogLocation(sourceMap: sourceMap, config: config, kind: kind, key: key)
            diagnostics.append(Diagnostic(
                file: location.file, line: location.line, message: "\(kind) \(key): image \(path) is not an asset",
                hint: path.hasPrefix("/assets/") ? "put the file at assets\(path.dropFirst("/assets".count))" : "image paths start with /assets/"))
            return path
        }
        for product in index.catalog.products { pictures["product:" + product.sku] = picture(product.image, kind: "product", key: product.sku) }
        for bundle in index.catalog.bundles { pictures["bundle:" + bundle.slug] = picture(bundle.image, kind: "bundle", key: bundle.slug) }
        for magnet in index.catalog.leadMagnets { pictures["magnet:" + magnet.slug] = picture(magnet.image, kind: "lead-magnet", key: magnet.slug) }
        self.pictures = pictures
        self.images = pictures.mapValues(\.src)
        self.cards = pipeline?.cards ?? [:]

        var pricing: [String: BundlePricing] = [:]
        var bundlesByProduct: [String: [ProductBundle]] = [:]
        // On every core: a bundle chosen by niche and tags looks through every product in them.
        for (bundle, price) in zip(index.catalog.bundles, parallelMap(index.catalog.bundles) { index.pricing(of: $0) }) {
            pricing[bundle.slug] = price
            for product in price.products { bundlesByProduct[product.sku, default: []].append(bundle) }
        }
        self.bundlePricing = pricing
        self.bundlesByProduct = bundlesByProduct

        let prices = PriceDisplay(index: index, time: time)
        let productPictures = pictures
        self.productCards = ProductCards(index.productsBySKU) { product in
            var card: [String: TemplateValue] = [
                "sku": .text(product.sku), "title": .text(product.title), "url": .text(SitePaths.product(product.slug)),
                "summary": .text(product.summary), "niche_title": .text(index.nichesBySlug[product.niche]?.title ?? ""),
            ]
            card.merge(productPictures["product:" + product.sku]?.fields ?? [:]) { _, image in image }
            card.merge(prices.context(product)) { _, price in price }
            card.merge(prices.stock(product)) { _, stock in stock }
            return .object(card)
        }
        var bundleCards: [String: TemplateValue] = [:]
        for bundle in index.catalog.bundles {
            let price = pricing[bundle.slug]!
            var card: [String: TemplateValue] = [
                "sku": .text(bundle.sku), "slug": .text(bundle.slug), "title": .text(bundle.title),
                "url": .text(SitePaths.bundle(bundle.slug)),
                "summary": .text(bundle.summary), "count": .int(price.products.count), "discount": .int(bundle.discountPercent),
                "total": .text(price.total.formatted), "price": .text(price.price.formatted), "saving": .text(price.saving.formatted),
            ]
            card.merge(pictures["bundle:" + bundle.slug]?.fields ?? [:]) { _, image in image }
            bundleCards[bundle.slug] = .object(card)
        }
        self.bundleCards = bundleCards

        func menu(_ name: String) -> TemplateValue {
            .list(content.pages.filter { $0.menu == name }.map { ["title": .text($0.title ?? $0.key), "url": .text(SitePaths.page($0.key))] })
        }
        self.siteContext = [
            "title": .text(config.title), "base_url": .text(config.baseURL), "language": .text(config.language),
            "checkout_url": .text(config.checkoutURL), "tagline": .text(config.tagline), "copyright": .text(config.copyright),
            "twitter": .text(config.twitter), "organization_email": .text(config.organizationEmail),
            "niches": .list(index.catalog.niches.map {
                ["title": .text($0.title), "url": .text(SitePaths.niche($0.slug)), "slug": .text($0.slug)]
            }),
            "header_menu": menu("header"), "footer_menu": menu("footer"),
        ]

        for page in content.pages {
            if SitePaths.reserved.contains(page.key) {
                diagnostics.append(Diagnostic(
                    file: page.path, line: page.keyLine, message: "a page cannot take the URL /\(page.key)/, the shop uses it",
                    hint: "set `slug:` to another name"))
            } else if let problem = SitePaths.pageSlugProblem(page.key) {
                diagnostics.append(Diagnostic(file: page.path, line: page.keyLine, message: "'\(page.key)' cannot be a page's URL: \(problem)",
                    hint: "a slug is one path segment: letters (any script), digits and hyphens"))
            }
        }
        guard diagnostics.isEmpty else { throw BuildError(diagnostics) }
    }

    private init(copying other: SiteModel, content: SiteContent) {
        siteFolder = other.siteFolder
        config = other.config
        index = other.index
        sourceMap = other.sourceMap
        self.content = content
        theme = other.theme
        assets = other.assets
        markdown = other.markdown
        siteContext = other.siteContext
        productCards = other.productCards
        bundleCards = other.bundleCards
        bundlePricing = other.bundlePricing
        bundlesByProduct = other.bundlesByProduct
        images = other.images
        pictures = other.pictures
        cards = other.cards
        time = other.time
    }

    /// The same site with other copy for pages whose copy feeds nothing shared (menus, cards, lists).
    func replacing(content: SiteContent) -> SiteModel { SiteModel(copying: self, content: content) }

    /// Where a catalog record is defined, for errors about catalog data.
    static func catalogLocation(sourceMap: CatalogSourceMap?, config: SiteConfig, kind: String, key: String) -> (file: String, line: Int?) {
        if let sourceMap, let line = sourceMap.line(of: kind, key) { return (config.catalogText, line) }
        return (config.catalogDatabase, nil)
    }

    func catalogLocation(kind: String, key: String) -> (file: String, line: Int?) {
        Self.catalogLocation(sourceMap: sourceMap, config: config, kind: kind, key: key)
    }

    /// Every page of the site, in a stable order.
    func jobs() -> [PageJob] {
        var jobs: [PageJob] = [.home, .shop, .bundles, .plans, .free, .cart, .thankYou, .account, .search, .notFound]
        for niche in index.catalog.niches {
            let count = index.productsByNiche[niche.slug]?.count ?? 0
            let pages = max(1, (count + config.productsPerPage - 1) / config.productsPerPage)
            for page in 1...pages { jobs.append(.niche(niche.slug, page: page)) }
        }
        for product in index.catalog.products where product.status != .draft { jobs.append(.product(product.sku)) }
        for bundle in index.catalog.bundles { jobs.append(.bundle(bundle.slug)) }
        for magnet in index.catalog.leadMagnets { jobs.append(.magnet(magnet.slug)) }
        for page in content.pages { jobs.append(.page(page.key)) }
        return jobs
    }
}
