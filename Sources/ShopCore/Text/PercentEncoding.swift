/// RFC 3986 percent-encoding over UTF-8 bytes.
public enum PercentEncoding {
    /// Escapes every byte but the unreserved characters `A–Z a–z 0–9 - . _ ~` (RFC 3986 §2.3), which
    /// is also RFC 5987's `attr-char` set minus a few it allows, so the result is safe in both.
    /// `CharacterSet.alphanumerics` is not: it keeps non-ASCII letters such as `é` unescaped.
    public static func unreserved(_ text: String) -> String {
        // Most text (a slug) needs no escape: returned as it is, not rebuilt byte by byte (the rebuild
        // was a third of working out 10,000 product pages' paths, perf).
        if text.utf8.allSatisfy(isUnreserved) { return text }
        let hex = Array("0123456789ABCDEF".utf8)
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) {
                output.append(byte)
            } else {
                output += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }
}
