import Yams

/// Reads the plain front matter most Markdown files have (`key: value` lines, `- item` lists,
/// `[a, b]` lists, quoted strings) without a full YAML parser. Anything else, including anything
/// malformed, returns nil so Yams reads it and reports errors in the usual way.
enum SimpleYAML {
    static func parse(_ yaml: String) -> [(key: String, value: Node, line: Int)]? {
        var entries: [(key: String, value: Node, line: Int)] = []
        var keys = Set<String>()
        var pendingList: (key: String, line: Int, items: [Node])?
        var number = 0
        func closeList() {
            if let list = pendingList {
                entries.append((list.key, list.items.isEmpty ? Node("", .implicit) : Node.sequence(.init(list.items)), list.line))
                pendingList = nil
            }
        }
        for rawLine in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let line = rawLine.last == "\r" ? rawLine.dropLast() : rawLine
            let trimmed = line.drop { $0 == " " }
            if trimmed.isEmpty || trimmed.first == "#" { continue }
            if trimmed.startIndex != line.startIndex {
                guard pendingList != nil, trimmed.hasPrefix("- "), let item = scalar(trimmed.dropFirst(2)) else { return nil }
                pendingList!.items.append(item)
                continue
            }
            closeList()
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let key = String(line[..<colon])
            guard !key.isEmpty, key.utf8.allSatisfy({ isKeyByte($0) }), keys.insert(key).inserted else { return nil }
            let rest = line[line.index(after: colon)...]
            guard rest.isEmpty || rest.first == " " else { return nil }
            let value = rest.drop { $0 == " " }
            if value.isEmpty {
                pendingList = (key, number, [])
                continue
            }
            if value.first == "[" {
                guard value.last == "]" else { return nil }
                var items: [Node] = []
                for part in value.dropFirst().dropLast().split(separator: ",", omittingEmptySubsequences: false) {
                    let item = part.drop { $0 == " " }
                    if item.isEmpty && value.count == 2 { break }
                    guard let node = scalar(item) else { return nil }
                    items.append(node)
                }
                entries.append((key, .sequence(.init(items)), number))
                continue
            }
            guard let node = scalar(value) else { return nil }
            entries.append((key, node, number))
        }
        closeList()
        return entries
    }

    /// A plain or simply quoted scalar; nil for anything YAML would read differently.
    static func scalar(_ text: Substring) -> Node? {
        var text = text
        while text.last == " " { text = text.dropLast() }
        guard let first = text.first else { return nil }
        if first == "\"" {
            guard text.count >= 2, text.last == "\"" else { return nil }
            let inner = text.dropFirst().dropLast()
            guard !inner.contains("\""), !inner.contains("\\") else { return nil }
            return Node(String(inner), Tag(.str), .doubleQuoted)
        }
        if first == "'" {
            guard text.count >= 2, text.last == "'" else { return nil }
            let inner = String(text.dropFirst().dropLast())
            guard !inner.replacingOccurrences(of: "''", with: "").contains("'") else { return nil }
            return Node(inner.replacingOccurrences(of: "''", with: "'"), Tag(.str), .singleQuoted)
        }
        // Characters that start other YAML constructs, and comments or nested mappings inside a value.
        if "{[]}&*!|>%@`,?-:#".contains(first) && !(first == "-" && text.count > 1 && text.dropFirst().first != " ") { return nil }
        if containsCommentOrMapping(text.utf8) || text.hasSuffix(":") { return nil }
        return Node(String(text), .implicit)
    }

    /// Whether the value holds " #" (a comment) or ": " (a nested mapping), checked on its bytes:
    /// Foundation's substring search was an eighth of reading 10,000 content files' front matter.
    private static func containsCommentOrMapping(_ bytes: Substring.UTF8View) -> Bool {
        var previous: UInt8 = 0
        for byte in bytes {
            if (previous == UInt8(ascii: " ") && byte == UInt8(ascii: "#")) || (previous == UInt8(ascii: ":") && byte == UInt8(ascii: " ")) {
                return true
            }
            previous = byte
        }
        return false
    }

    private static func isKeyByte(_ byte: UInt8) -> Bool {
        (byte >= 97 && byte <= 122) || (byte >= 65 && byte <= 90) || (byte >= 48 && byte <= 57) || byte == 95 || byte == 45
    }
}
