import Foundation
import SiteBuilder
import Testing
import SiteCore

@Suite struct SiteSessionTests {
    @Test func aCopyEditRerendersOnlyItsPage() throws {
        let site = try ExampleSite()
        let session = SiteSession(siteFolder: site.folder)
        guard case .full = try session.rebuild() else { throw TestSetupError("the first build is full") }
        #expect(try session.rebuild() == .unchanged)
        let other = try FileManager.default.attributesOfItem(atPath: site.out + "/products/easter-activity-pack/index.html")[.systemFileNumber] as? Int
        try site.edit("content/products/noahs-ark-coloring-pages.md", replacing: "Few Bible stories", with: "Fewer Bible stories")
        guard case let .pages(count, _) = try session.rebuild() else { throw TestSetupError("expected a partial rebuild") }
        #expect(count == 1)
        #expect(site.read("products/noahs-ark-coloring-pages/index.html").contains("Fewer Bible stories"))
        #expect(try FileManager.default.attributesOfItem(atPath: site.out + "/products/easter-activity-pack/index.html")[.systemFileNumber] as? Int == other)
    }

    @Test func aCatalogEditRendersThePagesShowingItAndANewPageRendersAll() throws {
        let site = try ExampleSite()
        let session = SiteSession(siteFolder: site.folder)
        try session.rebuild()
        try site.edit("catalog.txt", replacing: "title: Noah's Ark Coloring Pages", with: "title: Noah's Ark Colouring Pages")
        // The product's title shows on its page, its niche's listing, the shop, related products and bundles, not everywhere.
        guard case let .pages(count, _) = try session.rebuild() else { throw TestSetupError("a catalog change renders the pages showing it") }
        #expect(count > 3 && count < 40)
        #expect(site.read("shop/kids-bible/index.html").contains("Noah&#39;s Ark Colouring Pages"))
        #expect(site.read("products/noahs-ark-coloring-pages/index.html").contains("Noah&#39;s Ark Colouring Pages"))
        try site.write("content/pages/new.md", "---\ntitle: New\n---\nHello\n")
        guard case .full = try session.rebuild() else { throw TestSetupError("a new page rebuilds everything") }
        #expect(site.exists("new/index.html"))
    }

    @Test func aFailedRebuildIsReportedAndTheNextFixedOneRecovers() throws {
        let site = try ExampleSite()
        let session = SiteSession(siteFolder: site.folder)
        try session.rebuild()
        try site.edit("content/products/noahs-ark-coloring-pages.md", replacing: "Few Bible stories", with: "See [x](/nowhere/).")
        #expect(throws: BuildError.self) { try session.rebuild() }
        #expect(site.read("products/noahs-ark-coloring-pages/index.html").contains("Few Bible stories"), "the output is left as it was")
        try site.edit("content/products/noahs-ark-coloring-pages.md", replacing: "See [x](/nowhere/).", with: "Fixed.")
        try session.rebuild()
        #expect(site.read("products/noahs-ark-coloring-pages/index.html").contains("Fixed."))
    }
}
