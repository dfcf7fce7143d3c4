import Foundation
import ShopCore
import SiteBuilder
import Testing

@Suite struct PageKindTests {
    @Test func everyPageKindOfTheExampleShopIsBuilt() throws {
        let site = try ExampleSite()
        let summary = try site.build()
        #expect(summary.pages >= 75)
        for path in [
            "index.html", "shop/index.html", "shop/kids-bible/index.html", "products/noahs-ark-coloring-pages/index.html",
            "bundles/index.html", "bundles/homeschool-planners/index.html", "plans/index.html", "free/index.html",
            "free/scripture-memory-cards/index.html", "about/index.html", "cart/index.html", "thank-you/index.html",
            "account/index.html", "search/index.html", "404.html", "sitemap.xml", "robots.txt", "feed.xml",
            "search-index.json", "_headers",
        ] {
            #expect(site.exists(path), "missing \(path)")
        }
    }

    @Test func aProductPageShowsVariantsPriceAndAnAddToCartForm() throws {
        let site = try ExampleSite()
        try site.build()
        let html = site.read("products/noahs-ark-coloring-pages/index.html")
        #expect(html.contains("<h1>Noah&#39;s Ark Coloring Pages</h1>"))
        #expect(html.contains("action=\"/cart/add\""))
        #expect(html.contains("name=\"sku\" value=\"KB-NOAH-COLORING-LTR\" checked"))
        #expect(html.contains("value=\"KB-NOAH-COLORING-A4\""))
        #expect(html.contains("$4.99"))
        #expect(html.contains("<table>"), "the GFM table of the product copy")
        #expect(html.contains("rel=\"canonical\" href=\"https://mustardseed.example/products/noahs-ark-coloring-pages/\""))
        #expect(html.contains("property=\"og:type\" content=\"product\""))
        #expect(html.contains("name=\"twitter:card\" content=\"summary_large_image\""))
    }

    @Test func theFormsPostToTheConfiguredCheckout() throws {
        let site = try ExampleSite()
        try site.edit("site.yaml", replacing: "checkout_url: \"\"", with: "checkout_url: https://pay.mustardseed.example")
        try site.build()
        #expect(site.read("products/noahs-ark-coloring-pages/index.html").contains("action=\"https://pay.mustardseed.example/cart/add\""))
        #expect(site.read("free/scripture-memory-cards/index.html").contains("action=\"https://pay.mustardseed.example/api/leads\""))
    }

    @Test func aBundlePageListsItsContentsTotalAndSaving() throws {
        let site = try ExampleSite()
        try site.build()
        let catalog = try CatalogText.parse(try site.source("catalog.txt"), file: "catalog.txt").0
        let index = CatalogIndex(catalog)
        let bundle = index.bundlesBySlug["homeschool-planners"]!
        let pricing = index.pricing(of: bundle)
        let html = site.read("bundles/homeschool-planners/index.html")
        for product in pricing.products {
            #expect(html.contains("href=\"/products/\(product.slug)/\""))
        }
        #expect(html.contains(pricing.total.formatted))
        #expect(html.contains(pricing.price.formatted))
        #expect(html.contains("You save \(pricing.saving.formatted)"))
        #expect(html.contains("value=\"\(bundle.sku)\""))
    }

    @Test func nichePagesArePaginated() throws {
        let site = try ExampleSite()
        try site.edit("site.yaml", replacing: "products_per_page: 24", with: "products_per_page: 3")
        try site.build()
        #expect(site.exists("shop/kids-bible/page/2/index.html"))
        #expect(site.exists("shop/kids-bible/page/3/index.html"))
        #expect(!site.exists("shop/kids-bible/page/4/index.html"))
        let first = site.read("shop/kids-bible/index.html")
        #expect(first.contains("rel=\"next\" href=\"/shop/kids-bible/page/2/\""))
        #expect(first.components(separatedBy: "class=\"card\"").count - 1 == 3)
        let last = site.read("shop/kids-bible/page/3/index.html")
        #expect(last.contains("rel=\"prev\" href=\"/shop/kids-bible/page/2/\""))
        #expect(!last.contains("rel=\"next\""))
    }

    @Test func thePlansPageOffersEveryPlan() throws {
        let site = try ExampleSite()
        try site.build()
        let html = site.read("plans/index.html")
        for (slug, price) in [("kids-bible-club", "$7.99"), ("all-access", "$19.99")] {
            #expect(html.contains("id=\"plan-\(slug)\""))
            #expect(html.contains(price))
        }
        #expect(html.contains("action=\"/plans/all-access/checkout\""))
    }

    @Test func aLeadMagnetPageHasAnEmailForm() throws {
        let site = try ExampleSite()
        try site.build()
        let html = site.read("free/scripture-memory-cards/index.html")
        #expect(html.contains("action=\"/api/leads\""))
        #expect(html.contains("name=\"magnet\" value=\"scripture-memory-cards\""))
        #expect(html.contains("type=\"email\" name=\"email\" required"))
    }

    @Test func productCardsCanBeEmbeddedInAnyPage() throws {
        let site = try ExampleSite()
        try site.write("content/pages/gifts.md", "---\ntitle: Gift ideas\n---\nOur pick:\n\n{{< product \"KB-NOAH-COLORING\" >}}\n\nAnd a bundle:\n{{< bundle \"homeschool-planners\" >}}\n")
        try site.build()
        let html = site.read("gifts/index.html")
        #expect(html.contains("<article class=\"card\">"))
        #expect(html.contains("href=\"/products/noahs-ark-coloring-pages/\""))
        #expect(html.contains("href=\"/bundles/homeschool-planners/\""))
        #expect(!html.contains("SITEGENEMBED"))
    }

    @Test func assetsAreFingerprintedAndReferencesRewritten() throws {
        let site = try ExampleSite()
        try site.build()
        let css = site.outputFiles().filter { $0.hasPrefix("assets/style.") && $0.hasSuffix(".css") }
        #expect(css.count == 1)
        let html = site.read("index.html")
        #expect(html.contains("href=\"/\(css[0])\""))
        #expect(!html.contains("\"/assets/style.css\""))
        #expect(html.components(separatedBy: "<script src").count == 2, "only the storefront script, no framework")
        #expect(site.read("_headers").contains("/assets/*\n  Cache-Control: public, max-age=31536000, immutable"))
    }

    @Test func draftCopyIsLeftOutAndArchivedProductsSayTheyAreNotForSale() throws {
        let site = try ExampleSite()
        try site.write("content/pages/secret.md", "---\ntitle: Secret\ndraft: true\n---\nNot yet.\n")
        try site.edit("catalog.txt", replacing: "  slug: noahs-ark-coloring-pages\n", with: "  slug: noahs-ark-coloring-pages\n  status: archived\n")
        try site.build()
        #expect(!site.exists("secret/index.html"))
        let html = site.read("products/noahs-ark-coloring-pages/index.html")
        #expect(html.contains("no longer for sale"))
        #expect(!html.contains("action=\"/cart/add\""))
        #expect(!site.read("shop/kids-bible/index.html").contains("noahs-ark-coloring-pages"))
    }
}
