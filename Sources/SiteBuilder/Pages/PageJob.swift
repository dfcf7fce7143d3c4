import Foundation
import ShopCore

/// One HTML page the build renders.
enum PageJob: Sendable, Hashable {
    case home
    case shop
    /// A niche listing and its 1-based page number.
    case niche(String, page: Int)
    /// A product page, by SKU.
    case product(String)
    case bundles
    case bundle(String)
    case plans
    case free
    case magnet(String)
    /// A plain Markdown page, by slug.
    case page(String)
    case cart, thankYou, account, search, notFound

    /// The page's name in the build cache: its template and what it shows, e.g. `product:KB-NOAH`.
    var id: String {
        switch self {
        case let .niche(slug, page): return "niche:\(slug):\(page)"
        case let .product(key), let .bundle(key), let .magnet(key), let .page(key): return template + ":" + key
        default: return template
        }
    }

    /// The URL path the page is served at.
    func path(in model: SiteModel) -> String {
        switch self {
        case .home: return "/"
        case .shop: return "/shop/"
        case let .niche(slug, page): return SitePaths.niche(slug, page: page)
        case let .product(sku): return SitePaths.product(model.index.productsBySKU[sku]?.slug ?? sku)
        case .bundles: return "/bundles/"
        case let .bundle(slug): return SitePaths.bundle(slug)
        case .plans: return "/plans/"
        case .free: return "/free/"
        case let .magnet(slug): return SitePaths.magnet(slug)
        case let .page(slug): return SitePaths.page(slug)
        case .cart: return "/cart/"
        case .thankYou: return "/thank-you/"
        case .account: return "/account/"
        case .search: return "/search/"
        case .notFound: return "/404.html"
        }
    }

    var template: String {
        switch self {
        case .home: return "home"
        case .shop: return "shop"
        case .niche: return "niche"
        case .product: return "product"
        case .bundles: return "bundles"
        case .bundle: return "bundle"
        case .plans: return "plans"
        case .free: return "free"
        case .magnet: return "magnet"
        case .page: return "page"
        case .cart: return "cart"
        case .thankYou: return "thank-you"
        case .account: return "account"
        case .search: return "search"
        case .notFound: return "not-found"
        }
    }

    /// Pages search engines should not index or list in the sitemap.
    var isPrivate: Bool {
        switch self {
        case .cart, .thankYou, .account, .search, .notFound: return true
        default: return false
        }
    }
}

/// The site's URL scheme, in one place.
///
/// Paths are URIs: a slug outside ASCII (a page named in another script) is percent-encoded UTF-8
/// (RFC 3986 §2.1, as Hugo writes it), so every link, canonical URL, sitemap entry and search
/// result is valid; the file is written under the decoded name (`file(for:)`), which is where a
/// web server looks for the request `/%C3%BCber-uns/`.
enum SitePaths {
    static func niche(_ slug: String, page: Int = 1) -> String {
        page <= 1 ? "/shop/\(segment(slug))/" : "/shop/\(segment(slug))/page/\(page)/"
    }
    static func product(_ slug: String) -> String { "/products/\(segment(slug))/" }
    static func bundle(_ slug: String) -> String { "/bundles/\(segment(slug))/" }
    static func magnet(_ slug: String) -> String { "/free/\(segment(slug))/" }
    static func page(_ slug: String) -> String { "/\(segment(slug))/" }

    static func segment(_ slug: String) -> String { PercentEncoding.unreserved(slug) }

    /// A relative path with each segment percent-encoded: `images/a b.svg` → `images/a%20b.svg`.
    static func encoded(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { segment(String($0)) }.joined(separator: "/")
    }

    /// Why `slug` cannot be a plain page's one path segment, or nil when it can.
    static func pageSlugProblem(_ slug: String) -> String? {
        if slug.isEmpty || slug == "." || slug == ".." { return "it is empty or a dot path" }
        if let bad = slug.unicodeScalars.first(where: { "/\\?#%\"<>".unicodeScalars.contains($0) || $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) {
            return bad.properties.isWhitespace ? "it contains a space" : "it contains '\(bad.escaped(asASCII: true))'"
        }
        return nil
    }

    /// Top-level names a plain page may not take.
    static let reserved: Set<String> = [
        "shop", "products", "bundles", "plans", "free", "cart", "thank-you", "account", "search", "assets", "api",
        "downloads", "webhooks", "checkout", "feed.xml", "sitemap.xml", "robots.txt", "404.html",
    ]

    /// The file a URL path is written to: `/x/` → `x/index.html`, `/%C3%BCber-uns/` → `über-uns/index.html`.
    static func file(for path: String) -> String {
        let decoded = path.utf8.contains(UInt8(ascii: "%")) ? (path.removingPercentEncoding ?? path) : path
        let trimmed = decoded.hasPrefix("/") ? String(decoded.dropFirst()) : decoded
        if trimmed.isEmpty { return "index.html" }
        return trimmed.hasSuffix("/") ? trimmed + "index.html" : trimmed
    }
}
