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
        // Until an input changes the build would fail the same way: it is not run again.
        #expect(try session.rebuild() == .unchanged)
        try site.edit("content/products/noahs-ark-coloring-pages.md", replacing: "See [x](/nowhere/).", with: "Fixed.")
        try session.rebuild()
        #expect(site.read("products/noahs-ark-coloring-pages/index.html").contains("Fixed."))
    }

    @Test func theSessionLearnsOfEditsFromTheFileSystemAndIgnoresItsOutput() throws {
        let site = try ExampleSite()
        let session = SiteSession(siteFolder: site.folder)
        guard case .full = try session.rebuild() else { throw TestSetupError("the first build is full") }
        #expect(session.isWatching)
        try site.edit("content/products/noahs-ark-coloring-pages.md", replacing: "Few Bible stories", with: "Fewer Bible stories")
        guard case let .pages(count, _) = try session.rebuild() else { throw TestSetupError("expected a partial rebuild") }
        #expect(count == 1)
        #expect(site.read("products/noahs-ark-coloring-pages/index.html").contains("Fewer Bible stories"))
        // The output and the cache sit in the site folder; writing there is not an edit.
        try "changed by hand".write(toFile: site.out + "/robots.txt", atomically: true, encoding: .utf8)
        try site.write(".sitegen-cache/scratch", "x")
        try site.write("notes.txt", "not an input")
        #expect(try session.rebuild() == .unchanged)
    }

    @Test func aFolderMadeWhileWatchingIsWatchedToo() throws {
        let site = try ExampleSite()
        let session = SiteSession(siteFolder: site.folder)
        try session.rebuild()
        try site.write("static/extra/hello.txt", "one")
        #expect(try session.rebuild() != .unchanged)
        #expect(site.read("extra/hello.txt") == "one")
        try site.write("static/extra/hello.txt", "two")
        #expect(try session.rebuild() != .unchanged)
        #expect(site.read("extra/hello.txt") == "two")
        // A whole input folder replaced, as a checkout of another branch does.
        try FileManager.default.removeItem(atPath: site.folder + "/static")
        try site.write("static/extra/hello.txt", "three")
        #expect(try session.rebuild() != .unchanged)
        #expect(site.read("extra/hello.txt") == "three")
    }

    @Test func withoutEventsTheSessionLooksAtEveryInput() throws {
        let site = try ExampleSite()
        // `sitegen serve --poll`.
        let polling = SiteSession(siteFolder: site.folder, watches: false)
        try polling.rebuild()
        #expect(!polling.isWatching)
        try site.edit("content/products/noahs-ark-coloring-pages.md", replacing: "Few Bible stories", with: "Polled Bible stories")
        guard case .pages = try polling.rebuild() else { throw TestSetupError("expected a partial rebuild") }
        #expect(site.read("products/noahs-ark-coloring-pages/index.html").contains("Polled Bible stories"))

        // A symbolic link among the inputs: an edit of its target elsewhere sends no event, so the session polls.
        let elsewhere = FileManager.default.temporaryDirectory.appendingPathComponent("linked-\(UUID().uuidString).txt").path
        try "first".write(toFile: elsewhere, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: site.folder + "/static", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: site.folder + "/static/linked.txt", withDestinationPath: elsewhere)
        let linked = SiteSession(siteFolder: site.folder, outFolder: site.folder + "/public-linked")
        try linked.rebuild()
        #expect(!linked.isWatching)
        try "second".write(toFile: elsewhere, atomically: false, encoding: .utf8)
        #expect(try linked.rebuild() != .unchanged)
        #expect(site.read("linked.txt", in: site.folder + "/public-linked") == "second")
    }
}
