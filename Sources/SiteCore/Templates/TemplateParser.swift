/// A Mustache template compiled into a tree: text, variables, sections, partials and inheritance.
///
/// Follows the Mustache spec for what the shop's templates use: `{{name}}` (HTML-escaped),
/// `{{{name}}}` and `{{&name}}` (raw), dotted names and `.`, `{{#section}}`, `{{^inverted}}`,
/// `{{!comments}}`, `{{>partial}}`, template inheritance (`{{<parent}}{{$block}}…{{/block}}{{/parent}}`),
/// standalone-line trimming, and the transforms `empty(x)`, `count(x)`, `first()`, `last()`, `index()`,
/// `uppercased(x)`, `lowercased(x)` and `capitalized(x)`.
public struct CompiledTemplate: Sendable {
    let nodes: [TemplateNode]
}

indirect enum TemplateNode: Sendable {
    case text([UInt8])
    case variable(TemplateName, escaped: Bool)
    case section(TemplateName, inverted: Bool, [TemplateNode])
    case partial(String)
    case parent(String, overrides: [String: [TemplateNode]])
    case block(String, [TemplateNode])
}

/// A name in a tag: a dotted path, optionally wrapped in a transform.
struct TemplateName: Sendable, Hashable {
    public enum Transform: String, Sendable {
        case empty, count, first, last, index, uppercased, lowercased, capitalized
    }

    /// Path components; empty for `.` (the current value).
    public let path: [String]
    public let transform: Transform?
    public let text: String

    public init(parsing raw: String) throws(TemplateSyntaxError.Kind) {
        let trimmed = raw.trimmingSpaces
        text = trimmed
        var inner = trimmed
        if let open = trimmed.firstIndex(of: "("), trimmed.hasSuffix(")") {
            let function = String(trimmed[..<open])
            guard let transform = Transform(rawValue: function) else { throw .unknownTransform(function) }
            self.transform = transform
            inner = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]).trimmingSpaces
        } else {
            transform = nil
        }
        guard !inner.isEmpty || transform != nil else { throw .emptyName }
        path = inner == "." || inner.isEmpty ? [] : inner.split(separator: ".").map(String.init)
    }
}

/// A template that cannot be compiled, with the 1-based line and column of the problem.
public struct TemplateSyntaxError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Error, Sendable {
        case unclosedTag
        case unclosedSection(String)
        case mismatchedClose(expected: String, found: String)
        case unexpectedClose(String)
        case unknownTransform(String)
        case emptyName
        case setDelimiterUnsupported
        case contentInsideParent

        public var message: String {
            switch self {
            case .unclosedTag: return "a tag is not closed with }}"
            case let .unclosedSection(name): return "section '\(name)' is never closed ({{/\(name)}} missing)"
            case let .mismatchedClose(expected, found): return "{{/\(found)}} closes '\(expected)', which is still open"
            case let .unexpectedClose(name): return "{{/\(name)}} closes a section that was never opened"
            case let .unknownTransform(name): return "unknown function '\(name)()'"
            case .emptyName: return "a tag has no name"
            case .setDelimiterUnsupported: return "changing delimiters ({{=…=}}) is not supported"
            case .contentInsideParent: return "inside {{<parent}} only {{$block}} overrides may appear"
            }
        }
    }

    public let kind: Kind
    public let line: Int
    public let column: Int
    /// The text of the line, for the hint.
    public let lineText: String

    public var description: String { "line \(line), column \(column): \(kind.message)" }
}

extension CompiledTemplate {
    /// Compiles Mustache text; throws the first syntax error with its line and column.
    public init(_ source: String) throws(TemplateSyntaxError) {
        var parser = TemplateParser(bytes: Array(source.utf8))
        nodes = try parser.parse()
    }
}

private struct TemplateParser {
    let bytes: [UInt8]
    var position = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// An open section, inheritance parent or block while its body is read.
    struct Frame {
        enum Kind { case root, section(TemplateName, inverted: Bool), parent(String), block(String) }
        let kind: Kind
        let name: String
        let start: Int
        var nodes: [TemplateNode] = []
        var overrides: [String: [TemplateNode]] = [:]
    }

