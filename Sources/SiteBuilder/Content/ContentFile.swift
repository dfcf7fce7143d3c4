import Foundation
import SiteCore

/// A Markdown file under `content/`: its front matter and its body.
struct ContentFile {
    /// Path relative to the site folder, e.g. `content/products/noah.md`, as errors name it.
    let path: String
    /// The file name without `.md`.
    let stem: String
    let fields: YAMLFields
    /// The file's UTF-8 text.
    let bytes: [UInt8]
    var body: String { String(decoding: bytes[bodyStart...], as: UTF8.self) }
    /// The line of the file the body starts on, to turn Markdown line numbers into file lines.
    let bodyLine: Int
    /// Where the body starts in `bytes` (`ContentMemo` keeps it).
    let bodyStart: Int

    /// Splits `text` into YAML front matter between `---` lines and the Markdown body.
    init(path: String, text: String) throws(BuildError) {
        try self.init(path: path, bytes: Array(text.utf8))
    }

    /// Splits UTF-8 `bytes` (checked by the caller) into front matter and body.
    init(path: String, bytes: [UInt8]) throws(BuildError) {
        self.path = path
        let name = (path as NSString).lastPathComponent
        stem = name.hasSuffix(".md") ? String(name.dropLast(3)) : name
        self.bytes = bytes
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        guard let firstLineEnd = Self.delimiterLineEnd(bytes, at: start) else {
            fields = try YAMLFields(yaml: "", file: path)
            bodyLine = 1
            bodyStart = start
            return
        }
        // Find the closing `---` line, counting lines on the way.
        var line = 2
        var lineStart = firstLineEnd
        var closing: (yamlEnd: Int, bodyStart: Int)?
        while lineStart < bytes.count {
            if let end = Self.delimiterLineEnd(bytes, at: lineStart) {
                closing = (lineStart, end)
                break
            }
            guard let newline = bytes[lineStart...].firstIndex(of: 10) else { break }
            lineStart = newline + 1
            line += 1
        }
        guard let closing else {
            throw BuildError(
                file: path, line: 1, message: "front matter starts with `---` but never ends",
                hint: "close it with a line holding only `---`")
        }
        fields = try YAMLFields(yaml: String(decoding: bytes[firstLineEnd..<closing.yamlEnd], as: UTF8.self), file: path, lineOffset: 1)
        bodyLine = line + 1
        bodyStart = closing.bodyStart
    }

    /// When the line starting at `index` is exactly `---`, the index just past its line end.
    private static func delimiterLineEnd(_ bytes: [UInt8], at index: Int) -> Int? {
        guard index + 3 <= bytes.count, bytes[index] == 45, bytes[index + 1] == 45, bytes[index + 2] == 45 else { return nil }
        var end = index + 3
        if end < bytes.count, bytes[end] == 13 { end += 1 }
        if end == bytes.count { return end }
        return bytes[end] == 10 ? end + 1 : nil
    }
}
