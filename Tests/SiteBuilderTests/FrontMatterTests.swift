@testable import SiteBuilder
import Testing
import Yams
@testable import SiteCore

/// The fast front-matter reader must agree with Yams wherever it answers, and leave the rest to Yams.
@Suite struct FrontMatterTests {
    static let agreeing = [
        "title: Noah's Ark\nsku: KB-1\n",
        "title: \"Faith, Hope & Love\"\ndescription: 'It''s here'\n",
        "highlights:\n  - One\n  - Two, three items\n",
        "tags: [a, b, \"c d\"]\nempty: []\n",
        "draft: true\nweight: 10\n",
        "title: Price $4.99 -- 50% off\n",
        "# comment\ntitle: X\n\nmenu: footer\n",
    ]

    static let leftToYams = [
        "title: \"unterminated\n",
        "title: a: b\n",
        "nested:\n  key: value\n",
        "title: x # comment\n",
        "title: |\n  block\n",
        "title: \"esc\\\"aped\"\n",
        "title: one\ntitle: two\n",
        "  indented: wrong\n",
        "highlights:\n  - Two: a mapping in a list\n",
    ]

    static func yamsEntries(_ yaml: String) throws -> [String: String] {
        var result: [String: String] = [:]
        guard case let .mapping(mapping)? = try Yams.compose(yaml: yaml) else { return result }
        for (key, value) in mapping { result[key.string ?? ""] = describe(value) }
        return result
    }

    static func describe(_ node: Node) -> String {
        switch node {
        case let .sequence(items): return "[" + items.map(describe).joined(separator: "|") + "]"
        case let .scalar(scalar):
            return scalar.string + (node.bool.map { "/bool:\($0)" } ?? "") + (node.int.map { "/int:\($0)" } ?? "")
        default: return "?"
        }
    }

    @Test(arguments: agreeing)
    func agreesWithYams(yaml: String) throws {
        let simple = try #require(SimpleYAML.parse(yaml), "the fast reader should handle this")
        var mine: [String: String] = [:]
        for entry in simple { mine[entry.key] = Self.describe(entry.value) }
        #expect(mine == (try Self.yamsEntries(yaml)))
    }

    @Test(arguments: leftToYams)
    func leavesTheRestToYams(yaml: String) {
        #expect(SimpleYAML.parse(yaml) == nil)
    }

    @Test func linesAreCountedFromTheFile() throws {
        let fields = try YAMLFields(yaml: "title: X\n\nsku: KB-1\n", file: "x.md", lineOffset: 1)
        #expect(fields.line(of: "sku") == 4)
    }
}
