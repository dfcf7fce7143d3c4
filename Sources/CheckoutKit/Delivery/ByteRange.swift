/// What a `Range` header asks of a file of `size` bytes (RFC 9110 §14.1.2, §14.2), for downloads.
enum ByteRange: Equatable {
    /// No usable range: send the whole file (no header, another unit, bad syntax, or several ranges,
    /// which a server may ignore).
    case whole
    /// One range, inside the file.
    case part(ClosedRange<Int>)
    /// A valid range that starts past the end: a 416 with `Content-Range: bytes */size`.
    case unsatisfiable

    /// Reads `header` for a file of `size` bytes. A last position past the end, however large, means
    /// the end; a suffix longer than the file means all of it.
    static func parse(_ header: String?, size: Int) -> ByteRange {
        guard let header, header.hasPrefix("bytes="), size > 0 else { return .whole }
        let spec = header.dropFirst(6)
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return .whole }
        let start = spec[..<dash], end = spec[spec.index(after: dash)...]
        if start.isEmpty {
            guard let suffix = position(end) else { return .whole }
            guard suffix > 0 else { return .unsatisfiable }
            return .part((size - min(suffix, size))...(size - 1))
        }
        guard let lower = position(start) else { return .whole }
        let upper: Int
        if end.isEmpty {
            upper = Int.max
        } else {
            guard let last = position(end), last >= lower else { return .whole }  // last < first: invalid, ignored
            upper = last
        }
        guard lower < size else { return .unsatisfiable }
        return .part(lower...min(upper, size - 1))
    }

    /// A byte position: ASCII digits only; one too large for `Int` reads as `Int.max` (past any end).
    private static func position(_ digits: Substring) -> Int? {
        guard !digits.isEmpty, digits.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        return Int(digits) ?? Int.max
    }
}
