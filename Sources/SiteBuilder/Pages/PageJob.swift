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
        case let .page(slug): return "/\(slug)/"
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
enum SitePaths {
    static func niche(_ slug: String, page: Int = 1) -> String {
        page <= 1 ? "/shop/\(slug)/" : "/shop/\(slug)/page/\(page)/"
    }
    static func product(_ slug: String) -> String { "/products/\(slug)/" }
    static func bundle(_ slug: String) -> String { "/bundles/\(slug)/" }
    static func magnet(_ slug: String) -> String { "/free/\(slug)/" }

    /// Top-level names a plain page may not take.
    static let reserved: Set<String> = [
        "shop", "products", "bundles", "plans", "free", "cart", "thank-you", "account", "search", "assets", "api",
        "downloads", "webhooks", "checkout", "feed.xml", "sitemap.xml", "robots.txt", "404.html",
    ]

    /// The file a URL path is written to: `/x/` → `x/index.html`.
    static func file(for path: String) -> String {
        let trimmed = path.hasPrefix("/") ? String(path.dropFirst()) : path
        if trimmed.isEmpty { return "index.html" }
        return trimmed.hasSuffix("/") ? trimmed + "index.html" : trimmed
    }
}
