import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ShopCore
import SiteBuilder
import Testing

@Suite struct StructuredDataTests {
    let site: ExampleSite
    let index: CatalogIndex

    init() throws {
        site = try ExampleSite()
        try site.build()
        index = CatalogIndex(try CatalogText.parse(try site.source("catalog.txt"), file: "catalog.txt").0)
    }

    @Test func everyProductPageCarriesProductAndOfferValuesFromTheCatalog() throws {
        for product in index.catalog.products where product.status == .active {
            let html = site.read("products/\(product.slug)/index.html")
            let data = try #require(jsonLD("Product", in: html), "no Product JSON-LD for \(product.sku)")
            #expect(data["sku"] as? String == product.sku)
            #expect(data["name"] as? String == product.title)
            #expect(data["url"] as? String == "https://mustardseed.example/products/\(product.slug)/")
            #expect((data["image"] as? [String])?.first?.hasPrefix("https://mustardseed.example/assets/images/") == true)
            let offers = try #require(data["offers"] as? [String: Any])
            let variants = index.variants(of: product)
            // What the checkout charges for one unit now (the site was built moments ago).
            let now = ShopTime(instant: Int(Date().timeIntervalSince1970))
            let unit = { (variant: Variant?) in index.unitPrice(of: product, variant: variant, at: now) }
            if variants.count > 1 {
                #expect(offers["@type"] as? String == "AggregateOffer")
                let units = variants.map { unit($0).unit }
                #expect(offers["lowPrice"] as? String == units.min()?.decimalString)
                #expect(offers["highPrice"] as? String == units.max()?.decimalString)
                let each = try #require(offers["offers"] as? [[String: Any]])
                #expect(each.compactMap { $0["sku"] as? String } == variants.map(\.sku))
                #expect(each.compactMap { $0["price"] as? String } == units.map(\.decimalString))
            } else if let rule = product.payWhatYouWant {
                #expect(offers["price"] as? String == rule.minimum.decimalString, "the least a shopper may pay")
                let specification = try #require(offers["priceSpecification"] as? [String: Any])
                #expect(specification["minPrice"] as? String == rule.minimum.decimalString)
                #expect(specification["price"] as? String == product.price.decimalString, "the suggested price")
            } else {
                #expect(offers["@type"] as? String == "Offer")
                #expect(offers["price"] as? String == unit(variants.first).unit.decimalString)
            }
            #expect(offers["priceCurrency"] as? String == "USD")
            // Limited stock as the catalog says at build time (the live level is the script's).
            let availability = StockRules.isSoldOut(product, index: index) ? "SoldOut" : product.stock != nil ? "LimitedAvailability" : "InStock"
            #expect(offers["availability"] as? String == "https://schema.org/" + availability, "\(product.sku)")
            #expect(jsonLD("BreadcrumbList", in: html) != nil)
        }
    }

    @Test func theSkuInJSONLDIsTheOneTheAddToCartFormPosts() throws {
        for product in index.catalog.products where index.variants(of: product).isEmpty && product.status == .active {
            let html = site.read("products/\(product.slug)/index.html")
            // A product sold out in the catalog has no form, and says so.
            let soldOut = StockRules.isSoldOut(product, index: index)
            #expect(html.contains("name=\"sku\" value=\"\(product.sku)\"") == !soldOut, "\(product.sku)")
            #expect(html.contains("<p class=\"notice\">Sold out.") == soldOut)
            #expect(jsonLD("Product", in: html)?["sku"] as? String == product.sku)
        }
        #expect(index.catalog.products.contains { StockRules.isSoldOut($0, index: index) }, "the example has a sold-out product")
    }

    @Test func bundlePagesOfferTheBundlePriceAndListTheirContents() throws {
        for bundle in index.catalog.bundles {
            let html = site.read("bundles/\(bundle.slug)/index.html")
            let pricing = index.pricing(of: bundle)
            let product = try #require(jsonLD("Product", in: html))
            #expect(product["sku"] as? String == bundle.sku)
            #expect((product["offers"] as? [String: Any])?["price"] as? String == pricing.price.decimalString)
            let list = try #require(jsonLD("ItemList", in: html))
            #expect(list["numberOfItems"] as? Int == pricing.products.count)
        }
    }

    @Test func theHomePageDescribesTheOrganizationAndWebsite() {
        let html = site.read("index.html")
        #expect(jsonLD("Organization", in: html)?["name"] as? String == "Mustard Seed Printables")
        #expect(jsonLD("WebSite", in: html)?["url"] as? String == "https://mustardseed.example/")
    }

    @Test func nichePagesListTheirProducts() {
        let products = index.productsByNiche["kids-bible"] ?? []
        let list = jsonLD("ItemList", in: site.read("shop/kids-bible/index.html"))
        let items = list?["itemListElement"] as? [[String: Any]] ?? []
        #expect(items.compactMap { $0["url"] as? String } == products.map { "https://mustardseed.example/products/\($0.slug)/" })
    }

    @Test func thePlansPageListsPlansWithMonthlyPrices() {
        let list = jsonLD("ItemList", in: site.read("plans/index.html"))
        let items = list?["itemListElement"] as? [[String: Any]] ?? []
        let offers = items.compactMap { ($0["item"] as? [String: Any])?["offers"] as? [String: Any] }
        #expect(offers.compactMap { $0["price"] as? String } == index.catalog.plans.map(\.price.decimalString))
    }

    @Test func theSitemapListsEveryPublicPageAndNothingElse() throws {
        let sitemap = site.read("sitemap.xml")
        let locations = Set(sitemap.components(separatedBy: "<loc>").dropFirst().compactMap { $0.components(separatedBy: "</loc>").first })
        let pages = site.outputFiles().filter { $0.hasSuffix("index.html") }
        let privatePages: Set<String> = ["cart/index.html", "thank-you/index.html", "account/index.html", "search/index.html"]
        for page in pages where !privatePages.contains(page) {
            let url = "https://mustardseed.example/" + page.dropLast("index.html".count)
            #expect(locations.contains(url), "sitemap misses \(url)")
        }
        #expect(locations.count == pages.count - privatePages.count)
        #expect(site.read("robots.txt").contains("Sitemap: https://mustardseed.example/sitemap.xml"))
        #expect(site.read("cart/index.html").contains("<meta name=\"robots\" content=\"noindex\">"))
    }

    @Test func theFeedAndSearchIndexAreValidAndComplete() throws {
        let feed = site.read("feed.xml")
        let parser = XMLParser(data: Data(feed.utf8))
        #expect(parser.parse(), "feed.xml is not well-formed XML")
        #expect(feed.components(separatedBy: "<entry>").count - 1 == min(50, index.catalog.products.count))
        let data = Data(site.read("search-index.json").utf8)
        let entries = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        let skus = Set(entries.compactMap { $0["sku"] as? String })
        for product in index.catalog.products where product.status == .active { #expect(skus.contains(product.sku)) }
    }
}
