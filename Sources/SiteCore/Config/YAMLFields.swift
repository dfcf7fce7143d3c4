import Yams

/// Typed, located access to a YAML mapping: every error names the file, the line and the key.
public struct YAMLFields {
    public let file: String
    /// Lines before the YAML text in its file (front matter starts after `---`).
    public let lineOffset: Int
    let entries: [(key: String, value: Node, line: Int)]
    let mappingLine: Int

    /// Parses `yaml`; an empty document gives an empty mapping.
    public init(yaml: String, file: String, lineOffset: Int = 0) throws(BuildError) {
        self.file = file
        self.lineOffset = lineOffset
        if let simple = SimpleYAML.parse(yaml) {
            entries = simple.map { ($0.key, $0.value, lineOffset + $0.line) }
            mappingLine = lineOffset + 1
            return
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw BuildError(Self.diagnose(error, file: file, lineOffset: lineOffset))
        } catch {
            throw BuildError(file: file, line: lineOffset + 1, message: "cannot read YAML: \(error)")
        }
        guard let root else {
            self.entries = []
            self.mappingLine = lineOffset + 1
            return
        }
        guard case let .mapping(mapping) = root else {
            throw BuildError(
                file: file, line: lineOffset + (root.mark?.line ?? 1),
                message: "expected `key: value` lines, found a \(root.kindName)", hint: "front matter and site.yaml are YAML mappings")
        }
        self.mappingLine = lineOffset + (root.mark?.line ?? 1)
        var entries: [(String, Node, Int)] = []
        for (key, value) in mapping {
            entries.append((key.string ?? "", value, lineOffset + (key.mark?.line ?? 1)))
        }
        self.entries = entries
    }

    private init(file: String, lineOffset: Int, entries: [(key: String, value: Node, line: Int)], mappingLine: Int) {
        self.file = file
        self.lineOffset = lineOffset
        self.entries = entries
        self.mappingLine = mappingLine
    }

    static func diagnose(_ error: YamlError, file: String, lineOffset: Int) -> Diagnostic {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let what = [context?.text, problem].compactMap { $0 }.joined(separator: ": ")
            return Diagnostic(
                file: file, line: lineOffset + mark.line, message: "invalid YAML: \(what) (column \(mark.column))",
                hint: "quote values that contain `: ` or start with a special character, e.g. title: \"Faith: A Study\"")
        case let .duplicatedKeysInMapping(duplicates, context):
            return Diagnostic(
                file: file, line: lineOffset + context.mark.line, message: "duplicate key \(duplicates.joined(separator: ", "))")
        default:
            return Diagnostic(file: file, line: lineOffset + 1, message: "invalid YAML: \(error)")
        }
    }

    /// The mapping's keys, in the order written.
    public var keys: [String] { entries.map(\.key) }

    public func line(of key: String) -> Int { entries.first { $0.key == key }?.line ?? mappingLine }

    func node(_ key: String) -> Node? { entries.first { $0.key == key }?.value }

    public func error(_ key: String, _ message: String, hint: String? = nil) -> BuildError {
        BuildError(file: file, line: line(of: key), message: "'\(key)': \(message)", hint: hint)
    }

    /// Fails on keys outside `known`, naming the first unknown one.
    public func rejectUnknown(_ known: [String]) throws(BuildError) {
        if let unknown = entries.first(where: { !known.contains($0.key) }) {
            throw BuildError(
                file: file, line: unknown.line, message: "unknown key '\(unknown.key)'",
                hint: "known keys: \(known.joined(separator: ", "))")
        }
    }

    public func string(_ key: String) throws(BuildError) -> String? {
        guard let node = node(key) else { return nil }
        guard case let .scalar(scalar) = node else { throw error(key, "expected text, found a \(node.kindName)") }
        return scalar.string
    }

    public func string(_ key: String, default value: String) throws(BuildError) -> String {
        try string(key) ?? value
    }

    public func bool(_ key: String, default value: Bool) throws(BuildError) -> Bool {
        guard let node = node(key) else { return value }
        guard let flag = node.bool else { throw error(key, "expected true or false, found '\(node.string ?? node.kindName)'") }
        return flag
    }

    public func int(_ key: String, default value: Int, range: ClosedRange<Int>) throws(BuildError) -> Int {
        guard let node = node(key) else { return value }
        guard let number = node.int, range.contains(number) else {
            throw error(key, "expected a whole number from \(range.lowerBound) to \(range.upperBound), found '\(node.string ?? node.kindName)'")
        }
        return number
    }

    public func strings(_ key: String) throws(BuildError) -> [String] {
        guard let node = node(key) else { return [] }
        switch node {
        case let .scalar(scalar): return [scalar.string]
        case let .sequence(sequence):
            var items: [String] = []
            for item in sequence {
                guard case let .scalar(scalar) = item else { throw error(key, "expected a list of text items") }
                items.append(scalar.string)
            }
            return items
        default: throw error(key, "expected a list, found a \(node.kindName)")
        }
    }

    /// A nested mapping, read with the same file and line information.
    public func mapping(_ key: String) throws(BuildError) -> YAMLFields? {
        guard let node = node(key) else { return nil }
        guard case let .mapping(mapping) = node else { throw error(key, "expected `key: value` lines under it") }
        var entries: [(String, Node, Int)] = []
        for (childKey, value) in mapping {
            entries.append((childKey.string ?? "", value, lineOffset + (childKey.mark?.line ?? 1)))
        }
        return YAMLFields(file: file, lineOffset: lineOffset, entries: entries, mappingLine: line(of: key))
    }
}

extension Node {
    var kindName: String {
        switch self {
        case .scalar: return "value"
        case .mapping: return "mapping"
        case .sequence: return "list"
        case .alias: return "alias"
        }
    }
}
