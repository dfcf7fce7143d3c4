import Foundation
import SiteBuilder
import Testing

@Suite struct BuildPropertiesTests {
    @Test func twoBuildsGiveByteIdenticalTrees() throws {
        let site = try ExampleSite()
        try site.build(out: site.folder + "/first")
        try site.build(out: site.folder + "/second")
        let first = site.outputFiles(in: site.folder + "/first")
        #expect(first == site.outputFiles(in: site.folder + "/second"))
        for file in first {
            let a = FileManager.default.contents(atPath: site.folder + "/first/" + file)
            let b = FileManager.default.contents(atPath: site.folder + "/second/" + file)
            #expect(a == b, "\(file) differs between builds")
        }
    }

    @Test func aFailedBuildLeavesThePreviousOutputUntouched() throws {
        let site = try ExampleSite()
        try site.build()
        let before = site.outputFiles()
        let page = site.read("products/noahs-ark-coloring-pages/index.html")
        try site.edit("content/products/noahs-ark-coloring-pages.md", replacing: "sku: KB-NOAH-COLORING", with: "sku: [broken")
        try site.edit("content/pages/about.md", replacing: "---\n", with: "---\nextra: value\n")
        #expect(site.buildError() != nil)
        #expect(site.outputFiles() == before)
        #expect(site.read("products/noahs-ark-coloring-pages/index.html") == page)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: site.folder).filter { $0.contains("staging") }
        #expect(leftovers.isEmpty)
    }

    @Test func unchangedOutputsAreNotRewritten() throws {
        let site = try ExampleSite()
        try site.build()
        let untouched = site.out + "/products/easter-activity-pack/index.html"
        let edited = site.out + "/products/noahs-ark-coloring-pages/index.html"
        let inodeBefore = try FileManager.default.attributesOfItem(atPath: untouched)[.systemFileNumber] as? Int
        try site.edit("content/products/noahs-ark-coloring-pages.md", replacing: "Few Bible stories", with: "Very few Bible stories")
        let summary = try site.build()
        let inodeAfter = try FileManager.default.attributesOfItem(atPath: untouched)[.systemFileNumber] as? Int
        #expect(inodeBefore == inodeAfter)
        #expect(try String(contentsOfFile: edited, encoding: .utf8).contains("Very few Bible stories"))
        #expect(summary.written == 1)
        #expect(summary.unchanged == summary.files - 1)
    }

    @Test func aBuildWithNothingChangedStopsAfterCheckingInputs() throws {
        let site = try ExampleSite()
        let first = try site.build()
        let page = site.out + "/products/noahs-ark-coloring-pages/index.html"
        let modified = try FileManager.default.attributesOfItem(atPath: page)[.modificationDate] as? Date
        let second = try site.build()
        #expect(second.upToDate)
        #expect(second.pages == first.pages && second.files == first.files && second.written == 0)
        #expect(second.description.hasPrefix("nothing changed since the last build of \(first.pages) pages"))
        #expect(try FileManager.default.attributesOfItem(atPath: page)[.modificationDate] as? Date == modified)

        try site.edit("content/products/noahs-ark-coloring-pages.md", replacing: "Few Bible stories", with: "Very few Bible stories")
        let afterEdit = try site.build()
        #expect(!afterEdit.upToDate && afterEdit.written == 1)
        #expect(site.read("products/noahs-ark-coloring-pages/index.html").contains("Very few Bible stories"))
    }

    /// CI's case: the pages come from the cache as hard links, whose times the build records without
    /// looking them up again; the record must be right for the next build to find nothing changed,
    /// and an output page edited by hand afterwards must still be noticed.
    @Test func pagesLinkedFromTheCacheAreRecordedWithTheirTimes() throws {
        let site = try ExampleSite()
        try site.build()
        try FileManager.default.removeItem(atPath: site.out)
        // One copy given another time (as a restore that kept none would): found intact by its hash,
        // linked, and recorded with the time it has now.
        let copy = site.folder + "/.sitegen-cache/pages/plans/index.html"
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_700_000_000.25)], ofItemAtPath: copy)
        let linked = try site.build()
        #expect(linked.rendered == 0 && !linked.upToDate)
        let again = try site.build()
        #expect(again.upToDate, "the output as the linked build recorded it")
        try site.write("public/products/noahs-ark-coloring-pages/index.html", "changed by hand")
        let repaired = try site.build()
        #expect(!repaired.upToDate)
        #expect(site.read("products/noahs-ark-coloring-pages/index.html").contains("Noah"))
    }

    @Test func aBuildRestoresOutputRemovedOrChangedByHand() throws {
        let site = try ExampleSite()
        try site.build()
        let original = site.read("products/noahs-ark-coloring-pages/index.html")
        try FileManager.default.removeItem(atPath: site.out + "/plans/index.html")
        try site.write("public/products/noahs-ark-coloring-pages/index.html", "changed by hand")
        let summary = try site.build()
        #expect(!summary.upToDate)
        #expect(site.exists("plans/index.html"))
        #expect(site.read("products/noahs-ark-coloring-pages/index.html") == original)
    }

    @Test func thePlaceholderInTheOutputFolderIsKept() throws {
        let site = try ExampleSite()
        try FileManager.default.createDirectory(atPath: site.out, withIntermediateDirectories: true)
        try site.write("public/.gitkeep", "")
        try site.build()
        #expect(site.exists(".gitkeep"))
        #expect(site.exists("index.html"))
    }

    @Test func theSummaryCountsPagesAndTime() throws {
        let site = try ExampleSite()
        let summary = try site.build()
        #expect(summary.description.hasPrefix("built \(summary.pages) pages"))
        #expect(summary.description.contains("→ \(site.out)"))
    }
}

@Suite struct OutputCleanupTests {
    @Test func outputsOfRemovedPagesAreRemovedAndOtherFilesKept() throws {
        let site = try ExampleSite()
        try site.write("content/pages/old.md", "---\ntitle: Old\n---\nSoon gone.\n")
        try site.build()
        #expect(site.exists("old/index.html"))
        try site.write("public/keep-me.txt", "not made by sitegen")
        try FileManager.default.removeItem(atPath: site.folder + "/content/pages/old.md")
        try site.build()
        #expect(!site.exists("old/index.html"))
        #expect(!FileManager.default.fileExists(atPath: site.out + "/old"), "its empty folder goes too")
        #expect(site.exists("keep-me.txt"), "files sitegen did not make are left alone")
    }

    @Test func aFileChangedByHandIsRewritten() throws {
        let site = try ExampleSite()
        try site.build()
        let page = site.read("about/index.html")
        try site.write("public/about/index.html", "tampered")
        let summary = try site.build()
        #expect(site.read("about/index.html") == page)
        #expect(summary.written == 1)
    }
}