    mutating func parse() throws(TemplateSyntaxError) -> [TemplateNode] {
        var stack = [Frame(kind: .root, name: "", start: 0)]
        var text: [UInt8] = []
        func flush(_ stack: inout [Frame], _ text: inout [UInt8]) {
            if !text.isEmpty { stack[stack.count - 1].nodes.append(.text(text)) }
            text.removeAll(keepingCapacity: true)
        }
        while position < bytes.count {
            guard bytes[position] == UInt8(ascii: "{"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "{") else {
                text.append(bytes[position])
                position += 1
                continue
            }
            let tagStart = position
            var sigil = position + 2 < bytes.count ? bytes[position + 2] : 0
            let triple = sigil == UInt8(ascii: "{")
            let closing: [UInt8] = triple ? [125, 125, 125] : [125, 125]
            let nameStart = position + 2 + (triple || "&#^/!><$=".utf8.contains(sigil) ? 1 : 0)
            if !triple && !"&#^/!><$=".utf8.contains(sigil) { sigil = 0 }
            guard let close = find(closing, from: nameStart) else { throw error(.unclosedTag, at: tagStart) }
            let raw = String(decoding: bytes[nameStart..<close], as: UTF8.self)
            if raw.contains("{{") || (sigil != UInt8(ascii: "!") && raw.contains("\n")) { throw error(.unclosedTag, at: tagStart) }
            position = close + closing.count
            let canStandAlone = "#^/!><$".utf8.contains(sigil)
            if canStandAlone, let lineStart = standaloneLineStart(before: tagStart, text: text) {
                text.removeLast(tagStart - lineStart)
                skipLineEnd()
            }
            func name() throws(TemplateSyntaxError) -> TemplateName {
                do { return try TemplateName(parsing: raw) } catch { throw self.error(error, at: tagStart) }
            }
            switch sigil {
            case UInt8(ascii: "!"):
                continue
            case UInt8(ascii: "="):
                throw error(.setDelimiterUnsupported, at: tagStart)
            case UInt8(ascii: "#"), UInt8(ascii: "^"):
                flush(&stack, &text)
                let parsed = try name()
                stack.append(Frame(kind: .section(parsed, inverted: sigil == UInt8(ascii: "^")), name: parsed.text, start: tagStart))
            case UInt8(ascii: "<"):
                flush(&stack, &text)
                let partial = raw.trimmingSpaces
                stack.append(Frame(kind: .parent(partial), name: partial, start: tagStart))
            case UInt8(ascii: "$"):
                flush(&stack, &text)
                let block = raw.trimmingSpaces
                stack.append(Frame(kind: .block(block), name: block, start: tagStart))
            case UInt8(ascii: "/"):
                let closed = raw.trimmingSpaces
                guard stack.count > 1 else { throw error(.unexpectedClose(closed), at: tagStart) }
                guard stack[stack.count - 1].name == closed else {
                    throw error(.mismatchedClose(expected: stack[stack.count - 1].name, found: closed), at: tagStart)
                }
                if case .parent = stack[stack.count - 1].kind {
                    if text.contains(where: { $0 != 32 && $0 != 9 && $0 != 10 && $0 != 13 }) {
                        throw error(.contentInsideParent, at: tagStart)
                    }
                    text.removeAll()
                }
                flush(&stack, &text)
                let frame = stack.removeLast()
                switch frame.kind {
                case .root: break
                case let .section(name, inverted):
                    stack[stack.count - 1].nodes.append(.section(name, inverted: inverted, frame.nodes))
                case let .parent(name):
                    stack[stack.count - 1].nodes.append(.parent(name, overrides: frame.overrides))
                case let .block(name):
                    if case .parent = stack[stack.count - 1].kind {
                        stack[stack.count - 1].overrides[name] = frame.nodes
                    } else {
                        stack[stack.count - 1].nodes.append(.block(name, frame.nodes))
                    }
                }
            case UInt8(ascii: ">"):
                flush(&stack, &text)
                stack[stack.count - 1].nodes.append(.partial(raw.trimmingSpaces))
            default:
                if case .parent = stack[stack.count - 1].kind { throw error(.contentInsideParent, at: tagStart) }
                flush(&stack, &text)
                let escaped = !(triple || sigil == UInt8(ascii: "&"))
                stack[stack.count - 1].nodes.append(.variable(try name(), escaped: escaped))
            }
        }
        guard stack.count == 1 else {
            let open = stack[stack.count - 1]
            throw error(.unclosedSection(open.name), at: open.start)
        }
        flush(&stack, &text)
        return stack[0].nodes
    }

    func find(_ needle: [UInt8], from start: Int) -> Int? {
        var index = start
        while index + needle.count <= bytes.count {
            if bytes[index] == needle[0] && (needle.count < 2 || bytes[index + 1] == needle[1])
                && (needle.count < 3 || bytes[index + 2] == needle[2]) {
                return index
            }
            index += 1
        }
        return nil
    }

    /// When the tag ending at `position` is alone on its line, the index its line starts at.
    func standaloneLineStart(before tagStart: Int, text: [UInt8]) -> Int? {
        var lineStart = tagStart
        while lineStart > 0, bytes[lineStart - 1] != 10 {
            guard bytes[lineStart - 1] == 32 || bytes[lineStart - 1] == 9 else { return nil }
            lineStart -= 1
        }
        // Whitespace before the tag must be plain text of this line, not the tail of another tag.
        guard tagStart - lineStart <= text.count else { return nil }
        var after = position
        while after < bytes.count, bytes[after] == 32 || bytes[after] == 9 { after += 1 }
        guard after == bytes.count || bytes[after] == 10 || (bytes[after] == 13 && after + 1 < bytes.count && bytes[after + 1] == 10)
        else { return nil }
        return lineStart
    }

    mutating func skipLineEnd() {
        while position < bytes.count, bytes[position] == 32 || bytes[position] == 9 { position += 1 }
        if position < bytes.count, bytes[position] == 13 { position += 1 }
        if position < bytes.count, bytes[position] == 10 { position += 1 }
    }

    func error(_ kind: TemplateSyntaxError.Kind, at offset: Int) -> TemplateSyntaxError {
        var line = 1
        var lineStart = 0
        for index in 0..<min(offset, bytes.count) where bytes[index] == 10 {
            line += 1
            lineStart = index + 1
        }
        var lineEnd = lineStart
        while lineEnd < bytes.count, bytes[lineEnd] != 10 { lineEnd += 1 }
        let lineText = String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self)
        return TemplateSyntaxError(kind: kind, line: line, column: offset - lineStart + 1, lineText: lineText)
    }
}

extension String {
    var trimmingSpaces: String {
        var view = Substring(self)
        while let first = view.first, first == " " || first == "\t" || first == "\n" { view = view.dropFirst() }
        while let last = view.last, last == " " || last == "\t" || last == "\n" { view = view.dropLast() }
        return String(view)
    }
}
