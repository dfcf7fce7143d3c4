import ShopCore
import SiteCore

extension PageRenderer {
    func page(_ slug: String, draft: inout PageDraft) -> (PageMeta, PageContext) {
        let copy = self.copy(.page, slug, draft: &draft)!
        let context: PageContext = ["content": copyHTML(copy, fallbackLocation: (copy.path, nil), draft: &draft)]
        let title = copy.title ?? slug
        var meta = PageMeta(title: title, description: copy.description ?? "")
        meta.breadcrumbs = [("Home", "/"), (title, SitePaths.page(slug))]
        return (meta, context)
    }

    func magnet(_ slug: String, path: String, draft: inout PageDraft) -> (PageMeta, PageContext) {
        let magnet = model.index.leadMagnetsBySlug[slug]!
        let copy = self.copy(.magnet, slug, draft: &draft)
        draft.read("list:niche:" + magnet.niche)
        let image = model.images["magnet:" + slug] ?? ""
        var item: [String: TemplateValue] = [
            "slug": .text(slug), "title": .text(magnet.title), "summary": .text(magnet.summary),
            "path": .text(path), "headline": .text(copy?.headline ?? magnet.title),
            "highlights": .list((copy?.highlights ?? []).map { .text($0) }),
        ]
        item.merge(model.pictures["magnet:" + slug]?.fields ?? [:]) { _, image in image }
        let context: PageContext = [
            "magnet": .object(item),
            "related": cards((model.index.productsByNiche[magnet.niche] ?? []).prefix(4), draft: &draft),
            "content": copyHTML(copy, fallbackLocation: (copy?.path ?? "", nil), draft: &draft),
        ]
        var meta = PageMeta(title: magnet.title, description: copy?.description ?? magnet.summary, image: image)
        meta.breadcrumbs = [("Home", "/"), ("Free printables", "/free/"), (magnet.title, path)]
        return (meta, context)
    }

    /// Cart, thank-you, account, search and 404: shells whose data comes from the checkout or the browser.
    func special(_ kind: ContentKind, title: String, draft: inout PageDraft) -> (PageMeta, PageContext) {
        let copy = self.copy(kind, draft: &draft)
        let context: PageContext = ["content": copyHTML(copy, fallbackLocation: (copy?.path ?? "", nil), draft: &draft)]
        return (PageMeta(title: copy?.title ?? title, description: copy?.description ?? ""), context)
    }
}
