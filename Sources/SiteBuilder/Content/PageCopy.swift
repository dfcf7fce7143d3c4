/// The editor-written copy of one page: front matter fields and the Markdown body.
///
/// The fields live in one shared, immutable object: a copy of the copy costs one retain, not one per
/// field (copies of the 10,000 copies of a large shop, filed in tables and passed to `PageInputs`,
/// were a tenth of a cached one-edit build's retains and releases, perf).
struct PageCopy: Sendable {
    /// The fields as the file gave them.
    final class Fields: Sendable {
        let path: String
        let key: String
        let keyLine: Int
        let title: String?
        let description: String?
        let headline: String?
        let highlights: [String]
        let menu: String?
        let weight: Int
        let draft: Bool
        let text: [UInt8]
        let bodyStart: Int
        let bodyLine: Int

        init(
            path: String, key: String, keyLine: Int, title: String?, description: String?, headline: String?, highlights: [String],
            menu: String?, weight: Int, draft: Bool, text: [UInt8], bodyStart: Int, bodyLine: Int
        ) {
            self.path = path
            self.key = key
            self.keyLine = keyLine
            self.title = title
            self.description = description
            self.headline = headline
            self.highlights = highlights
            self.menu = menu
            self.weight = weight
            self.draft = draft
            self.text = text
            self.bodyStart = bodyStart
            self.bodyLine = bodyLine
        }
    }

    let fields: Fields
    /// The hash of the file's bytes (`ContentHash`) when the copy was read from a file: every
    /// field is a function of them, so `SiteContent.inputHash` hashes this, not the fields.
    var fileHash: UInt64?

    /// The content file, relative to the site folder.
    var path: String { fields.path }
    /// What the copy belongs to: a SKU, niche, bundle or magnet slug, or the page's own slug.
    var key: String { fields.key }
    /// The line naming `key` in the file (for errors about it).
    var keyLine: Int { fields.keyLine }
    var title: String? { fields.title }
    var description: String? { fields.description }
    var headline: String? { fields.headline }
    var highlights: [String] { fields.highlights }
    /// `header` or `footer` to list a plain page in that menu.
    var menu: String? { fields.menu }
    var weight: Int { fields.weight }
    var draft: Bool { fields.draft }
    /// The file's text (UTF-8, as `TextInput.normalized` makes it) and where the body starts in it, in
    /// bytes: the body is made a `String` only when a page renders it. Making 10,000 bodies when
    /// the build cache holds all but one of their pages took 30 MB and a tenth of reading them (perf).
    var text: [UInt8] { fields.text }
    var bodyStart: Int { fields.bodyStart }
    var bodyLine: Int { fields.bodyLine }

    /// The Markdown body.
    var body: String { String(decoding: fields.text[min(fields.bodyStart, fields.text.count)...], as: UTF8.self) }

    init(
        path: String, key: String, keyLine: Int, title: String?, description: String?, headline: String?, highlights: [String],
        menu: String?, weight: Int, draft: Bool, text: [UInt8], bodyStart: Int, bodyLine: Int
    ) {
        fields = Fields(
            path: path, key: key, keyLine: keyLine, title: title, description: description, headline: headline, highlights: highlights,
            menu: menu, weight: weight, draft: draft, text: text, bodyStart: bodyStart, bodyLine: bodyLine)
    }

    /// A copy whose text is its body.
    init(
        path: String, key: String, keyLine: Int, title: String?, description: String?, headline: String?, highlights: [String],
        menu: String?, weight: Int, draft: Bool, body: String, bodyLine: Int
    ) {
        self.init(
            path: path, key: key, keyLine: keyLine, title: title, description: description, headline: headline, highlights: highlights,
            menu: menu, weight: weight, draft: draft, text: Array(body.utf8), bodyStart: 0, bodyLine: bodyLine)
    }
}

/// What each content location is, and which front matter keys it takes.
enum ContentKind: String, Sendable, CaseIterable {
    case home, plans, product, niche, bundle, magnet, page, cart, thankYou, account, notFound, search

    /// The front matter key joining the copy to the catalog, if any.
    var keyField: String? {
        switch self {
        case .product: return "sku"
        case .niche: return "niche"
        case .bundle: return "bundle"
        case .magnet: return "magnet"
        case .page: return "slug"
        default: return nil
        }
    }

    var allowedKeys: [String] {
        var keys = ["title", "description", "draft"]
        if let keyField { keys.append(keyField) }
        switch self {
        case .product, .magnet: keys += ["highlights"]
        case .page: keys += ["menu", "weight"]
        default: break
        }
        if [.home, .plans, .magnet, .niche, .bundle].contains(self) { keys.append("headline") }
        return keys
    }

    /// The kind of a file from where it sits under `content/`, e.g. `products/noah.md`.
    static func of(relativePath: String) -> ContentKind? {
        // Split as the file system does, on the byte '/', not by characters (a quarter of reading
        // 10,000 content files went to splitting their paths by grapheme clusters, perf), and
        // compared as substrings: making strings or arrays of the parts was a tenth of reading them.
        let utf8 = relativePath.utf8
        let slash = UInt8(ascii: "/")
        guard let first = utf8.firstIndex(of: slash) else { return single(Substring(relativePath)) }
        let rest = utf8[utf8.index(after: first)...]
        if first != utf8.startIndex, !rest.isEmpty, !rest.contains(slash) { return folder(Substring(utf8[..<first])) }
        // Anything odder (`a//b.md`, a slash first or last) as the file system reads it: empty parts left out.
        let parts = utf8.split(separator: slash)
        if parts.count == 2 { return folder(Substring(parts[0])) }
        return parts.count == 1 ? single(Substring(parts[0])) : nil
    }

    /// The kind of a file in this folder under `content/`.
    private static func folder(_ name: Substring) -> ContentKind? {
        switch name {
        case "products": return .product
        case "niches": return .niche
        case "bundles": return .bundle
        case "free": return .magnet
        case "pages": return .page
        default: return nil
        }
    }

    /// The kind of a file with this name right in `content/`.
    private static func single(_ name: Substring) -> ContentKind? {
        switch name {
        case "home.md": return .home
        case "plans.md": return .plans
        case "cart.md": return .cart
        case "thank-you.md": return .thankYou
        case "account.md": return .account
        case "404.md": return .notFound
        case "search.md": return .search
        default: return nil
        }
    }

    static let locationHint = """
        content/ holds home.md, plans.md, cart.md, thank-you.md, account.md, search.md, 404.md and the folders \
        products/, niches/, bundles/, free/ and pages/
        """
}
