/// Turns an imported WordPress description (HTML, often without `<p>` tags) into the Markdown
/// the catalog keeps, so it shows on the product page instead of being omitted as raw HTML.
///
/// Kept: paragraphs, line breaks, headings, bold, italic, strikethrough, code, preformatted blocks,
/// lists (nested), block quotes, rules, links and images whose address is absolute `http`,
/// `https` or `mailto` (others keep their text). Dropped with their content: `script`, `style`, `iframe` and the like.
/// Every other tag (`span`, `font`, tables…) gives its text. Event handlers and other attributes
/// never survive. Text outside tags follows WordPress's `wpautop`: a blank line is a paragraph
/// break, a single line break is a line break.
enum HTMLToMarkdown {
    static func convert(_ html: String) -> String {
        blocks(HTMLFragment.parse(html)).joined(separator: "\n\n")
    }

    /// All the text, on one line: tags dropped, entities decoded, whitespace collapsed.
    static func plainText(_ html: String) -> String {
        textContent(HTMLFragment.parse(html), blockSeparator: " ").split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    private static let lineBreak: Character = "\u{1}"
    private static let paragraphBreak: Character = "\u{2}"

    static func blocks(_ nodes: [HTMLNode]) -> [String] {
        var out: [String] = []
        var run: [HTMLNode] = []
        func flush() {
            out += paragraphs(inline(run))
            run = []
        }
        for node in nodes {
            if case let .element(name, _, children) = node, HTMLFragment.blockElements.contains(name) {
                flush()
                out += block(name, children)
            } else {
                run.append(node)
            }
        }
        flush()
        return out
    }

    static func block(_ name: String, _ children: [HTMLNode]) -> [String] {
        switch name {
        case "h1", "h2", "h3", "h4", "h5", "h6":
            let text = paragraphs(inline(children)).joined(separator: " ").replacingOccurrences(of: "\\\n", with: " ")
            return text.isEmpty ? [] : [String(repeating: "#", count: Int(name.dropFirst()) ?? 1) + " " + text]
        case "ul", "ol":
            var number = 0
            let items = children.compactMap { node -> String? in
                let content: [HTMLNode]
                if case let .element("li", _, inner) = node { content = inner } else { content = [node] }
                // A nested list follows its item's text directly; other blocks stay paragraphs.
                let text = blocks(content).enumerated().map { index, block in
                    index == 0 ? block : (isList(block) ? "\n" : "\n\n") + block
                }.joined()
                guard !text.isEmpty else { return nil }
                number += 1
                let marker = name == "ol" ? "\(number). " : "- "
                let indent = String(repeating: " ", count: marker.count)
                return marker + text.split(separator: "\n", omittingEmptySubsequences: false)
                    .enumerated().map { $0.offset == 0 || $0.element.isEmpty ? String($0.element) : indent + $0.element }
                    .joined(separator: "\n")
            }
            return items.isEmpty ? [] : [items.joined(separator: "\n")]
        case "blockquote":
            let inner = blocks(children).joined(separator: "\n\n")
            guard !inner.isEmpty else { return [] }
            return [inner.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? ">" : "> " + $0 }.joined(separator: "\n")]
        case "pre":
            var code = textContent(children, blockSeparator: "\n")
            if code.hasPrefix("\n") { code.removeFirst() }
            while code.hasSuffix("\n") { code.removeLast() }
            guard !code.isEmpty else { return [] }
            var fence = "```"
            while code.contains(fence) { fence += "`" }
            return [fence + "\n" + code + "\n" + fence]
        case "hr":
            return ["* * *"]
        case "tr":
            let cells = children.map { paragraphs(inline([$0])).joined(separator: " ") }.filter { !$0.isEmpty }
            return cells.isEmpty ? [] : [cells.joined(separator: " · ")]
        default:
            return blocks(children)
        }
    }

    static func isList(_ block: String) -> Bool {
        block.hasPrefix("- ") || (block.first?.isNumber == true && block.drop { $0.isNumber }.hasPrefix(". "))
    }

    /// Inline Markdown with `lineBreak` and `paragraphBreak` marks where the text breaks.
    static func inline(_ nodes: [HTMLNode]) -> String {
        var out = ""
        for node in nodes {
            switch node {
            case let .text(text):
                out += escaped(whitespace(text))
            case let .element(name, attributes, children):
                switch name {
                case "br": out.append(lineBreak)
                case "strong", "b": out += wrap("**", inline(children))
                case "em", "i", "cite": out += wrap("*", inline(children))
                case "del", "s", "strike": out += wrap("~~", inline(children))
                case "code", "kbd", "tt", "samp":
                    let code = textContent(children, blockSeparator: " ").replacingOccurrences(of: "\n", with: " ")
                    var ticks = "`"
                    while code.contains(ticks) { ticks += "`" }
                    out += code.isEmpty ? "" : ticks + (code.hasPrefix("`") ? " " : "") + code + (code.hasSuffix("`") ? " " : "") + ticks
                case "a":
                    let text = inline(children)
                    if let href = attributes["href"].flatMap(safeURL), !text.trimmingCharacters(in: .whitespaces).isEmpty {
                        out += wrap("", text) { "[\($0)](\(destination(href)))" }
                    } else {
                        out += text
                    }
                case "img":
                    let alt = escaped(attributes["alt", default: ""].split(whereSeparator: \.isWhitespace).joined(separator: " "))
                    if let source = attributes["src"].flatMap(safeURL) { out += "![\(alt)](\(destination(source)))" } else { out += alt }
                default:
                    out += HTMLFragment.blockElements.contains(name)
                        ? String(paragraphBreak) + blocks(children).joined(separator: String(paragraphBreak)) + String(paragraphBreak)
                        : inline(children)
                }
            }
        }
        return out
    }

