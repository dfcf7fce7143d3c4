import ShopCore

/// A forgiving parse of an HTML fragment (a WordPress post body or excerpt) into a tree.
///
/// Not an HTML5 parser: no library for one is in the package mirror, and imported descriptions are
/// short editor output. It knows void elements, closes an open `p` or `li` where HTML would, drops
/// comments, and ignores an end tag with no open element of its name. Text is entity-decoded.
indirect enum HTMLNode: Equatable {
    case text(String)
    case element(name: String, attributes: [String: String], children: [HTMLNode])
}

enum HTMLFragment {
    static let voidElements: Set<String> = ["br", "hr", "img", "input", "meta", "link", "wbr", "col", "area", "base", "source", "embed"]
    /// Elements whose content is code or data, not text for the page.
    static let rawTextElements: Set<String> = ["script", "style", "textarea", "title", "xmp", "iframe", "noscript", "template"]
    static let blockElements: Set<String> = [
        "p", "div", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "tr", "hr",
        "section", "article", "header", "footer", "figure", "dl", "dt", "dd", "address", "aside", "nav", "main", "thead", "tbody", "tfoot",
    ]

    /// Open elements kept at most; deeper start tags are dropped (their text stays).
    static let maximumDepth = 128

    /// Text as the page may show it: C0 controls other than tab, line feed and carriage return
    /// (which `&#1;` could smuggle in, and which the converter uses as marks) become U+FFFD.
    static func cleaned(_ text: String) -> String {
        let isControl: (Unicode.Scalar) -> Bool = { $0.value < 0x20 && $0 != "\t" && $0 != "\n" && $0 != "\r" }
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { isControl($0) ? "\u{FFFD}" : $0 }))
    }

    /// The `>` that ends the tag starting at `text` (just after its `<`), skipping any inside quoted
    /// attribute values (`title="a > b"`); nil when none does.
    static func tagEnd(_ text: Substring) -> Substring.Index? {
        var quote: Character?
        var index = text.startIndex
        var afterEquals = false
        while index < text.endIndex {
            let character = text[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == ">" {
                return index
            } else if (character == "\"" || character == "'") && afterEquals {
                quote = character
            }
            if !character.isWhitespace { afterEquals = character == "=" && quote == nil }
            index = text.index(after: index)
        }
        return nil
    }

    static func parse(_ html: String) -> [HTMLNode] {
        var stack: [(name: String, attributes: [String: String], children: [HTMLNode])] = [("", [:], [])]
        func close() {
            let open = stack.removeLast()
            stack[stack.count - 1].children.append(.element(name: open.name, attributes: open.attributes, children: open.children))
        }
        func closeUntil(_ name: String) {
            guard let depth = stack.lastIndex(where: { $0.name == name }), depth > 0 else { return }
            while stack.count > depth { close() }
        }
        /// A new `li` closes the open one of the same list.
        func closeUntilList() {
            if let li = stack.lastIndex(where: { $0.name == "li" }), !stack[li...].contains(where: { $0.name == "ul" || $0.name == "ol" }) {
                while stack.count > li { close() }
            }
        }
        var text = ""
        func flushText() {
            if !text.isEmpty { stack[stack.count - 1].children.append(.text(cleaned(HTMLEntities.decode(text)))) }
            text = ""
        }
        var rest = Substring(html)
        while let lt = rest.firstIndex(of: "<") {
            text += rest[..<lt]
            let afterLT = rest[rest.index(after: lt)...]
            if afterLT.hasPrefix("!--") {
                flushText()
                rest = afterLT.range(of: "-->").map { afterLT[$0.upperBound...] } ?? ""
                continue
            }
            // The next character first: a `<` that starts no tag costs nothing more (no quadratic scan).
            guard let first = afterLT.first, first.isLetter || first == "/" || first == "!" || first == "?" else {
                text += "<"
                rest = afterLT
                continue
            }
            guard let gt = tagEnd(afterLT) else {
                // No tag closes after here: the rest is text.
                text += "<" + afterLT
                rest = ""
                break
            }
            flushText()
            let tag = afterLT[..<gt]
            rest = afterLT[afterLT.index(after: gt)...]
            if tag.first == "!" || tag.first == "?" { continue }
            if tag.first == "/" {
                let name = tag.dropFirst().prefix { $0.isLetter || $0.isNumber }.lowercased()
                closeUntil(name)
                continue
            }
            let name = tag.prefix { $0.isLetter || $0.isNumber }.lowercased()
            let attributes = self.attributes(tag.dropFirst(name.count))
            if rawTextElements.contains(name) {
                rest = rest.range(of: "</\(name)", options: .caseInsensitive).map { rest[$0.upperBound...] } ?? ""
                if let end = rest.firstIndex(of: ">") { rest = rest[rest.index(after: end)...] }
                continue
            }
            if blockElements.contains(name), let open = stack.last?.name, open == "p" { close() }
            if name == "li" { closeUntilList() }
            // Deeper than any editor writes: further tags give only their text, so the converter's
            // recursion stays shallow whatever the input.
            if stack.count > maximumDepth { continue }
            if voidElements.contains(name) {
                stack[stack.count - 1].children.append(.element(name: name, attributes: attributes, children: []))
            } else if !tag.hasSuffix("/") {
                stack.append((name, attributes, []))
            }
        }
        text += rest
        flushText()
        while stack.count > 1 { close() }
        return stack[0].children
    }

    /// `href="x" title='y' disabled` → `["href": "x", "title": "y", "disabled": ""]`, names lower-cased.
    static func attributes(_ text: Substring) -> [String: String] {
        var attributes: [String: String] = [:]
        var rest = text.drop { $0.isWhitespace || $0 == "/" }
        while !rest.isEmpty {
            let name = rest.prefix { !$0.isWhitespace && $0 != "=" && $0 != ">" }
            guard !name.isEmpty else { rest = rest.dropFirst(); continue }
            rest = rest.dropFirst(name.count).drop { $0.isWhitespace }
            var value = ""
            if rest.first == "=" {
                rest = rest.dropFirst().drop { $0.isWhitespace }
                if let quote = rest.first, quote == "\"" || quote == "'" {
                    let body = rest.dropFirst()
                    let end = body.firstIndex(of: quote) ?? body.endIndex
                    value = String(body[..<end])
                    rest = end == body.endIndex ? "" : body[body.index(after: end)...]
                } else {
                    let bare = rest.prefix { !$0.isWhitespace }
                    value = String(bare)
                    rest = rest.dropFirst(bare.count)
                }
            }
            attributes[name.lowercased()] = cleaned(HTMLEntities.decode(value))
            rest = rest.drop { $0.isWhitespace || $0 == "/" }
        }
        return attributes
    }
}
