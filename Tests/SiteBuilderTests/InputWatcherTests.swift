import Foundation
import SiteBuilder
import SiteCore
import Testing

/// The preview learns of edits from the file system's events (`InputWatcher`); whatever is edited,
/// and however, its output must stay what a clean build makes. Each case here was a way a review
/// found to make it miss an edit.
@Suite struct InputWatcherTests {
    /// Builds the site without a cache into a fresh folder; the build's error when it fails.
    func cleanBuild(_ site: ExampleSite) -> (out: String, error: BuildError?) {
        let out = site.folder + "-clean-\(UUID().uuidString)"
        do {
            _ = try SiteBuild(siteFolder: site.folder, outFolder: out, cache: .none).run()
            return (out, nil)
        } catch {
            return (out, error)
        }
    }

    @Test func aCatalogRenamedInSiteYAMLIsWatchedUnderItsNewName() throws {
        let site = try ExampleSite()
        let session = SiteSession(siteFolder: site.folder)
        try session.rebuild()
        #expect(session.isWatching)
        try FileManager.default.moveItem(atPath: site.folder + "/catalog.txt", toPath: site.folder + "/shop.txt")
        try site.write("site.yaml", try site.source("site.yaml") + "catalog:\n  text: shop.txt\n")
        #expect(try session.rebuild() != .unchanged)
        try site.edit("shop.txt", replacing: "title: Noah's Ark Coloring Pages", with: "title: Noah's Ark Colouring Pages")
        #expect(try session.rebuild() != .unchanged)
        #expect(site.read("products/noahs-ark-coloring-pages/index.html").contains("Colouring"))
    }

    @Test func aFilesFolderOutsideTheSiteIsWatched() throws {
        let site = try ExampleSite()
        let outside = site.folder + "-files"
        try FileManager.default.moveItem(atPath: site.folder + "/files", toPath: outside)
        try site.write("site.yaml", try site.source("site.yaml") + "files: ../\((outside as NSString).lastPathComponent)\n")
        let session = SiteSession(siteFolder: site.folder)
        try session.rebuild()
        #expect(session.isWatching)
        try FileManager.default.removeItem(atPath: outside + "/products/noahs-ark-coloring-pages-guide.pdf")
        let clean = cleanBuild(site)
        let error = try #require(clean.error, "a file the catalog lists is gone")
        #expect(throws: BuildError.self) { try session.rebuild() }
        #expect(error.description.contains("noahs-ark-coloring-pages-guide.pdf"))
    }

    @Test func aFolderAboveTheFilesFolderMadeAnewIsWatchedAgain() throws {
        let site = try ExampleSite()
        try FileManager.default.createDirectory(atPath: site.folder + "/media", withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: site.folder + "/files", toPath: site.folder + "/media/files")
        try site.write("site.yaml", try site.source("site.yaml") + "files: media/files\n")
        let session = SiteSession(siteFolder: site.folder)
        try session.rebuild()
        #expect(session.isWatching)
        // A checkout of another branch and back: the folder is made anew.
        try FileManager.default.moveItem(atPath: site.folder + "/media", toPath: site.folder + "-media-old")
        try FileManager.default.copyItem(atPath: site.folder + "-media-old", toPath: site.folder + "/media")
        try session.rebuild()
        try FileManager.default.removeItem(atPath: site.folder + "/media/files/products/noahs-ark-coloring-pages-guide.pdf")
        #expect(cleanBuild(site).error != nil)
        #expect(throws: BuildError.self) { try session.rebuild() }
    }

    @Test func aSymbolicLinkMadeWhileWatchingMakesTheSessionPoll() throws {
        let site = try ExampleSite()
        try site.write("static/seed.txt", "seed")
        let session = SiteSession(siteFolder: site.folder)
        try session.rebuild()
        #expect(session.isWatching)
        let elsewhere = site.folder + "-shared.txt"
        try "file one".write(toFile: elsewhere, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: site.folder + "/static/single.txt", withDestinationPath: elsewhere)
        #expect(try session.rebuild() != .unchanged)
        #expect(site.read("single.txt") == "file one")
        try "file two".write(toFile: elsewhere, atomically: false, encoding: .utf8)
        #expect(try session.rebuild() != .unchanged)
        #expect(!session.isWatching)
        #expect(site.read("single.txt") == "file two")
    }

