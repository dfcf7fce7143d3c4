import Foundation
@testable import SiteBuilder
import ShopCore
import SiteCore
import Testing
import TestSupport

/// The build cache's `catalog.tsv` (`CatalogMemo`): what it skips must be exactly what would come out
/// the same, and a memo that cannot be trusted is worked out again.
@Suite struct CatalogMemoTests {
    @Test func aBuildRemembersEachProductsRecordAndThatTheChecksPassed() throws {
        let site = try ExampleSite()
        let summary = try site.build()
        let memo = try String(contentsOfFile: site.folder + "/.sitegen-cache/catalog.tsv", encoding: .utf8)
        let products = try String(contentsOfFile: site.folder + "/catalog.txt", encoding: .utf8)
            .components(separatedBy: "\n").filter { $0.hasPrefix("product ") }.count
        #expect(memo.components(separatedBy: "\n").filter { $0.hasPrefix("r\t") }.count == products)
        #expect(memo.contains("\nchecked\t"))
        #expect(memo.hasPrefix("sitegen-catalog 1\t\(BuildCache.identity)\ndigest\t"))
        #expect(summary.rendered == summary.pages)
    }

    @Test func aFileTheCatalogNamesThatIsGoneFailsTheBuildThoughTheCatalogDidNotChange() throws {
        let site = try ExampleSite()
        try site.build()
        try FileManager.default.removeItem(atPath: site.folder + "/files/products/noahs-ark-coloring-pages-a4.pdf")
        let clean = Result { () throws(BuildError) in
            try SiteBuild(siteFolder: site.folder, outFolder: site.folder + "/clean", cache: .none).run()
        }
        guard case let .failure(expected) = clean else {
            Issue.record("a build without the cache passed with a missing file")
            return
        }
        let error = try #require(site.buildError(), "the cached build passed with a missing file")
        #expect(error.description == expected.description)
        #expect(error.description.contains("noahs-ark-coloring-pages-a4.pdf"), "\(error)")
    }

    @Test func recordsWorkedOutForAnotherCatalogTextAreNotUsed() throws {
        let site = try ExampleSite()
        try site.build()
        let path = site.folder + "/.sitegen-cache/catalog.tsv"
        let old = try String(contentsOfFile: path, encoding: .utf8)
        let oldRecord = try #require(old.components(separatedBy: "\n").first { $0.hasSuffix("\tKB-NOAH-COLORING") })
        // Taken for the new text, the old records would keep the product's page (and the lists that
        // show its title) as the cache has them.
        try site.edit("catalog.txt", replacing: "title: Noah's Ark Coloring Pages", with: "title: Noah's Ark Colouring Pages")
        try FileManager.default.removeItem(atPath: site.out)
        try site.build()
        #expect(site.read("products/noahs-ark-coloring-pages/index.html").contains("Colouring Pages"))
        #expect(site.read("shop/kids-bible/index.html").contains("Colouring Pages"))
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written.contains("\ndigest\t\(CatalogSource.digest(try site.source("catalog.txt")))\n"))
        #expect(!written.contains(oldRecord + "\n"), "the product's record worked out again")
    }

    @Test(arguments: ["another sitegen", "checksum"])
    func aMemoThatCannotBeTrustedIsNotUsed(damage: String) throws {
        let site = try ExampleSite()
        try site.build()
        let cache = site.folder + "/.sitegen-cache"
        let path = cache + "/catalog.tsv"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let digest = CatalogSource.digest(try site.source("catalog.txt"))
        #expect(!CatalogMemo.read(folder: cache, digest: digest).records.isEmpty)
        var lines = text.components(separatedBy: "\n").filter { !$0.isEmpty && !$0.hasPrefix("end\t") }
        if damage == "another sitegen" {
            // Checksummed anew: only the identity can tell.
            lines[0] = lines[0].replacingOccurrences(of: "\tsitegen \(SiteGenVersion.current) ", with: "\tsitegen 0.0.1 ")
            ChecksummedFile.write(Array((lines.joined(separator: "\n") + "\n").utf8), to: path)
        } else {
            try text.replacingOccurrences(of: "\nchecked\t", with: "\nchecked\t1").write(toFile: path, atomically: true, encoding: .utf8)
        }
        let memo = CatalogMemo.read(folder: cache, digest: digest)
        #expect(memo.records.isEmpty && memo.checked == nil)
        try FileManager.default.removeItem(atPath: site.out)
        try site.build()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text, "written anew")
    }
}
