import ShopCore

extension PageRenderer {
    func page(_ slug: String, draft: inout PageDraft) -> (PageMeta, [String: Any]) {
        let copy = model.content.pages.first { $0.key == slug }!
        var context: [String: Any] = [:]
        context["content"] = copyHTML(copy, fallbackLocation: (copy.path, nil), draft: &draft)
        let title = copy.title ?? slug
        var meta = PageMeta(title: title, description: copy.description ?? "")
        meta.breadcrumbs = [("Home", "/"), (title, "/\(slug)/")]
        return (meta, context)
    }

    func magnet(_ slug: String, path: String, draft: inout PageDraft) -> (PageMeta, [String: Any]) {
        let magnet = model.index.leadMagnetsBySlug[slug]!
        let copy = model.content.magnets[slug]
        let image = model.images["magnet:" + slug] ?? ""
        let item: [String: Any] = [
            "slug": slug, "title": magnet.title, "summary": magnet.summary, "image": image, "path": path,
            "headline": copy?.headline ?? magnet.title, "highlights": copy?.highlights ?? [],
        ]
        var context: [String: Any] = [
            "magnet": item,
            "related": cards(Array((model.index.productsByNiche[magnet.niche] ?? []).prefix(4))),
        ]
        context["content"] = copyHTML(copy, fallbackLocation: (copy?.path ?? "", nil), draft: &draft)
        var meta = PageMeta(title: magnet.title, description: copy?.description ?? magnet.summary, image: image)
        meta.breadcrumbs = [("Home", "/"), ("Free printables", "/free/"), (magnet.title, path)]
        return (meta, context)
    }

    /// Cart, thank-you, account, search and 404: shells whose data comes from the checkout or the browser.
    func special(_ kind: ContentKind, title: String, draft: inout PageDraft) -> (PageMeta, [String: Any]) {
        let copy = model.content.singles[kind]
        var context: [String: Any] = [:]
        context["content"] = copyHTML(copy, fallbackLocation: (copy?.path ?? "", nil), draft: &draft)
        return (PageMeta(title: copy?.title ?? title, description: copy?.description ?? ""), context)
    }
}
