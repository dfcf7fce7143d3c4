import Foundation
@testable import SiteBuilder
import ShopCore
import SiteCore
import Testing
import TestSupport

/// The build cache's `catalog.bin` (`CatalogSnapshotFile`): a build whose catalog text did not change
/// reads the catalog back from it; one that cannot be trusted is never used.
@Suite struct CatalogSnapshotFileTests {
    @Test func aBuildKeepsTheParsedCatalogAsParsed() throws {
        let site = try ExampleSite()
        try site.build()
        let file = CatalogSnapshotFile(folder: site.folder + "/.sitegen-cache")
        let text = try site.source("catalog.txt")
        let kept = try #require(file.catalog(digest: CatalogSource.digest(text)))
        let parsed = try CatalogText.parse(text, file: site.folder + "/catalog.txt")
        #expect(kept.0 == parsed.0)
        #expect(kept.1 == parsed.1)
        #expect(file.catalog(digest: CatalogSource.digest(text + "\n")) == nil, "another text's digest")
    }

    /// A catalog error found through the snapshot names the catalog text's line as one found by parsing.
    @Test func errorsFoundThroughTheSnapshotNameTheTextsLine() throws {
        let site = try ExampleSite()
        try site.build()
        try site.edit("catalog.txt", replacing: "image: /assets/images/", with: "image: /assets/missing/")
        let first = try #require(site.buildError(), "a missing image passed")
        // The text is as in the first failed build: its catalog comes from the snapshot now.
        let file = CatalogSnapshotFile(folder: site.folder + "/.sitegen-cache")
        #expect(file.catalog(digest: CatalogSource.digest(try site.source("catalog.txt"))) != nil, "kept for the edited text")
        let second = try #require(site.buildError(), "a missing image passed through the snapshot")
        #expect(second.description == first.description)
        #expect(first.description.contains("catalog.txt:"), "\(first)")
    }

    @Test(arguments: ["another sitegen", "checksum", "bytes"])
    func aSnapshotThatCannotBeTrustedIsNotUsed(damage: String) throws {
        let site = try ExampleSite()
        try site.build()
        let file = CatalogSnapshotFile(folder: site.folder + "/.sitegen-cache")
        let digest = CatalogSource.digest(try site.source("catalog.txt"))
        let good = try #require(FileManager.default.contents(atPath: file.path))
        var bytes = [UInt8](good)
        switch damage {
        case "another sitegen":
            // Checksummed anew: only the identity can tell.
            let body = Array(bytes[..<(bytes.dropLast().lastIndex(of: UInt8(ascii: "\n"))! + 1)])
            let text = String(decoding: body, as: UTF8.self)
                .replacingOccurrences(of: "\tsitegen \(SiteGenVersion.current) ", with: "\tsitegen 0.0.1 ")
            ChecksummedFile.write(Array(text.utf8), to: file.path)
        case "checksum":
            bytes[bytes.count / 2] ^= 0x55
            try Data(bytes).write(to: URL(fileURLWithPath: file.path))
        default:
            // Bytes that pass the checksum but do not decode (a product's count cut short).
            let header = Array("\(CatalogSnapshotFile.format)\t\(BuildCache.identity)\ndigest\t\(digest)\n".utf8)
            ChecksummedFile.write(header + [0x01, 0x7F, UInt8(ascii: "\n")], to: file.path)
        }
        #expect(file.catalog(digest: digest) == nil)
        try FileManager.default.removeItem(atPath: site.out)
        let clean = site.folder + "/clean", now = Int(Date().timeIntervalSince1970)
        _ = try SiteBuild(siteFolder: site.folder, outFolder: clean, now: now, cache: .none).run()
        _ = try SiteBuild(siteFolder: site.folder, outFolder: site.out, now: now).run()
        try expectSameFiles(site.out, clean, "a build with a \(damage) snapshot")
        #expect(FileManager.default.contents(atPath: file.path) == good, "written anew")
    }
}
