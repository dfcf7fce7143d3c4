import Foundation

/// Text files as editors and other programs write them, read the same way everywhere.
///
/// A Windows checkout (`core.autocrlf=true`) turns every line ending into CR LF, old Mac editors
/// write a lone CR, and some editors start UTF-8 files with a byte-order mark. CommonMark (§2.1) and
/// YAML 1.2 (§5.4) both count CR LF and CR as one line ending, so every reader of site files goes
/// through `normalized`: the same site gives the same output, and errors name the same lines,
/// whichever way its files were saved. (Swift's own `split(separator: "\n")` does not see a line end
/// in CR LF: the pair is one `Character`.)
public enum TextInput {
    /// The UTF-8 text of `bytes` with a leading byte-order mark removed and every CR LF and lone CR
    /// made LF; nil when the bytes are not UTF-8.
    public static func normalized(_ bytes: some Collection<UInt8>) -> String? {
        // Contiguous bytes (Data, arrays) take the fast path: a generic walk over `Data` from another
        // module is not specialized, and it was a fifth of reading 10,000 content files.
        if let text = bytes.withContiguousStorageIfAvailable({ normalized(buffer: $0) }) { return text }
        return normalized(buffer: Array(bytes))
    }

    private static func normalized(buffer bytes: UnsafeBufferPointer<UInt8>) -> String? {
        let hasBOM = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
        guard hasBOM || (bytes.count > 0 && memchr(bytes.baseAddress!, 0x0D, bytes.count) != nil) else {
            return String(validating: bytes, as: UTF8.self)
        }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var previousWasCR = false
        for byte in bytes.dropFirst(hasBOM ? 3 : 0) {
            if byte == 0x0A && previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = byte == 0x0D
            output.append(previousWasCR ? 0x0A : byte)
        }
        return String(validating: output, as: UTF8.self)
    }

    private static func normalized(buffer bytes: [UInt8]) -> String? {
        bytes.withUnsafeBufferPointer { normalized(buffer: $0) }
    }

    /// `normalized` for text already in a `String` (a BOM or CR still in it, as some readers leave them).
    public static func normalized(_ text: String) -> String {
        normalized(Array(text.utf8)) ?? text
    }
}
