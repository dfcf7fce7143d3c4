import SiteCore
import Foundation

/// A card embedded in Markdown with `{{< product "SKU" >}}` or `{{< bundle "slug" >}}` on a line of its own.
struct Embed: Sendable, Hashable {
    enum Kind: String, Sendable { case product, bundle }
    let kind: Kind
    /// The SKU or bundle slug.
    let key: String
    /// The line in the Markdown text.
    let line: Int

    /// The placeholder paragraph standing in for embed `index` until the HTML is rendered.
    static func marker(_ index: Int) -> String { "SITEGENEMBED\(index)X" }

    /// Markdown with embeds replaced by marker paragraphs.
    struct Extracted {
        let markdown: String
        let embeds: [Embed]
        /// The original line of each line of `markdown` (1-based, index 0 unused); empty when nothing moved.
        let originalLines: [Int]

        func originalLine(_ line: Int) -> Int {
            originalLines.indices.contains(line) ? originalLines[line] : line
        }
    }

    /// Replaces embed lines with marker paragraphs, returning the embeds in order.
    /// Throws for a line that looks like a shortcode but is not one we know, naming the line.
    static func extract(from markdown: String) throws(Diagnostic) -> Extracted {
        guard markdown.utf8.containsShortcodeOpening else { return Extracted(markdown: markdown, embeds: [], originalLines: []) }
        var embeds: [Embed] = []
        var lines: [Substring] = []
        var originalLines = [0]
        var number = 0
        var fence: (mark: Character, count: Int)?
        // Carried from line to line: an open HTML comment, and a code span's backtick run (a blank
        // line ends the paragraph and any span).
        var inComment = false
        var openTicks: Int?
        let all = markdown.split(separator: "\n", omittingEmptySubsequences: false)
        for (position, line) in all.enumerated() {
            number += 1
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            // Inside a fenced code block (CommonMark: 3 or more ` or ~, closed by at least as many), `{{<` is text.
            let run = Self.fenceRun(trimmed)
            if let open = fence {
                if let run, run.mark == open.mark, run.count >= open.count, trimmed.dropFirst(run.count).allSatisfy(\.isWhitespace) { fence = nil }
            } else if let run {
                fence = run
            }
            if trimmed.isEmpty { openTicks = nil }
            let inCode = fence != nil || run != nil
            let startsOutside = !inComment && openTicks == nil
            // The rest of the paragraph, where a code span opened on this line may close.
            let rest = trimmed.contains("`") ? all[(position + 1)...].prefix { !$0.allSatisfy(\.isWhitespace) } : all[all.endIndex...]
            let opensOutside = !inCode && Self.scan(trimmed, inComment: &inComment, openTicks: &openTicks, paragraphRest: rest)
            guard !inCode, startsOutside, trimmed.hasPrefix("{{<") else {
                // Elsewhere a shortcode within a paragraph would be published as its text; indented
                // code, code spans and HTML comments may show one.
                if opensOutside, !(line.hasPrefix("    ") || line.hasPrefix("\t")) {
                    throw Diagnostic(
                        file: "", line: number, message: "a shortcode must stand on a line of its own",
                        hint: "put {{< product \"SKU\" >}} on its own line, or write it in `code` to show it as text")
                }
                lines.append(line)
                originalLines.append(number)
                continue
            }
            guard trimmed.hasSuffix(">}}") else {
                throw Diagnostic(file: "", line: number, message: "shortcode is not closed with >}}", hint: "write {{< product \"SKU\" >}} on its own line")
            }
            let inner = trimmed.dropFirst(3).dropLast(3).trimmingCharacters(in: .whitespaces)
            let parts = inner.split(separator: " ", maxSplits: 1)
            guard let name = parts.first, let kind = Kind(rawValue: String(name)) else {
                throw Diagnostic(
                    file: "", line: number, message: "unknown shortcode '\(parts.first ?? "")'", hint: "shortcodes: product, bundle")
            }
            var argument = parts.count > 1 ? String(parts[1]).trimmingCharacters(in: .whitespaces) : ""
            for prefix in ["sku=", "slug="] where argument.hasPrefix(prefix) { argument.removeFirst(prefix.count) }
            if argument.count >= 2, argument.first == "\"", argument.last == "\"" { argument = String(argument.dropFirst().dropLast()) }
            guard !argument.isEmpty, !argument.contains(" ") else {
                throw Diagnostic(
                    file: "", line: number, message: "the \(kind.rawValue) shortcode needs one \(kind == .product ? "SKU" : "bundle slug")",
                    hint: "write {{< \(kind.rawValue) \"\(kind == .product ? "SKU" : "slug")\" >}}")
            }
            lines += ["", Substring(marker(embeds.count)), ""]
            originalLines += [number, number, number]
            embeds.append(Embed(kind: kind, key: argument, line: number))
        }
        return Extracted(markdown: lines.joined(separator: "\n"), embeds: embeds, originalLines: originalLines)
    }

