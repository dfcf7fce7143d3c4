import Foundation
import SiteBuilder
import SiteCore
import Testing

/// What the built pages show of sales, tiers and named prices, and the next price change the build
/// reports so CI can schedule a rebuild.
@Suite struct PriceRulesSiteTests {
    static func instant(_ iso: String) -> Int { Int(ISO8601DateFormatter().date(from: iso)!.timeIntervalSince1970) }

    /// The example shop in New York time, with Noah's Ark on sale for a week in March 2027.
    static func scheduledSite() throws -> ExampleSite {
        let site = try ExampleSite()
        try site.edit("site.yaml", replacing: "language: en", with: "language: en\ntimezone: America/New_York")
        try site.edit(
            "catalog.txt",
            replacing: "  summary: Twelve hand-drawn coloring pages that tell the story of Noah",
            with: "  sale-price: 3.99 USD\n  sale-starts: 2027-03-01 09:00\n  sale-ends: 2027-03-08\n  summary: Twelve hand-drawn coloring pages that tell the story of Noah")
        return site
    }

    func build(_ site: ExampleSite, at iso: String) throws -> SiteBuild.Summary {
        try SiteBuild(siteFolder: site.folder, outFolder: site.out, now: Self.instant(iso)).run()
    }

    func schedule(_ site: ExampleSite) throws -> [String: Any] {
        let data = try #require(FileManager.default.contents(atPath: site.out + ".next-change.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func aScheduledSaleAppearsOnTheBuildAfterItStartsAndTheBuildSaysWhen() throws {
        let site = try Self.scheduledSite()
        let page = "products/noahs-ark-coloring-pages/index.html"

        let regular = "<p class=\"price\" data-price>$4.99</p>"
        let before = try build(site, at: "2027-02-01T12:00:00Z")
        #expect(site.read(page).contains(regular))
        #expect((jsonLD("Product", in: site.read(page))?["offers"] as? [String: Any])?["lowPrice"] as? String == "4.99")
        #expect(try schedule(site)["unix"] as? Int == Self.instant("2027-03-01T14:00:00Z"), "09:00 in New York")
        #expect(try schedule(site)["next_change"] as? String == "2027-03-01T09:00:00-05:00")
        #expect(before.description.contains("prices change at 2027-03-01T09:00:00-05:00 (the sale of KB-NOAH-COLORING starts)"))

        let unchanged = try build(site, at: "2027-02-02T12:00:00Z")
        #expect(unchanged.upToDate, "nothing changed and the change is still ahead")

        let during = try build(site, at: "2027-03-01T14:00:00Z")
        #expect(!during.upToDate, "the scheduled change has come: the pages are out of date")
        let html = site.read(page)
        #expect(html.contains("<del class=\"regular-price\">$4.99</del> <span class=\"sale-price\">$3.99</span>"))
        #expect(html.contains("Sale price until 8 March 2027"))
        let offers = try #require(jsonLD("Product", in: html)?["offers"] as? [String: Any])
        let each = try #require(offers["offers"] as? [[String: Any]])
        #expect(each.allSatisfy { $0["price"] as? String == "3.99" && $0["priceValidUntil"] as? String == "2027-03-08" }, "\(each)")
        #expect(
            cardPrice("Noah&#39;s Ark Coloring Pages", in: site.read("shop/kids-bible/index.html"))
                == "<del class=\"regular-price\">$4.99</del> <span class=\"sale-price\">$3.99</span>", "cards show the sale too")
        #expect(try schedule(site)["unix"] as? Int == Self.instant("2027-03-09T05:00:00Z"), "the end of 8 March in New York")
        #expect(try schedule(site)["event"] as? String == "ends")

        _ = try build(site, at: "2027-03-09T05:00:00Z")
        #expect(site.read(page).contains(regular))
        #expect(try schedule(site)["next_change"] is NSNull)
    }

    /// The price paragraph of the card titled `title`.
    func cardPrice(_ title: String, in html: String) -> String? {
        guard let card = html.range(of: "<h3 class=\"card-title\">\(title)</h3>"),
              let open = html.range(of: "<p class=\"card-price\">", range: card.upperBound..<html.endIndex),
              let close = html.range(of: "</p>", range: open.upperBound..<html.endIndex)
        else { return nil }
        return String(html[open.upperBound..<close.lowerBound])
    }

    @Test func theExampleShowsATierTableANamedPriceFormASaleAndLimitedStock() throws {
        let site = try ExampleSite()
        try site.build()
        let licence = site.read("products/co-op-bible-curriculum-classroom-licence/index.html")
        for row in ["<td>1–4</td><td>$19.00</td>", "<td>5–19</td><td>$15.00</td>", "<td>20+</td><td>$12.00</td>"] {
            #expect(licence.contains(row), "\(row)")
        }
        let offer = try #require(jsonLD("Product", in: licence)?["offers"] as? [String: Any])
        let steps = try #require(offer["priceSpecification"] as? [[String: Any]])
        #expect(steps.compactMap { $0["price"] as? String } == ["19.00", "15.00", "12.00"])
        #expect(steps.compactMap { ($0["eligibleQuantity"] as? [String: Any])?["minValue"] as? Int } == [1, 5, 20])

        let journal = site.read("products/thirty-days-of-gratitude/index.html")
        #expect(journal.contains("name=\"amount\" value=\"5.00\" min=\"2.00\" step=\"0.01\""))
        #expect(journal.contains("Minimum $2.00, suggested $5.00"))
        #expect(journal.contains("<p class=\"price\" data-price>Pay what you want</p>"))

        let workshop = site.read("products/live-homeschool-planning-workshop/index.html")
        #expect(workshop.contains("<p class=\"stock\" data-stock-sku=\"HS-PLANNING-WORKSHOP\">Limited to 12</p>"), "the script fills in what is left")
        #expect((jsonLD("Product", in: workshop)?["offers"] as? [String: Any])?["availability"] as? String == "https://schema.org/LimitedAvailability")
        let founders = site.read("products/founders-edition-psalm-23-print/index.html")
        #expect((jsonLD("Product", in: founders)?["offers"] as? [String: Any])?["availability"] as? String == "https://schema.org/SoldOut")
        #expect(!founders.contains("data-add-to-cart"))

        let easter = site.read("products/easter-story-coloring-book/index.html")
        #expect(easter.contains("<del class=\"regular-price\">$4.99</del> <span class=\"sale-price\">$3.49</span>"))
    }

    @Test func anUnknownTimeZoneIsNamedWithItsLine() throws {
        let site = try ExampleSite()
        try site.edit("site.yaml", replacing: "language: en", with: "language: en\ntimezone: Mars/Olympus")
        let error = try #require(site.buildError())
        #expect(error.names("site.yaml", line: 6, "'Mars/Olympus' is not a time zone"), "\(error)")
    }
}
