/// The editor-written copy of one page: front matter fields and the Markdown body.
struct PageCopy: Sendable, Codable {
    /// The content file, relative to the site folder.
    let path: String
    /// What the copy belongs to: a SKU, niche, bundle or magnet slug, or the page's own slug.
    let key: String
    /// The line naming `key` in the file (for errors about it).
    let keyLine: Int
    let title: String?
    let description: String?
    let headline: String?
    let highlights: [String]
    /// `header` or `footer` to list a plain page in that menu.
    let menu: String?
    let weight: Int
    let draft: Bool
    /// The file's text (UTF-8, as `TextInput.normalized` makes it) and where the body starts in it, in
    /// bytes: the body is made a `String` only when a page renders it. Making 10,000 bodies when
    /// the build cache holds all but one of their pages took 30 MB and a tenth of reading them (perf).
    let text: [UInt8]
    let bodyStart: Int
    let bodyLine: Int
    /// The hash of the file's bytes (`ContentHash`) when the copy was read from a file: every
    /// field is a function of them, so `SiteContent.inputHash` hashes this, not the fields.
    var fileHash: UInt64?

    /// The Markdown body.
    var body: String { String(decoding: text[min(bodyStart, text.count)...], as: UTF8.self) }

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
