/// One thing wrong with a site, located as precisely as the input allows: the one type every
/// error of a build is reported as (catalog, content, front matter, shortcodes, templates, links,
/// assets, output), printed the way compilers print theirs (`file:line:column: error: message`), so
/// editors and CI annotations can jump to it.
public struct Diagnostic: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file at fault, relative to the site folder where possible.
    public var file: String
    /// 1-based line, when known.
    public var line: Int?
    /// 1-based column, when known (template errors count UTF-8 bytes).
    public var column: Int?
    public var message: String
    public var hint: String?

    public init(file: String, line: Int? = nil, column: Int? = nil, message: String, hint: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.hint = hint
    }

    public var description: String {
        var location = file
        if let line {
            location += ":\(line)"
            if let column { location += ":\(column)" }
        }
        return "\(location): error: \(message)" + (hint.map { "\n  hint: \($0)" } ?? "")
    }
}

/// Why a build failed: every problem found, so an editor can fix them in one go.
public struct BuildError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public init(_ diagnostic: Diagnostic) { self.diagnostics = [diagnostic] }

    public init(file: String, line: Int? = nil, column: Int? = nil, message: String, hint: String? = nil) {
        self.diagnostics = [Diagnostic(file: file, line: line, column: column, message: message, hint: hint)]
    }

    public var description: String {
        let shown = diagnostics.prefix(50).map(\.description).joined(separator: "\n")
        let more = diagnostics.count > 50 ? "\n… and \(diagnostics.count - 50) more" : ""
        return shown + more + "\nbuild failed: \(diagnostics.count) error\(diagnostics.count == 1 ? "" : "s")"
    }
}
