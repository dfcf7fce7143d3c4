import Foundation
import ShopCore
import SiteCore

/// The Mustache templates a site renders with: the built-in theme, with any file in the site's
/// `templates/` folder replacing the built-in one of the same name.
struct Theme: Sendable {
    /// Where a template came from, to point errors at the right file and line.
    struct Source: Sendable {
        let path: String
        let text: String
    }

    let library: TemplateLibrary
    let sources: [String: Source]

    /// Templates every site must be able to render a page kind with.
    static let pageTemplates = [
        "home", "shop", "niche", "product", "bundles", "bundle", "plans", "free", "magnet", "page", "cart", "thank-you",
        "account", "search", "not-found",
    ]

    /// The built-in theme, read and compiled once a process: `sitegen build --sites` builds many
    /// sites with it.
    private static let builtIn: [String: (source: Source, compiled: CompiledTemplate?)] = {
        var templates: [String: (Source, CompiledTemplate?)] = [:]
        for (name, bytes) in BuiltInTheme.templates {
            let text = String(decoding: bytes, as: UTF8.self)
            templates[name] = (Source(path: "(built-in theme)/\(name).mustache", text: text), try? CompiledTemplate(text))
        }
        return templates
    }()

    static func load(siteFolder: String) throws(BuildError) -> Theme {
        var sources: [String: Source] = [:]
        var compiled: [String: CompiledTemplate] = [:]
        for (name, template) in builtIn {
            sources[name] = template.source
            compiled[name] = template.compiled
        }
        let folder = siteFolder + "/templates"
        for file in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where file.hasSuffix(".mustache") {
            let path = "templates/" + file
            guard let data = FileManager.default.contents(atPath: folder + "/" + file), let text = TextInput.normalized(data)
            else { throw BuildError(file: path, message: "cannot read the template as UTF-8 text") }
            let name = String(file.dropLast(".mustache".count))
            sources[name] = Source(path: path, text: text)
            compiled[name] = nil
        }
        var diagnostics: [Diagnostic] = []
        for name in sources.keys.sorted() where compiled[name] == nil {
            let source = sources[name]!
            do {
                compiled[name] = try CompiledTemplate(source.text)
            } catch {
                diagnostics.append(Diagnostic(
                    file: source.path, line: error.line, column: error.column, message: "template error: \(error.kind.message)",
                    hint: "near: \(error.lineText.trimmingCharacters(in: .whitespacesAndNewlines))"))
            }
        }
        for name in sources.keys.sorted() {
            let source = sources[name]!
            for reference in PartialReference.scan(source.text) where sources[reference.name] == nil {
                diagnostics.append(Diagnostic(
                    file: source.path, line: reference.line,
                    message: "template error: partial '\(reference.name)' does not exist",
                    hint: "templates: \(sources.keys.sorted().joined(separator: ", "))"))
            }
        }
        guard diagnostics.isEmpty else { throw BuildError(diagnostics) }
        return Theme(library: TemplateLibrary(templates: compiled), sources: sources)
    }

    func render(_ name: String, _ context: TemplateValue) -> [UInt8] {
        library.render(name, context)
    }

    /// The template file and line holding `literal`, searching `name` and the partials it uses.
    func locate(_ literal: String, startingAt name: String) -> (path: String, line: Int)? {
        for used in uses(name) {
            guard let source = sources[used], let range = source.text.range(of: literal) else { continue }
            let line = source.text[..<range.lowerBound].reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
            return (source.path, line)
        }
        return nil
    }

    /// For every template, a hash of its text and of every partial and parent it uses, transitively:
    /// what a page rendered with it depends on in the theme. Each template's text is scanned once
    /// (scanning each one's closure again was a fifth of `PageInputs` at 10,000 products, perf).
    func closureHashes() -> [String: UInt64] {
        let references = sources.mapValues { PartialReference.scan($0.text).map(\.name) }
        return sources.keys.reduce(into: [:]) { hashes, name in
            hashes[name] = StableHash.of { hash in
                for used in uses(name, references: { references[$0] ?? [] }) {
                    hash.combine(used)
                    hash.combine(sources[used]?.text ?? "\u{0}")
                }
            }
        }
    }

    /// `name` and every partial and parent it uses, transitively, breadth first in the order each
    /// template names them (a name the theme lacks is listed; it uses nothing).
    func uses(_ name: String) -> [String] {
        uses(name) { sources[$0].map { PartialReference.scan($0.text).map(\.name) } ?? [] }
    }

    private func uses(_ name: String, references: (String) -> [String]) -> [String] {
        var order: [String] = []
        var queue = [name]
        var seen = Set<String>()
        while !queue.isEmpty {
            let current = queue.removeFirst()
            guard seen.insert(current).inserted else { continue }
            order.append(current)
            queue += references(current)
        }
        return order
    }
}

/// A `{{>partial}}` or `{{<parent}}` reference in template text.
struct PartialReference {
    let name: String
    let line: Int

    static func scan(_ text: String) -> [PartialReference] {
        var references: [PartialReference] = []
        var line = 1
        var rest = Substring(text)
        while let open = rest.firstIndex(where: { $0 == "{" || $0 == "\n" }) {
            if rest[open] == "\n" {
                line += 1
                rest = rest[rest.index(after: open)...]
                continue
            }
            let tail = rest[open...]
            if tail.hasPrefix("{{>") || tail.hasPrefix("{{<"), let close = tail.range(of: "}}") {
                let name = tail[tail.index(open, offsetBy: 3)..<close.lowerBound].trimmingCharacters(in: .whitespaces)
                if !name.isEmpty { references.append(PartialReference(name: name, line: line)) }
                rest = tail[close.upperBound...]
            } else {
                rest = rest[rest.index(after: open)...]
            }
        }
        return references
    }
}
