import Foundation
@testable import SiteBuilder
import Testing

/// What a page's inputs hash: every field of a content file's copy (`PageCopy.stableHash`).
@Suite struct PageInputsTests {
    @Test func aCopysHashCoversEveryField() {
        let copy = PageCopy(
            path: "content/products/a.md", key: "A-1", keyLine: 2, title: "T", description: "D", headline: "H", highlights: ["x"],
            menu: "header", weight: 1, draft: false, body: "Body", bodyLine: 5)
        // A field added to PageCopy must be added to `stableHash` (and counted here); `text` and
        // `bodyStart` are hashed as the body they make; `fileHash` is not a field of the copy but of
        // the file it came from (`SiteContent.inputHash` hashes it in place of the fields).
        #expect(Mirror(reflecting: copy.fields).children.count == 13)
        #expect(Mirror(reflecting: copy).children.map(\.label) == ["fields", "fileHash"])
        let sameBody = PageCopy(
            path: "content/products/a.md", key: "A-1", keyLine: 2, title: "T", description: "D", headline: "H", highlights: ["x"],
            menu: "header", weight: 1, draft: false, text: Array("---\nsku: A-1\n---\nBody".utf8), bodyStart: 17, bodyLine: 5)
        #expect(sameBody.body == "Body")
        #expect(sameBody.stableHash == copy.stableHash)
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
