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

    @Test func aMemoChangedByHandIsNotUsedAndIsWrittenAnew() throws {
        let site = try ExampleSite()
        try site.build()
        let path = site.folder + "/.sitegen-cache/catalog.tsv"
        let old = try String(contentsOfFile: path, encoding: .utf8)
        try site.edit("catalog.txt", replacing: "title: Noah's Ark Coloring Pages", with: "title: Noah's Ark Colouring Pages")
        // The old catalog's records claimed for the new text: taken as they are, the product's page
        // would come from the cache with the old title.
        let digest = CatalogSource.digest(try site.source("catalog.txt"))
        let forged = old.components(separatedBy: "\n").map { $0.hasPrefix("digest\t") ? "digest\t" + digest : $0 }.joined(separator: "\n")
        try forged.write(toFile: path, atomically: true, encoding: .utf8)
        try site.build()
        #expect(site.read("products/noahs-ark-coloring-pages/index.html").contains("Colouring Pages"))
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(written.contains("\ndigest\t\(digest)\n"))
        #expect(written != forged, "written anew")
    }

    @Test func aCopysHashCoversEveryField() {
        let copy = PageCopy(
            path: "content/products/a.md", key: "A-1", keyLine: 2, title: "T", description: "D", headline: "H", highlights: ["x"],
            menu: "header", weight: 1, draft: false, body: "Body", bodyLine: 5)
        // A field added to PageCopy must be added to `stableHash` (and counted here).
        #expect(Mirror(reflecting: copy).children.count == 12)
        let changed = [
            PageCopy(path: "content/products/b.md", key: "A-1", keyLine: 2, title: "T", description: "D", headline: "H", highlights: ["x"], menu: "header", weight: 1, draft: false, body: "Body", bodyLine: 5),
            PageCopy(path: "content/products/a.md", key: "A-2", keyLine: 2, title: "T", description: "D", headline: "H", highlights: ["x"], menu: "header", weight: 1, draft: false, body: "Body", bodyLine: 5),
            PageCopy(path: "content/products/a.md", key: "A-1", keyLine: 3, title: "T", description: "D", headline: "H", highlights: ["x"], menu: "header", weight: 1, draft: false, body: "Body", bodyLine: 5),
            PageCopy(path: "content/products/a.md", key: "A-1", keyLine: 2, title: nil, description: "D", headline: "H", highlights: ["x"], menu: "header", weight: 1, draft: false, body: "Body", bodyLine: 5),
            PageCopy(path: "content/products/a.md", key: "A-1", keyLine: 2, title: "T", description: "", headline: "H", highlights: ["x"], menu: "header", weight: 1, draft: false, body: "Body", bodyLine: 5),
            PageCopy(path: "content/products/a.md", key: "A-1", keyLine: 2, title: "T", description: "D", headline: "h", highlights: ["x"], menu: "header", weight: 1, draft: false, body: "Body", bodyLine: 5),
            PageCopy(path: "content/products/a.md", key: "A-1", keyLine: 2, title: "T", description: "D", headline: "H", highlights: ["x", ""], menu: "header", weight: 1, draft: false, body: "Body", bodyLine: 5),
            PageCopy(path: "content/products/a.md", key: "A-1", keyLine: 2, title: "T", description: "D", headline: "H", highlights: ["x"], menu: "footer", weight: 1, draft: false, body: "Body", bodyLine: 5),
            PageCopy(path: "content/products/a.md", key: "A-1", keyLine: 2, title: "T", description: "D", headline: "H", highlights: ["x"], menu: "header", weight: 2, draft: false, body: "Body", bodyLine: 5),
            PageCopy(path: "content/products/a.md", key: "A-1", keyLine: 2, title: "T", description: "D", headline: "H", highlights: ["x"], menu: "header", weight: 1, draft: true, body: "Body", bodyLine: 5),
            PageCopy(path: "content/products/a.md", key: "A-1", keyLine: 2, title: "T", description: "D", headline: "H", highlights: ["x"], menu: "header", weight: 1, draft: false, body: "Body.", bodyLine: 5),
            PageCopy(path: "content/products/a.md", key: "A-1", keyLine: 2, title: "T", description: "D", headline: "H", highlights: ["x"], menu: "header", weight: 1, draft: false, body: "Body", bodyLine: 6),
        ]
        #expect(changed.count == 12)
        for (position, other) in changed.enumerated() {
            #expect(other.stableHash != copy.stableHash, "field \(position) changed")
        }
        #expect(Set(changed.map(\.stableHash)).count == changed.count)
    }
}
