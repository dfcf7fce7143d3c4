/// A 64-bit hash that is the same in every run and on every machine (Swift's `Hasher` is seeded per
/// process), for the build cache's keys: a page's inputs hash the same way in the build that wrote
/// the cache and in the one that reads it. Not cryptographic: the inputs are the site's own files.
struct StableHash {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    init() {}

    mutating func combine(_ word: UInt64) {
        value = (value.rotatedLeft(5) ^ word) &* 0x517c_c1b7_2722_0a95
    }

    mutating func combine(_ text: String) {
        var text = text
        text.withUTF8 { combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    mutating func combine(_ flag: Bool) { combine(flag ? 1 : 2) }
    mutating func combine(_ number: Int) { combine(UInt64(bitPattern: Int64(number))) }

    /// Bytes with their length first, so `("ab", "c")` and `("a", "bc")` hash apart.
    mutating func combine(bytes: UnsafeRawBufferPointer) {
        combine(UInt64(bytes.count))
        var index = 0
        while index + 8 <= bytes.count {
            combine(bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            index += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while index < bytes.count {
            tail |= UInt64(bytes[index]) << shift
            shift += 8
            index += 1
        }
        combine(tail)
    }

    mutating func combine(_ bytes: [UInt8]) { bytes.withUnsafeBytes { combine(bytes: $0) } }

    /// Every stored property of a `Codable` value, in declaration order.
    mutating func combine<T: Encodable>(encoding value: T) {
        let encoder = StableHashEncoder()
        try? value.encode(to: encoder)
        combine(encoder.state.hash.value)
    }

    var finalized: UInt64 { value ^ (value >> 29) }

    static func of(_ build: (inout StableHash) -> Void) -> UInt64 {
        var hash = StableHash()
        build(&hash)
        return hash.finalized
    }

    static func of<T: Encodable>(encoding value: T) -> UInt64 { of { $0.combine(encoding: value) } }
}
