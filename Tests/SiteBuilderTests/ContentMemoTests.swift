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
        let again = try #require(read.entries["products/a\tb.md"]?.parsed(path: copy.path, bytes: Array(text.utf8)) ?? nil)
        #expect(again.0 == .product)
        #expect(again.1.stableHash == copy.stableHash)
        #expect(read.entries["pages/draft.md"]?.kind == nil)
    }

    /// A later build appends the entries that changed, and a path that is gone, to the file.
    @Test func changesAreAppendedAndReadBack() throws {
        let folder = NSTemporaryDirectory() + "content-memo-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var memo = ContentMemo()
        for number in 0..<50 { memo.entries["pages/p\(number).md"] = ContentMemo.Entry(hash: UInt64(number), bodyStart: 0, parsed: nil) }
        memo.write(folder: folder)
        var next = ContentMemo.read(folder: folder)
        #expect(next.entries == memo.entries)
        next.entries["pages/p1.md"] = ContentMemo.Entry(hash: 1001, bodyStart: 3, parsed: nil)
        next.entries["pages/p2.md"] = nil
        next.entries["pages/new\tone.md"] = ContentMemo.Entry(hash: 1002, bodyStart: 0, parsed: nil)
        next.write(folder: folder)
        let path = folder + "/content.tsv"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.components(separatedBy: "\nend\t").count == 3, "two parts: \(text.suffix(300))")
        #expect(text.contains("\nx\tpages/p2.md\n"))
        #expect(ContentMemo.read(folder: folder).entries == next.entries)
        // A byte changed in the appended part: not used.
        try text.replacingOccurrences(of: "x\tpages/p2.md", with: "x\tpages/p3.md").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(ContentMemo.read(folder: folder).entries.isEmpty)
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
            _ = AppendableFile.write(Array(other.utf8), to: path)
        }
        #expect(ContentMemo.read(folder: site.folder + "/.sitegen-cache").entries.isEmpty)
        try FileManager.default.removeItem(atPath: site.out)
        try site.build()
        #expect(!site.outputFiles().contains { site.read($0).contains("Forged ") })
        #expect(try String(contentsOfFile: path, encoding: .utf8) == written, "written anew")
    }
}
