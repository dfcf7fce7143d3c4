import Foundation
import ShopCore

/// A site's settings, read from `site.yaml` in the site folder (every key optional).
public struct SiteConfig: Sendable, Hashable {
    public var title = "Shop"
    public var tagline = ""
    public var description = ""
    /// The public origin pages are served from, used for canonical URLs, feeds and the sitemap; no trailing slash.
    public var baseURL = "http://localhost:8080"
    public var language = "en"
    /// Where shoppers' carts and forms go; empty when the checkout serves the site from the same origin.
    public var checkoutURL = ""
    public var productsPerPage = 24
    /// Let raw HTML in Markdown through (still tag-filtered); off by default.
    public var allowRawHTML = false
    /// Catalog text relative to the site folder; used when the file exists.
    public var catalogText = "catalog.txt"
    public var catalogDatabase = "catalog.sqlite"
    /// Folder of the files the shop sells, relative to the site folder.
    public var filesFolder = "files"
    public var organizationName = ""
    public var organizationEmail = ""
    public var organizationLogo = ""
    public var sameAs: [String] = []
    public var twitter = ""
    public var copyright = ""
    /// The shop's time zone (IANA name, `timezone:`): sale times in the catalog and coupon dates are
    /// read in it. UTC when unset.
    public var timeZone = TimeZone.gmt

    public init() {}

    /// `instant` (seconds since 1970) as the shop sees it.
    public func time(_ instant: Int) -> ShopTime { ShopTime(instant: instant, timeZone: timeZone) }

    /// The keys `site.yaml` accepts.
    public static let keys = [
        "title", "tagline", "description", "base_url", "language", "checkout_url", "products_per_page", "markdown",
        "catalog", "files", "organization", "twitter", "copyright", "timezone",
    ]

    /// Reads `site.yaml` from `siteFolder`; a site without one gets the defaults.
    public static func load(siteFolder: String) throws(BuildError) -> SiteConfig {
        let path = siteFolder + "/site.yaml"
        guard let data = FileManager.default.contents(atPath: path) else { return SiteConfig() }
        guard let text = TextInput.normalized(data) else {
            throw BuildError(file: "site.yaml", message: "not UTF-8 text")
        }
        return try parse(text, file: "site.yaml")
    }

    public static func parse(_ text: String, file: String) throws(BuildError) -> SiteConfig {
        let fields = try YAMLFields(yaml: text, file: file)
        try fields.rejectUnknown(keys)
        var config = SiteConfig()
        config.title = try fields.string("title", default: config.title)
        config.tagline = try fields.string("tagline", default: "")
        config.description = try fields.string("description", default: "")
        let base = try fields.string("base_url", default: config.baseURL)
        guard let url = URL(string: base), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw fields.error("base_url", "'\(base)' is not an http(s) URL", hint: "e.g. https://shop.example.com")
        }
        config.baseURL = base.hasSuffix("/") ? String(base.dropLast()) : base
        config.language = try fields.string("language", default: "en")
        let checkout = try fields.string("checkout_url", default: "")
        config.checkoutURL = checkout.hasSuffix("/") ? String(checkout.dropLast()) : checkout
        config.productsPerPage = try fields.int("products_per_page", default: 24, range: 1...1000)
        if let markdown = try fields.mapping("markdown") {
            try markdown.rejectUnknown(["raw_html"])
            config.allowRawHTML = try markdown.bool("raw_html", default: false)
        }
        if let catalog = try fields.mapping("catalog") {
            try catalog.rejectUnknown(["text", "database"])
            config.catalogText = try Self.relativePath(catalog, "text", default: config.catalogText)
            config.catalogDatabase = try Self.relativePath(catalog, "database", default: config.catalogDatabase)
        }
        config.filesFolder = try Self.relativePath(fields, "files", default: config.filesFolder)
        if let organization = try fields.mapping("organization") {
            try organization.rejectUnknown(["name", "email", "logo", "same_as"])
            config.organizationName = try organization.string("name", default: "")
            config.organizationEmail = try organization.string("email", default: "")
            config.organizationLogo = try organization.string("logo", default: "")
            config.sameAs = try organization.strings("same_as")
        }
        config.twitter = try fields.string("twitter", default: "")
        config.copyright = try fields.string("copyright", default: "")
        let zone = try fields.string("timezone", default: "")
        if !zone.isEmpty {
            guard let timeZone = TimeZone(identifier: zone) else {
                throw fields.error("timezone", "'\(zone)' is not a time zone", hint: "an IANA name such as Europe/Berlin or America/New_York")
            }
            config.timeZone = timeZone
        }
        return config
    }

    /// The absolute URL of a site path such as `/products/x/`.
    public func absoluteURL(_ path: String) -> String {
        if path.hasPrefix("http://") || path.hasPrefix("https://") { return path }
        return baseURL + (path.hasPrefix("/") ? path : "/" + path)
    }

    /// The catalog source this site reads.
    /// A path in site.yaml: relative to the site folder (the build, the checkout and the watcher all
    /// read it from there; `/srv/files` used to be looked for at `SITE//srv/files`, found missing, and
    /// the check that every file the catalog names exists was skipped without a word).
    private static func relativePath(_ fields: YAMLFields, _ key: String, default value: String) throws(BuildError) -> String {
        let path = try fields.string(key, default: value)
        guard !path.hasPrefix("/"), !path.hasPrefix("~") else {
            throw fields.error(key, "'\(path)' is not relative to the site folder", hint: "write it from the site folder, e.g. `../\((path as NSString).lastPathComponent)` for a folder beside it")
        }
        return path
    }

    public func catalogSource(siteFolder: String) -> CatalogSourcePaths {
        CatalogSourcePaths(
            text: siteFolder + "/" + catalogText, database: siteFolder + "/" + catalogDatabase)
    }
}

/// The catalog text and database of a site, as absolute-or-site-relative paths.
public struct CatalogSourcePaths: Sendable {
    public let text: String
    public let database: String
}