    /// The run of 3 or more backticks or tildes a line starts with (a code fence), if any.
    static func fenceRun(_ trimmed: String) -> (mark: Character, count: Int)? {
        guard let mark = trimmed.first, mark == "`" || mark == "~" else { return nil }
        let count = trimmed.prefix { $0 == mark }.count
        return count >= 3 ? (mark, count) : nil
    }

    /// Whether `line` holds `{{<` outside code spans (a run of backticks to the next run of as
    /// many, perhaps on a later line of the paragraph, `paragraphRest`: `openTicks`) and HTML
    /// comments (`inComment`: an open `<!--` to a later line). A run no run of as many follows in the
    /// paragraph opens no span: it is text (CommonMark 0.31, 6.1), and the line after it is not code.
    static func scan(_ line: String, inComment: inout Bool, openTicks: inout Int?, paragraphRest: ArraySlice<Substring> = []) -> Bool {
        guard line.utf8.containsShortcodeOpening || inComment || openTicks != nil || line.contains("<!--") || line.contains("`")
        else { return false }
        let characters = Array(line)
        var index = 0
        var found = false
        func starts(_ text: String, at position: Int) -> Bool {
            let needle = Array(text)
            return position + needle.count <= characters.count && Array(characters[position..<position + needle.count]) == needle
        }
        while index < characters.count {
            if inComment {
                if starts("-->", at: index) { inComment = false; index += 3 } else { index += 1 }
            } else if let ticks = openTicks {
                let run = characters[index...].prefix { $0 == "`" }.count
                if run == ticks { openTicks = nil }
                index += max(run, 1)
            } else if starts("<!--", at: index) {
                inComment = true
                index += 4
            } else if characters[index] == "`" {
                let run = characters[index...].prefix { $0 == "`" }.count
                if Self.hasRun(of: run, in: characters[(index + run)...]) || paragraphRest.contains(where: { Self.hasRun(of: run, in: Array($0)[...]) }) {
                    openTicks = run
                }
                index += run
            } else if starts("{{<", at: index) {
                found = true
                index += 3
            } else {
                index += 1
            }
        }
        return found
    }
}

extension Embed {
    /// Whether `characters` hold a run of exactly `count` backticks (a code span's closing run).
    static func hasRun(of count: Int, in characters: ArraySlice<Character>) -> Bool {
        var index = characters.startIndex
        while index < characters.endIndex {
            guard characters[index] == "`" else {
                index += 1
                continue
            }
            let run = characters[index...].prefix { $0 == "`" }.count
            if run == count { return true }
            index += run
        }
        return false
    }
}

extension String.UTF8View {
    /// Whether the text holds `{{<`, checked without Foundation's slower string search.
    var containsShortcodeOpening: Bool {
        var braces = 0
        for byte in self {
            if byte == UInt8(ascii: "{") {
                braces += 1
            } else {
                if byte == UInt8(ascii: "<") && braces >= 2 { return true }
                braces = 0
            }
        }
        return false
    }
}
