import ShopCore
import SiteCore

/// The non-HTML files a shop publishes: sitemap, robots.txt, Atom feed, search index and CDN headers.
enum SiteFiles {
    /// Every public page's canonical URL, in page order; product pages carry their release date.
    static func sitemap(pages: [(path: String, lastModified: String)], config: SiteConfig) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for page in pages {
            xml += "  <url><loc>\(escapeXML(config.absoluteURL(page.path)))</loc>"
            if !page.lastModified.isEmpty { xml += "<lastmod>\(page.lastModified)</lastmod>" }
            xml += "</url>\n"
        }
        return xml + "</urlset>\n"
    }

    static func robots(config: SiteConfig) -> String {
        """
        User-agent: *
        Disallow: /cart/
        Disallow: /thank-you/
        Disallow: /account/
        Disallow: /search/

        Sitemap: \(config.absoluteURL("/sitemap.xml"))

        """
    }

    /// The 50 newest products; `updated` is the newest release date, so the feed is stable between builds.
    static func atomFeed(index: CatalogIndex, config: SiteConfig, images: [String: String], prices: PriceDisplay) -> String {
        let products = index.catalog.products.filter { $0.status == .active }
            .sorted { ($0.released, $0.sku) > ($1.released, $1.sku) }.prefix(50)
        let updated = atomDate(products.first?.released ?? "")
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
              <title>\(escapeXML(config.title)): new printables</title>
              <id>\(escapeXML(config.absoluteURL("/")))</id>
              <link href="\(escapeXML(config.absoluteURL("/")))"/>
              <link rel="self" href="\(escapeXML(config.absoluteURL("/feed.xml")))"/>
              <updated>\(updated)</updated>
              <author><name>\(escapeXML(config.organizationName.isEmpty ? config.title : config.organizationName))</name></author>

            """
        for product in products {
            let url = config.absoluteURL(SitePaths.product(product.slug))
            let price = prices.label(product)
            let image = config.absoluteURL(images["product:" + product.sku] ?? "")
            let summary = "<p><img src=\"\(escapeXML(image))\" alt=\"\"></p><p>\(escapeXML(product.summary))</p><p>\(escapeXML(price))</p>"
            xml += """
                  <entry>
                    <title>\(escapeXML(product.title))</title>
                    <id>\(escapeXML(url))</id>
                    <link href="\(escapeXML(url))"/>
                    <updated>\(atomDate(product.released.isEmpty ? products.first?.released ?? "" : product.released))</updated>
                    <category term="\(escapeXML(product.niche))"/>
                    <summary type="html">\(escapeXML(summary))</summary>
                  </entry>

                """
        }
        return xml + "</feed>\n"
    }

    /// A compact JSON array for client-side search: products, bundles, free printables and pages.
    static func searchIndex(model: SiteModel) -> String {
        var entries: [JSONValue] = []
        let index = model.index
        for product in index.catalog.products where product.status == .active {
            entries.append(.object([
                ("type", "product"), ("title", .string(product.title)), ("url", .string(SitePaths.product(product.slug))),
                ("sku", .string(product.sku)), ("niche", .string(index.nichesBySlug[product.niche]?.title ?? "")),
                ("price", .string(model.prices.label(product))), ("summary", .string(product.summary)),
                ("tags", .array(product.tags.map { .string($0) })), ("image", .string(model.images["product:" + product.sku] ?? "")),
            ]))
        }
        for bundle in index.catalog.bundles {
            entries.append(.object([
                ("type", "bundle"), ("title", .string(bundle.title)), ("url", .string(SitePaths.bundle(bundle.slug))),
                ("sku", .string(bundle.sku)), ("price", .string(model.bundlePricing[bundle.slug]?.price.formatted ?? "")),
                ("summary", .string(bundle.summary)),
            ]))
        }
        for magnet in index.catalog.leadMagnets {
            entries.append(.object([
                ("type", "free"), ("title", .string(magnet.title)), ("url", .string(SitePaths.magnet(magnet.slug))),
                ("summary", .string(magnet.summary)),
            ]))
        }
        for page in model.content.pages {
            entries.append(.object([
                ("type", "page"), ("title", .string(page.title ?? page.key)), ("url", .string(SitePaths.page(page.key))),
                ("summary", .string(page.description ?? "")),
            ]))
        }
        return JSONValue.array(entries).text + "\n"
    }

    /// Netlify / Cloudflare Pages `_headers`: fingerprinted assets cache for a year, everything else revalidates.
    /// The files a build writes besides pages and assets.
    static let generatedNames = ["robots.txt", "feed.xml", "search-index.json", "_headers", "sitemap.xml"]

    static func headers() -> String {
        """
        /*
          X-Content-Type-Options: nosniff
          Referrer-Policy: strict-origin-when-cross-origin
          X-Frame-Options: DENY
          Cache-Control: public, max-age=0, must-revalidate

        /assets/*
          Cache-Control: public, max-age=31536000, immutable

        /search-index.json
          Cache-Control: public, max-age=300

        """
    }

    static func atomDate(_ day: String) -> String {
        (ISODate.isValid(day) ? day : "2000-01-01") + "T00:00:00Z"
    }

    static func escapeXML(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }
}
