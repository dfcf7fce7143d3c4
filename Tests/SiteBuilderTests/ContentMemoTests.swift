import Foundation
@testable import SiteBuilder
import SiteCore
import Testing
import TestSupport

/// The build cache's `content.tsv` (`ContentMemo`): a content file is parsed again unless its bytes
/// hash as the memo records, and a memo that cannot be trusted is not used.
@Suite struct ContentMemoTests {
    @Test func whatIsWrittenIsReadBackFieldForField() throws {
        let folder = NSTemporaryDirectory() + "content-memo-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let copy = PageCopy(
            path: "content/products/a\tb.md", key: "A\\1", keyLine: 2, title: "Tab\there, line\nthere", description: "",
            headline: nil, highlights: ["", "back\\slash", "cr\r"], menu: nil, weight: -3, draft: false, body: "Body", bodyLine: 9)
        var memo = ContentMemo()
        memo.entries["products/a\tb.md"] = ContentMemo.Entry(hash: 0xfeed, bodyStart: 41, parsed: (.product, copy))
        memo.entries["pages/draft.md"] = ContentMemo.Entry(hash: 7, bodyStart: 0, parsed: nil)
        memo.write(folder: folder)
        let read = ContentMemo.read(folder: folder)
        #expect(read.entries == memo.entries)
        let text = String(repeating: "x", count: 41) + "Body"
        let again = try #require(read.entries["products/a\tb.md"]?.parsed(path: copy.path, text: text) ?? nil)
        #expect(again.0 == .product)
        #expect(again.1.stableHash == copy.stableHash)
        #expect(read.entries["pages/draft.md"]?.kind == nil)
    }

    @Test(arguments: ["edited", "truncated", "another sitegen"])
    func aMemoThatCannotBeTrustedIsNotUsed(damage: String) throws {
        let site = try ExampleSite()
        try site.build()
        let path = site.folder + "/.sitegen-cache/content.tsv"
        let written = try String(contentsOfFile: path, encoding: .utf8)
        #expect(ContentMemo.read(folder: site.folder + "/.sitegen-cache").entries.count > 10)
        var lines = written.components(separatedBy: "\n").filter { !$0.isEmpty && !$0.hasPrefix("end\t") }
        // A title changed in the memo but not in the file: taken as it is, a page would show it.
        let line = try #require(lines.firstIndex { $0.contains("\t=") })
        lines[line] = lines[line].replacingOccurrences(of: "\t=", with: "\t=Forged ")
        let forged = lines.joined(separator: "\n") + "\n"
        switch damage {
        case "edited": try (forged + "end\t0\n").write(toFile: path, atomically: true, encoding: .utf8)
        case "truncated": try String(forged.dropLast(200)).write(toFile: path, atomically: true, encoding: .utf8)
        default:
            // Checksummed anew: only the identity can tell.
            let other = forged.replacingOccurrences(of: "\tsitegen \(SiteGenVersion.current) ", with: "\tsitegen 0.0.1 ")
            ChecksummedFile.write(Array(other.utf8), to: path)
        }
        #expect(ContentMemo.read(folder: site.folder + "/.sitegen-cache").entries.isEmpty)
        try FileManager.default.removeItem(atPath: site.out)
        try site.build()
        #expect(!site.outputFiles().contains { site.read($0).contains("Forged ") })
        #expect(try String(contentsOfFile: path, encoding: .utf8) == written, "written anew")
    }
}