    @Test func aCatalogThatIsASymbolicLinkMakesTheSessionPoll() throws {
        let site = try ExampleSite()
        let shared = site.folder + "-catalog.txt"
        try FileManager.default.moveItem(atPath: site.folder + "/catalog.txt", toPath: shared)
        try FileManager.default.createSymbolicLink(atPath: site.folder + "/catalog.txt", withDestinationPath: shared)
        let session = SiteSession(siteFolder: site.folder)
        try session.rebuild()
        #expect(!session.isWatching)
        let text = try String(contentsOfFile: shared, encoding: .utf8)
        try text.replacingOccurrences(of: "title: Noah's Ark Coloring Pages", with: "title: Noah's Ark Colouring Pages")
            .write(toFile: shared, atomically: false, encoding: .utf8)
        #expect(try session.rebuild() != .unchanged)
        #expect(site.read("products/noahs-ark-coloring-pages/index.html").contains("Colouring"))
    }

    @Test func aFailureFromOutsideTheInputsIsTriedAgainAfterAWait() throws {
        let site = try ExampleSite()
        let session = SiteSession(siteFolder: site.folder)
        try session.rebuild()
        // The catalog's database cannot be opened: no input names the cause.
        let database = site.folder + "/catalog.sqlite"
        try? FileManager.default.removeItem(atPath: database)
        try FileManager.default.createDirectory(atPath: database, withIntermediateDirectories: true)
        try site.edit("catalog.txt", replacing: "title: Noah's Ark Coloring Pages", with: "title: Noah's Ark Colouring Pages")
        #expect(throws: BuildError.self) { try session.rebuild() }
        try FileManager.default.removeItem(atPath: database)
        // Tried again within a second or so, though no input changed.
        let deadline = Date().addingTimeInterval(20)
        var outcome: SiteSession.Outcome = .unchanged
        while outcome == .unchanged, Date() < deadline { outcome = (try? session.rebuild()) ?? .unchanged }
        #expect(outcome != .unchanged)
        #expect(site.read("products/noahs-ark-coloring-pages/index.html").contains("Colouring"))
    }

    @Test func aFolderMadeWhenEventsWereLostIsWatched() throws {
        let site = try ExampleSite()
        try site.write("static/seed.txt", "seed")
        let session = SiteSession(siteFolder: site.folder)
        try session.rebuild()
        // More events than the kernel queues (16,384 by default): some are lost.
        let a = URL(fileURLWithPath: site.folder + "/static/flood-a.txt"), b = URL(fileURLWithPath: site.folder + "/static/flood-b.txt")
        for round in 0..<12_000 {
            try Data("\(round)".utf8).write(to: a)
            try Data("\(round)".utf8).write(to: b)
        }
        try site.write("static/newdir/x.txt", "one")
        try session.rebuild()
        #expect(site.read("newdir/x.txt") == "one")
        try site.write("static/newdir/x.txt", "two")
        #expect(try session.rebuild() != .unchanged)
        #expect(site.read("newdir/x.txt") == "two")
    }

    @Test func copyMovedToAnotherProductLeavesTheFirstWithout() throws {
        let site = try ExampleSite()
        let session = SiteSession(siteFolder: site.folder)
        try session.rebuild()
        try site.edit("content/products/noahs-ark-coloring-pages.md", replacing: "sku: KB-NOAH-COLORING", with: "sku: HS-MEMORY-APP")
        try session.rebuild()
        let clean = cleanBuild(site)
        #expect(clean.error == nil)
        for page in ["products/noahs-ark-coloring-pages/index.html", "products/scripture-memory-app-family-licence/index.html"] {
            #expect(site.read(page) == site.read(page, in: clean.out), "\(page) as a clean build makes it")
        }
    }

    @Test func aFolderMovedOutOfTheInputsIsNoLongerWatched() throws {
        let site = try ExampleSite()
        let session = SiteSession(siteFolder: site.folder)
        try session.rebuild()
        // content/ swapped for a copy, the old one kept aside in the site folder.
        try FileManager.default.moveItem(atPath: site.folder + "/content", toPath: site.folder + "/content.old")
        try FileManager.default.copyItem(atPath: site.folder + "/content.old", toPath: site.folder + "/content")
        try session.rebuild()
        #expect(session.isWatching)
        try site.edit("content.old/products/noahs-ark-coloring-pages.md", replacing: "Few Bible stories", with: "Old Bible stories")
        #expect(try session.rebuild() == .unchanged, "an edit outside the inputs")
        try site.edit("content/products/noahs-ark-coloring-pages.md", replacing: "Few Bible stories", with: "New Bible stories")
        guard case .pages(1, _) = try session.rebuild() else { throw TestSetupError("an edit of the new content/ renders its page") }
        #expect(site.read("products/noahs-ark-coloring-pages/index.html").contains("New Bible stories"))
    }
}
