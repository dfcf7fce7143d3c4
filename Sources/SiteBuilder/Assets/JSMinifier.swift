/// A conservative JavaScript minifier: drops comments, indentation and spaces next to punctuation,
/// and keeps line breaks, so automatic semicolon insertion reads the code exactly as before.
/// Strings, template literals and regular expressions are copied untouched.
enum JSMinifier {
    static func minify(_ source: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(source.count)
        var index = 0
        var pendingSpace = false, pendingNewline = false
        // The last significant byte written, to tell a regex literal from a division.
        var last: UInt8 = 10
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
                let end = skipQuoted(source, from: index, quote: byte)
                out.append(contentsOf: source[index..<end])
                index = end
                last = byte
            case 47 where "(,=:[!&|?{};+-*%<>~^\n".utf8.contains(last) || out.isEmpty:
                flush(before: byte)
                let end = skipRegex(source, from: index)
                out.append(contentsOf: source[index..<end])
                index = end
                last = 47
            default:
                flush(before: byte)
                out.append(byte)
                last = byte
                index += 1
            }
        }
        return out
    }

    /// The index just past a quoted string or template literal starting at `start`.
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
