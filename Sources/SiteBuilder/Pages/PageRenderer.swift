import ShopCore

/// The page-wide facts every layout needs: title, description, canonical URL, social tags, JSON-LD.
struct PageMeta {
    var title: String
    var description: String
    var image: String? = nil
    var ogType = "website"
    var price: Money? = nil
    var breadcrumbs: [(name: String, path: String)] = []
    var jsonld: [JSONValue] = []
}

/// Renders one page to HTML through the theme.
struct PageRenderer: Sendable {
    let model: SiteModel

    func render(_ job: PageJob) -> PageDraft {
        var draft = PageDraft()
        let path = job.path(in: model)
        let (meta, context) = contexts(for: job, path: path, draft: &draft)
        var page: [String: Any] = [
            "title": meta.title, "path": path, "kind": job.template, "og_type": meta.ogType,
            "canonical": model.config.absoluteURL(path),
            "full_title": job == .home ? (model.config.tagline.isEmpty ? model.config.title : "\(model.config.title) · \(model.config.tagline)")
                : "\(meta.title) · \(model.config.title)",
            "description": meta.description.isEmpty ? model.config.description : meta.description,
            "twitter_card": meta.image == nil ? "summary" : "summary_large_image",
            "noindex": job.isPrivate,
        ]
        page["image"] = meta.image.map { model.config.absoluteURL($0) }
        page["price"] = meta.price.map { ["amount": $0.decimalString, "currency": $0.currency.code] }
        var jsonld = meta.jsonld
        if meta.breadcrumbs.count > 1 {
            page["breadcrumbs"] = meta.breadcrumbs.map { ["name": $0.name, "path": $0.path] }
            jsonld.append(StructuredData.breadcrumbs(meta.breadcrumbs, config: model.config))
        }
        page["jsonld"] = jsonld.map(\.text)
        switch job {
        case .shop, .niche, .product: page["section_shop"] = true
        case .bundles, .bundle: page["section_bundles"] = true
        case .plans: page["section_plans"] = true
        case .free, .magnet: page["section_free"] = true
        default: break
        }
        var full = context
        full["site"] = model.siteContext
        full["page"] = page
        draft.html = model.theme.render(job.template, full)
        return draft
    }

    private func contexts(for job: PageJob, path: String, draft: inout PageDraft) -> (PageMeta, [String: Any]) {
        switch job {
        case .home: return home(draft: &draft)
        case .shop: return shop()
        case let .niche(slug, page): return niche(slug, page: page, draft: &draft)
        case let .product(sku): return product(sku, path: path, draft: &draft)
        case .bundles: return bundles()
        case let .bundle(slug): return bundle(slug, path: path, draft: &draft)
        case .plans: return plans(draft: &draft)
        case .free: return free()
        case let .magnet(slug): return magnet(slug, path: path, draft: &draft)
        case let .page(slug): return page(slug, draft: &draft)
        case .cart: return special(.cart, title: "Your cart", draft: &draft)
        case .thankYou: return special(.thankYou, title: "Thank you for your order", draft: &draft)
        case .account: return special(.account, title: "Your account", draft: &draft)
        case .search: return special(.search, title: "Search", draft: &draft)
        case .notFound: return special(.notFound, title: "Page not found", draft: &draft)
        }
    }

    /// Renders a copy's body (or `fallback` catalog text when there is no copy) into `context["content"]`.
    func copyHTML(_ copy: PageCopy?, fallback: String = "", fallbackLocation: (file: String, line: Int?), draft: inout PageDraft) -> String? {
        if let copy {
            let html = draft.markdown(copy.body, file: copy.path, bodyLine: copy.bodyLine, model: model)
            return html.isEmpty ? nil : html
        }
        guard !fallback.isEmpty else { return nil }
        let html = draft.markdown(fallback, file: fallbackLocation.file, bodyLine: (fallbackLocation.line ?? 1) + 1, model: model)
        return html.isEmpty ? nil : html
    }

    func cards(_ products: [Product]) -> [[String: Any]] {
        products.compactMap { model.productCards[$0.sku] }
    }
}
