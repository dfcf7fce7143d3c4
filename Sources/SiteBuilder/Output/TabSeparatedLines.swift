import Foundation

/// Reads (and `appendInteger`/`appendHex` write) files of tab-separated lines at the byte level. The
/// output manifest and the build record hold a line per file (tens of thousands in a large shop), and
/// splitting `String`s made reading them most of the time a nothing-changed build took.
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
                Self.split(bytes[start..<end], into: &fields, atMost: count)
                if !body(fields) { return }
            }
            start = end + 1
        }
    }

    /// Puts the tab-separated fields of `line` in `fields` (emptied first: one array serves every
    /// line), the last holding the rest of the line, tabs and all, when there are more than `count`.
    static func split(_ line: ArraySlice<UInt8>, into fields: inout [ArraySlice<UInt8>], atMost count: Int = .max) {
        // The last line's fields are overwritten in place: emptying the array first destroyed each
        // through the runtime's generic array destroy, a tenth of reading the content memo (perf).
        var filled = 0
        func put(_ field: ArraySlice<UInt8>) {
            if filled < fields.count { fields[filled] = field } else { fields.append(field) }
            filled += 1
        }
        var start = line.startIndex
        while filled < count - 1, let tab = line[start...].firstIndex(of: UInt8(ascii: "\t")) {
            put(line[start..<tab])
            start = tab + 1
        }
        put(line[start...])
        if fields.count > filled { fields.removeSubrange(filled...) }
    }

    /// A comma-separated list of decimal numbers, each from 0 to `Int32.max` (an empty field: none);
    /// nil when it is not one. Read in place (splitting it into slices first was a sixth of reading
    /// the build cache's index, perf).
    static func numberList(_ field: ArraySlice<UInt8>) -> [Int32]? {
        var numbers: [Int32] = []
        guard !field.isEmpty else { return numbers }
        numbers.reserveCapacity(field.count / 3 + 1)
        var number: Int32 = -1
        for byte in field {
            if byte == UInt8(ascii: ",") {
                guard number >= 0 else { return nil }
                numbers.append(number)
                number = -1
            } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                let (shifted, overflow) = max(number, 0).multipliedReportingOverflow(by: 10)
                let (sum, carry) = shifted.addingReportingOverflow(Int32(byte - UInt8(ascii: "0")))
                guard !overflow, !carry else { return nil }
                number = sum
            } else {
                return nil
            }
        }
        guard number >= 0 else { return nil }
        numbers.append(number)
        return numbers
    }

    /// A decimal integer, possibly negative (`Int64.min` too); nil when it is not one or does not fit.
    static func integer(_ field: ArraySlice<UInt8>) -> Int64? {
        let negative = field.first == UInt8(ascii: "-")
        let digits = negative ? field.dropFirst() : field
        guard !digits.isEmpty else { return nil }
        var magnitude: UInt64 = 0
        for byte in digits {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            let (shifted, overflow) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, carry) = shifted.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            guard !overflow, !carry else { return nil }
            magnitude = sum
        }
        if negative { return magnitude <= Int64.min.magnitude ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
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

    /// Appends `value` in decimal, as `integer` reads it (`String(value)`'s digits, without making a
    /// String for each of tens of thousands of numbers).
    static func appendInteger(_ value: Int64, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        appendDigits(value.magnitude, radix: 10, to: &bytes)
    }

    /// Appends `value` in lower-case hexadecimal, as `hex` reads it.
    static func appendHex(_ value: UInt64, to bytes: inout [UInt8]) {
        appendDigits(value, radix: 16, to: &bytes)
    }

    /// Inlined where `radix` is a constant, so each digit is not a 64-bit division by a variable (perf).
    @inline(__always)
    private static func appendDigits(_ value: UInt64, radix: UInt64, to bytes: inout [UInt8]) {
        var magnitude = value
        // 24 bytes: the 20 digits of the largest decimal, the 16 of the largest hexadecimal.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            var at = buffer.count
            repeat {
                at -= 1
                let digit = UInt8(magnitude % radix)
                buffer[at] = digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10
                magnitude /= radix
            } while magnitude > 0
            bytes.append(contentsOf: buffer[at...])
        }
    }
}
