/// A conservative JavaScript minifier: drops comments, indentation and spaces next to punctuation,
/// and keeps line breaks, so automatic semicolon insertion reads the code exactly as before.
/// Strings, template literals (with `${…}` nested to any depth) and regular expressions are copied
/// untouched; a `/` starts a regular expression after an operator, an opening bracket or a keyword
/// such as `return` or `typeof`, and is a division after a name, a number, `)` `]` or `++`.
///
/// It runs on the built-in storefront script only (`AssetPipeline`), which its tests run through
/// Node before and after; a site's own scripts, libraries included, are copied byte for byte. No
/// real minifier is reachable here (esbuild and terser come from npm), and ours is a few dozen lines.
enum JSMinifier {
    /// Keywords after which `/` begins a regular expression literal, not a division.
    static let regexKeywords: Set<[UInt8]> = Set(
        ["return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case", "do", "else", "yield", "await"]
            .map { Array($0.utf8) })

    static func minify(_ source: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(source.count)
        var index = 0
        var pendingSpace = false, pendingNewline = false
        // The last significant byte written, and the word it ends, to tell a regex from a division.
        var last: UInt8 = 10
        var lastWord: [UInt8] = []
        var previousLast: UInt8 = 10
        func isWord(_ byte: UInt8) -> Bool {
            (byte >= 97 && byte <= 122) || (byte >= 65 && byte <= 90) || (byte >= 48 && byte <= 57) || byte == 95 || byte == 36 || byte >= 128
        }
        func flush(before next: UInt8) {
            if pendingNewline && !out.isEmpty {
                out.append(10)
            } else if pendingSpace && !out.isEmpty {
                let previous = out[out.count - 1]
                // A space survives only between two word characters, or where `+ +` / `- -` would merge.
                if (isWord(previous) && isWord(next)) || (previous == next && (next == 43 || next == 45)) { out.append(32) }
            }
            pendingSpace = false
            pendingNewline = false
        }
        while index < source.count {
            let byte = source[index]
            switch byte {
            case 32, 9, 13:
                pendingSpace = true
                index += 1
            case 10:
                pendingNewline = true
                index += 1
            case 47 where index + 1 < source.count && source[index + 1] == 47:
                while index < source.count && source[index] != 10 { index += 1 }
            case 47 where index + 1 < source.count && source[index + 1] == 42:
                index += 2
                while index + 1 < source.count && !(source[index] == 42 && source[index + 1] == 47) {
                    if source[index] == 10 { pendingNewline = true }
                    index += 1
                }
                index += 2
                pendingSpace = true
            case 34, 39, 96:
                flush(before: byte)
                let end = byte == 96 ? skipTemplate(source, from: index) : skipQuoted(source, from: index, quote: byte)
                out.append(contentsOf: source[index..<end])
                index = end
                last = byte
                lastWord = []
            case 47 where startsRegex(last: last, previous: previousLast, word: lastWord) || out.isEmpty:
                flush(before: byte)
                let end = skipRegex(source, from: index)
                out.append(contentsOf: source[index..<end])
                index = end
                last = 47
                lastWord = []
            default:
                flush(before: byte)
                out.append(byte)
                if isWord(byte) { lastWord = isWord(last) ? lastWord + [byte] : [byte] } else { lastWord = [] }
                previousLast = last
                last = byte
                index += 1
            }
        }
        return out
    }

    /// Whether a `/` after `last` (and the byte before it, and the word it ends) opens a regex.
    static func startsRegex(last: UInt8, previous: UInt8, word: [UInt8]) -> Bool {
        if !word.isEmpty { return regexKeywords.contains(word) }
        // `a++ / 2` and `a-- / 2` divide; a lone `+` or `-` is an operator before an operand.
        if (last == 43 || last == 45) && previous == last { return false }
        return "(,=:[!&|?{};+-*%<>~^\n".utf8.contains(last)
    }

    /// The index just past a template literal starting at `start`, with `${…}` substitutions
    /// (which may hold strings, comments and further templates) skipped as code.
    private static func skipTemplate(_ source: [UInt8], from start: Int) -> Int {
        var index = start + 1
        while index < source.count {
            let byte = source[index]
            if byte == 92 { index += 2; continue }
            if byte == 96 { return index + 1 }
            if byte == 36, index + 1 < source.count, source[index + 1] == 123 {
                index = skipSubstitution(source, from: index + 2)
                continue
            }
            index += 1
        }
        return source.count
    }

    /// The index just past the `}` closing a `${` whose code starts at `start`.
    private static func skipSubstitution(_ source: [UInt8], from start: Int) -> Int {
        var depth = 1
        var index = start
        while index < source.count {
            switch source[index] {
            case 123: depth += 1; index += 1
            case 125:
                depth -= 1
                index += 1
                if depth == 0 { return index }
            case 34, 39: index = skipQuoted(source, from: index, quote: source[index])
            case 96: index = skipTemplate(source, from: index)
            default: index += 1
            }
        }
        return source.count
    }

    /// The index just past a quoted string starting at `start`.
    private static func skipQuoted(_ source: [UInt8], from start: Int, quote: UInt8) -> Int {
        var index = start + 1
        while index < source.count {
            if source[index] == 92 { index += 2; continue }
            if source[index] == quote { return index + 1 }
            index += 1
        }
        return source.count
    }

    /// The index just past a regular expression literal (and its flags) starting at `start`.
    private static func skipRegex(_ source: [UInt8], from start: Int) -> Int {
        var index = start + 1
        var inClass = false
        while index < source.count && source[index] != 10 {
            let byte = source[index]
            if byte == 92 { index += 2; continue }
            if byte == 91 { inClass = true } else if byte == 93 { inClass = false } else if byte == 47 && !inClass { index += 1; break }
            index += 1
        }
        while index < source.count, (source[index] >= 97 && source[index] <= 122) { index += 1 }
        return index
    }
}
