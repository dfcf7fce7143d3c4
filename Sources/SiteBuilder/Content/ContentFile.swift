import Foundation

/// A Markdown file under `content/`: its front matter and its body.
struct ContentFile {
    /// Path relative to the site folder, e.g. `content/products/noah.md`, as errors name it.
    let path: String
    /// The file name without `.md`.
    let stem: String
    let fields: YAMLFields
    let body: String
    /// The line of the file the body starts on, to turn Markdown line numbers into file lines.
    let bodyLine: Int

    /// Splits `text` into YAML front matter between `---` lines and the Markdown body.
    init(path: String, text: String) throws(BuildError) {
        self.path = path
        let name = (path as NSString).lastPathComponent
        stem = name.hasSuffix(".md") ? String(name.dropLast(3)) : name
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.first?.hasPrefix("\u{FEFF}") == true { lines[0] = lines[0].dropFirst() }
        guard lines.first.map({ $0.trimmingTrailingCR == "---" }) == true else {
            fields = try YAMLFields(yaml: "", file: path)
            body = text
            bodyLine = 1
            return
        }
        guard let end = lines.dropFirst().firstIndex(where: { $0.trimmingTrailingCR == "---" }) else {
            throw BuildError(
                file: path, line: 1, message: "front matter starts with `---` but never ends",
                hint: "close it with a line holding only `---`")
        }
        let yaml = lines[1..<end].joined(separator: "\n")
        fields = try YAMLFields(yaml: yaml, file: path, lineOffset: 1)
        body = lines[(end + 1)...].joined(separator: "\n")
        bodyLine = end + 2
    }
}

extension Substring {
    var trimmingTrailingCR: Substring { last == "\r" ? dropLast() : self }
}
