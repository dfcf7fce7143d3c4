/// Compiled templates by name (each usable as a page template, a partial or an inheritance parent).
public struct TemplateLibrary: Sendable {
    public let templates: [String: CompiledTemplate]
    /// HTML-escape `{{x}}` (pages); plain-text templates such as emails turn it off.
    public let escapesHTML: Bool

    public init(templates: [String: CompiledTemplate], escapesHTML: Bool = true) {
        self.templates = templates
        self.escapesHTML = escapesHTML
    }

    /// Whether a template of that name exists.
    public func contains(_ name: String) -> Bool { templates[name] != nil }

    /// Renders template `name` with `context` as UTF-8 bytes.
    public func render(_ name: String, _ context: TemplateValue, sizeHint: Int = 16_384) -> [UInt8] {
        var renderer = TemplateRenderer(library: self, stack: [context])
        renderer.output.reserveCapacity(sizeHint)
        if let template = templates[name] { renderer.render(template.nodes) }
        return renderer.output
    }
}

private struct TemplateRenderer {
    let library: TemplateLibrary
    var stack: [TemplateValue]
    var output: [UInt8] = []
    /// Position in the innermost list being looped over, for `first()`, `last()` and `index()`.
    var loops: [(index: Int, count: Int)] = []
    /// Block overrides of the templates inheriting, outermost first.
    var overrides: [[String: [TemplateNode]]] = []

    init(library: TemplateLibrary, stack: [TemplateValue]) {
        self.library = library
        self.stack = stack
    }

    mutating func render(_ nodes: [TemplateNode]) {
        for node in nodes {
            switch node {
            case let .text(bytes):
                output.append(contentsOf: bytes)
            case let .variable(name, escaped):
                switch resolve(name) {
                case let .text(text):
                    if escaped && library.escapesHTML { appendEscaped(text) } else { output.append(contentsOf: text.utf8) }
                case let .int(number):
                    output.append(contentsOf: String(number).utf8)
                case let .bool(flag):
                    output.append(contentsOf: (flag ? "true" : "false").utf8)
                default:
                    break
                }
            case let .section(name, inverted, children):
                let value = resolve(name)
                if inverted {
                    if !value.isTruthy { render(children) }
                    continue
                }
                switch value {
                case let .list(items):
                    for (position, item) in items.enumerated() {
                        stack.append(item)
                        loops.append((position, items.count))
                        render(children)
                        loops.removeLast()
                        stack.removeLast()
                    }
                case .object, .text, .int:
                    guard value.isTruthy else { continue }
                    stack.append(value)
                    render(children)
                    stack.removeLast()
                case let .bool(flag):
                    if flag { render(children) }
                case .null:
                    break
                }
            case let .partial(name):
                if let template = library.templates[name] { render(template.nodes) }
            case let .parent(name, blockOverrides):
                guard let template = library.templates[name] else { continue }
                overrides.append(blockOverrides)
                render(template.nodes)
                overrides.removeLast()
            case let .block(name, defaults):
                if let replacement = overrides.first(where: { $0[name] != nil })?[name] {
                    // The override renders with the blocks of the parents it sits in, not its own.
                    let saved = overrides
                    overrides = Array(overrides.prefix { $0[name] == nil })
                    render(replacement)
                    overrides = saved
                } else {
                    render(defaults)
                }
            }
        }
    }

    /// Looks `name` up: its first component from the innermost context outwards, the rest inside it.
    func resolve(_ name: TemplateName) -> TemplateValue {
        var value: TemplateValue
        if name.path.isEmpty {
            value = stack.last ?? .null
        } else {
            value = .null
            for context in stack.reversed() {
                if let found = context[member: name.path[0]] {
                    value = found
                    break
                }
            }
            for component in name.path.dropFirst() {
                value = value[member: component] ?? .null
            }
        }
        guard let transform = name.transform else { return value }
        switch transform {
        case .empty: return .bool(!value.isTruthy)
        case .count:
            if case let .list(items) = value { return .int(items.count) }
            return .int(0)
        case .first: return .bool(loops.last.map { $0.index == 0 } ?? false)
        case .last: return .bool(loops.last.map { $0.index == $0.count - 1 } ?? false)
        case .index: return .int(loops.last?.index ?? 0)
        case .uppercased, .lowercased, .capitalized:
            guard case let .text(text) = value else { return value }
            switch transform {
            case .uppercased: return .text(text.uppercased())
            case .lowercased: return .text(text.lowercased())
            default: return .text(text.prefix(1).uppercased() + text.dropFirst())
            }
        }
    }

    /// Appends `text` with `& < > " '` replaced by entities, copying runs that need none in one go.
    mutating func appendEscaped(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var runStart = 0
            for index in 0..<bytes.count {
                let entity: StaticString
                switch bytes[index] {
                case 38: entity = "&amp;"
                case 60: entity = "&lt;"
                case 62: entity = "&gt;"
                case 34: entity = "&quot;"
                case 39: entity = "&#39;"
                default: continue
                }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                output.append(contentsOf: UnsafeBufferPointer(start: entity.utf8Start, count: entity.utf8CodeUnitCount))
                runStart = index + 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        }
    }
}