    /// Splits marked inline text into Markdown paragraphs: line breaks become `\` + newline.
    static func paragraphs(_ marked: String) -> [String] {
        marked.split(separator: paragraphBreak).compactMap { part in
            let lines = part.split(separator: lineBreak)
                .map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
                .filter { !$0.isEmpty }
                .map(escapedLineStart)
            return lines.isEmpty ? nil : lines.joined(separator: "\\\n")
        }
    }

    /// WordPress's reading of whitespace in text: a blank line is a paragraph, a newline a break.
    static func whitespace(_ text: String) -> String {
        var out = ""
        var newlines = 0
        var pending = false
        for character in text {
            if character.isWhitespace {
                pending = true
                if character == "\n" { newlines += 1 }
                continue
            }
            if pending { out.append(newlines >= 2 ? paragraphBreak : newlines == 1 ? lineBreak : " ") }
            pending = false
            newlines = 0
            out.append(character)
        }
        if pending { out.append(newlines >= 2 ? paragraphBreak : newlines == 1 ? lineBreak : " ") }
        return out
    }

    /// `**` around the text, with the text's outer spaces moved outside (`** x**` is not bold).
    static func wrap(_ marker: String, _ text: String, _ make: ((String) -> String)? = nil) -> String {
        let edge: (Character) -> Bool = { $0 == " " || $0 == lineBreak || $0 == paragraphBreak }
        guard let first = text.firstIndex(where: { !edge($0) }), let last = text.lastIndex(where: { !edge($0) }) else { return text }
        let core = String(text[first...last])
        let wrapped = make?(core) ?? marker + core + marker
        return String(text[..<first]) + wrapped + String(text[text.index(after: last)...])
    }

    static func textContent(_ nodes: [HTMLNode], blockSeparator: String) -> String {
        nodes.map { node in
            switch node {
            case let .text(text): return text
            case .element("br", _, _): return "\n"
            case let .element(name, _, children):
                let inner = textContent(children, blockSeparator: blockSeparator)
                return HTMLFragment.blockElements.contains(name) ? blockSeparator + inner + blockSeparator : inner
            }
        }.joined()
    }

    /// Backslash-escapes what Markdown would read as syntax; `&` only where it would start a reference.
    static func escaped(_ text: String) -> String {
        var out = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "<" {
                // An entity, not `\<`: cmark-gfm's autolink extension reads `https://x\` with the
                // backslash, and the `<img …>` after it would then be raw HTML.
                out += "&lt;"
                index = text.index(after: index)
                continue
            } else if "`*_[]~|".contains(character) {
                out += "\\"
            } else if character == "\\" {
                // A backslash is literal unless punctuation follows (CommonMark §2.4): `\n` stays `\n`.
                let next = text.index(after: index) < text.endIndex ? text[text.index(after: index)] : nil
                if next.map({ $0.isASCII && $0.isPunctuation || $0.isASCII && $0.isSymbol }) ?? true { out += "\\" }
            } else if character == "&" {
                let tail = text[text.index(after: index)...].prefix(12)
                if let semicolon = tail.firstIndex(of: ";"), !tail[..<semicolon].isEmpty,
                   tail[..<semicolon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "#") }) {
                    out += "\\"
                }
            }
            out.append(character)
            index = text.index(after: index)
        }
        return out
    }

    /// A line that would start a heading, quote, list or rule is escaped at its first character.
    static func escapedLineStart(_ line: String) -> String {
        guard let first = line.first else { return line }
        if "#>-+=".contains(first) { return "\\" + line }
        let digits = line.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, let after = line.dropFirst(digits.count).first, after == "." || after == ")" {
            return digits + "\\" + line.dropFirst(digits.count)
        }
        return line
    }

    /// The address when it is safe to link: an absolute `http`, `https` or `mailto` URL. Relative
    /// addresses pointed into the old WordPress site, which the new one does not have (the build's
    /// link check would refuse them), so they keep only their text.
    static func safeURL(_ raw: String) -> String? {
        let url = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !url.isEmpty, !url.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return nil }
        guard let colon = url.firstIndex(of: ":"), !url[..<colon].contains(where: { "/?#".contains($0) }) else { return nil }
        return ["http", "https", "mailto"].contains(url[..<colon].lowercased()) ? url : nil
    }

    static func destination(_ url: String) -> String {
        url.replacingOccurrences(of: "\\", with: "%5C").replacingOccurrences(of: " ", with: "%20").replacingOccurrences(of: "(", with: "%28").replacingOccurrences(of: ")", with: "%29")
            .replacingOccurrences(of: "<", with: "%3C").replacingOccurrences(of: ">", with: "%3E")
    }
}
