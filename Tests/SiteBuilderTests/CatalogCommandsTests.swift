import Foundation
import ShopCore
import SiteBuilder
import Testing

@Suite struct CatalogCommandsTests {
    @Test func dumpThenLoadRoundTrips() throws {
        let site = try ExampleSite()
        let commands = try CatalogCommands(siteFolder: site.folder)
        let dumped = try commands.dump()
        #expect(dumped == CatalogText.dump(try CatalogText.parse(try site.source("catalog.txt"), file: "x").0))
        try site.write("copy.txt", dumped)
        #expect(try commands.load(site.folder + "/copy.txt").hasPrefix("loaded 6 niches"))
        #expect(try commands.dump() == dumped)
    }

    @Test func checkPassesOnTheExampleAndNamesProblemsOtherwise() throws {
        let site = try ExampleSite()
        #expect(try CatalogCommands(siteFolder: site.folder).check().hasPrefix("catalog OK"))
        try site.edit("catalog.txt", replacing: "  files: products/noahs-ark-coloring-pages-letter.pdf", with: "  files: products/missing.pdf")
        #expect {
            try CatalogCommands(siteFolder: site.folder).check()
        } throws: { error in
            String(describing: error).contains("'products/missing.pdf' is not in the files folder")
                && String(describing: error).contains("catalog.txt:")
        }
    }

    @Test func initCreatesAnEmptyCatalog() throws {
        let site = try ExampleSite.empty()
        let result = try CatalogCommands(siteFolder: site.folder).initialize(text: true)
        #expect(result.contains("catalog.sqlite"))
        #expect(FileManager.default.fileExists(atPath: site.folder + "/catalog.txt"))
        #expect(try CatalogCommands(siteFolder: site.folder).check().hasPrefix("catalog OK: 0 niches"))
    }

    @Test func loadRefusesACatalogThatFailsTheCheck() throws {
        let site = try ExampleSite()
        try site.write("bad.txt", "niche a\n  title: A\n\nproduct P\n  slug: p\n  title: P\n  niche: b\n  price: 1.00 USD\n")
        #expect {
            try CatalogCommands(siteFolder: site.folder).load(site.folder + "/bad.txt")
        } throws: { error in
            String(describing: error).contains("bad.txt:4") && String(describing: error).contains("'b' is not a niche")
        }
    }
}
