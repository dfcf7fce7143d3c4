import ShopCore
import SiteCore

/// The page-wide facts every layout needs: title, description, canonical URL, social tags, JSON-LD.
struct PageMeta {
    var title: String
    var description: String
    var image: String? = nil
    /// The image's width and height in pixels, when known (`og:image:width`, `og:image:height`).
    var imageSize: (width: Int, height: Int)? = nil
    var ogType = "website"
    var price: Money? = nil
    var breadcrumbs: [(name: String, path: String)] = []
    var jsonld: [JSONValue] = []
}

/// A page's own template variables, next to `site` and `page`.
typealias PageContext = [String: TemplateValue]

/// Renders one page to HTML through the theme.
struct PageRenderer: Sendable {
    let model: SiteModel

    func render(_ job: PageJob) -> PageDraft {
        var draft = PageDraft()
        draft.read("template:" + job.template)
        let path = job.path(in: model)
        let (meta, context) = contexts(for: job, path: path, draft: &draft)
        let config = model.config
        var page: PageContext = [
            "title": .text(meta.title), "path": .text(path), "kind": .text(job.template), "og_type": .text(meta.ogType),
            "canonical": .text(config.absoluteURL(path)),
            "full_title": .text(job == .home ? (config.tagline.isEmpty ? config.title : "\(config.title) · \(config.tagline)")
                : "\(meta.title) · \(config.title)"),
            "description": .text(meta.description.isEmpty ? config.description : meta.description),
            "twitter_card": .text(meta.image == nil ? "summary" : "summary_large_image"),
            "noindex": .bool(job.isPrivate),
            "image": .text(meta.image.map { config.absoluteURL($0) }),
            "image_width": meta.imageSize.map { .int($0.width) } ?? .null,
            "image_height": meta.imageSize.map { .int($0.height) } ?? .null,
        ]
        if let price = meta.price {
            page["price"] = ["amount": .text(price.decimalString), "currency": .text(price.currency.code)]
        }
        var jsonld = meta.jsonld
        if meta.breadcrumbs.count > 1 {
            page["breadcrumbs"] = .list(meta.breadcrumbs.map { ["name": .text($0.name), "path": .text($0.path)] })
            jsonld.append(StructuredData.breadcrumbs(meta.breadcrumbs, config: config))
        }
        page["jsonld"] = .list(jsonld.map { .text($0.text) })
        switch job {
        case .shop, .niche, .product: page["section_shop"] = true
        case .bundles, .bundle: page["section_bundles"] = true
        case .plans: page["section_plans"] = true
        case .free, .magnet: page["section_free"] = true
        default: break
        }
        var full = context
        full["site"] = model.siteContext
        full["page"] = .object(page)
        draft.html = model.theme.render(job.template, .object(full))
        return draft
    }

    private func contexts(for job: PageJob, path: String, draft: inout PageDraft) -> (PageMeta, PageContext) {
        switch job {
        case .home: return home(draft: &draft)
        case .shop: return shop(draft: &draft)
        case let .niche(slug, page): return niche(slug, page: page, draft: &draft)
        case let .product(sku): return product(sku, path: path, draft: &draft)
        case .bundles: return bundles(draft: &draft)
        case let .bundle(slug): return bundle(slug, path: path, draft: &draft)
        case .plans: return plans(draft: &draft)
        case .free: return free(draft: &draft)
        case let .magnet(slug): return magnet(slug, path: path, draft: &draft)
        case let .page(slug): return page(slug, draft: &draft)
        case .cart: return special(.cart, title: "Your cart", draft: &draft)
        case .thankYou: return special(.thankYou, title: "Thank you for your order", draft: &draft)
        case .account: return special(.account, title: "Your account", draft: &draft)
        case .search: return special(.search, title: "Search", draft: &draft)
        case .notFound: return special(.notFound, title: "Page not found", draft: &draft)
        }
    }

    /// The copy of `kind` for `key` (nil for a page kind of which there is one), noted as read.
    func copy(_ kind: ContentKind, _ key: String? = nil, draft: inout PageDraft) -> PageCopy? {
        draft.read(SiteContent.inputKey(kind, key))
        switch kind {
        case .product: return model.content.products[key ?? ""]
        case .niche: return model.content.niches[key ?? ""]
        case .bundle: return model.content.bundles[key ?? ""]
        case .magnet: return model.content.magnets[key ?? ""]
        case .page: return model.content.pages.first { $0.key == key }
        default: return model.content.singles[kind]
        }
    }

    /// A copy's body (or `fallback` catalog text when there is no copy) as HTML, or null when there is none.
    func copyHTML(_ copy: PageCopy?, fallback: String = "", fallbackLocation: (file: String, line: Int?), draft: inout PageDraft) -> TemplateValue {
        if let copy {
            return .text(draft.markdown(copy.body, file: copy.path, bodyLine: copy.bodyLine, model: model))
        }
        guard !fallback.isEmpty else { return .null }
        return .text(draft.markdown(fallback, file: fallbackLocation.file, bodyLine: (fallbackLocation.line ?? 1) + 1, model: model))
    }

    func cards<S: Sequence<Product>>(_ products: S, draft: inout PageDraft) -> TemplateValue {
        Self.cards(products.map(\.sku), kind: "product", card: { model.productCards[$0] }, draft: &draft)
    }

    func bundleCards<S: Sequence<ProductBundle>>(_ bundles: S, draft: inout PageDraft) -> TemplateValue {
        Self.cards(bundles.map(\.slug), kind: "bundle", card: { model.bundleCards[$0] }, draft: &draft)
    }

    /// The cards of `keys`, each noted as read (`kind:key`).
    private static func cards(_ keys: [String], kind: String, card: (String) -> TemplateValue?, draft: inout PageDraft) -> TemplateValue {
        var list: [TemplateValue] = []
        for key in keys {
            draft.read(kind + ":" + key)
            if let card = card(key) { list.append(card) }
        }
        return .list(list)
    }
}
