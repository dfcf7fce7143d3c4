import Foundation

/// Reads files of tab-separated lines at the byte level. The output manifest and the build record
/// hold a line per file (tens of thousands in a large shop), and splitting `String`s made reading
/// them most of the time a nothing-changed build took.
struct TabSeparatedLines {
    private let bytes: [UInt8]

    /// The file's lines, or nil when it cannot be read.
    init?(path: String) {
        guard let bytes = FileBytes.read(path) else { return nil }
        self.bytes = bytes
    }

    init?(bytes: [UInt8]) { self.bytes = bytes }

    /// Calls `body` with the fields of each non-empty line, the last field holding the rest of the
    /// line (so it may contain tabs) when the line has more than `fields` fields; stops when `body`
    /// returns false.
    func forEach(fields count: Int, _ body: ([ArraySlice<UInt8>]) -> Bool) {
        var start = 0
        var fields: [ArraySlice<UInt8>] = []
        fields.reserveCapacity(count)
        while start < bytes.count {
            let end = bytes.firstPosition(of: UInt8(ascii: "\n"), from: start) ?? bytes.count
            if end > start {
                fields.removeAll(keepingCapacity: true)
                var fieldStart = start
                var index = start
                while index < end, fields.count < count - 1 {
                    if bytes[index] == UInt8(ascii: "\t") {
                        fields.append(bytes[fieldStart..<index])
                        fieldStart = index + 1
                    }
                    index += 1
                }
                fields.append(bytes[fieldStart..<end])
                if !body(fields) { return }
            }
            start = end + 1
        }
    }

    /// A decimal integer, possibly negative.
    static func integer(_ field: ArraySlice<UInt8>) -> Int64? {
        var value: Int64 = 0
        var negative = false
        var digits = 0
        for (offset, byte) in field.enumerated() {
            if offset == 0 && byte == UInt8(ascii: "-") {
                negative = true
                continue
            }
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, carry) = shifted.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            guard !overflow, !carry else { return nil }
            value = sum
            digits += 1
        }
        return digits == 0 ? nil : (negative ? -value : value)
    }

    /// A hexadecimal unsigned integer.
    static func hex(_ field: ArraySlice<UInt8>) -> UInt64? {
        guard !field.isEmpty, field.count <= 16 else { return nil }
        var value: UInt64 = 0
        for byte in field {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            default: return nil
            }
            value = value << 4 | UInt64(digit)
        }
        return value
    }

    static func string(_ field: ArraySlice<UInt8>) -> String {
        String(decoding: field, as: UTF8.self)
    }
}
