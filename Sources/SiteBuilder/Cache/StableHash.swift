import CXXHash

/// A 64-bit hash that is the same in every run and on every machine (Swift's `Hasher` is seeded per
/// process), for the build cache's keys: a page's inputs hash the same way in the build that wrote
/// the cache and in the one that reads it. It is XXH3 (xxHash, Debian's libxxhash-dev; stable since
/// 0.8.0; Hugo keys its file caches with xxHash's XXH64) over the bytes combined, hashed once at the end.
/// Our own multiply-and-rotate hash, before SHA-256, kept a difference in the top byte of one 8-byte
/// word where a difference in the next could cancel it (found in review); SHA-256 (swift-crypto),
/// cut to 64 bits, then cost a fifteenth of CI's one-edit build at 10,000 products in its per-call
/// overhead and its speed (perf), and XXH3 passes the same SMHasher tests at many times the speed.
struct StableHash {
    private var buffer: [UInt8] = []

    init() { buffer.reserveCapacity(128) }

    mutating func combine(_ word: UInt64) {
        withUnsafeBytes(of: word.littleEndian) { buffer.append(contentsOf: $0) }
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
        buffer.append(contentsOf: bytes)
    }

    mutating func combine(_ bytes: [UInt8]) { bytes.withUnsafeBytes { combine(bytes: $0) } }

    /// Every stored property of a `Codable` value, in declaration order.
    mutating func combine<T: Encodable>(encoding value: T) {
        let encoder = StableHashEncoder()
        try? value.encode(to: encoder)
        combine(encoder.state.hash.finalized)
    }

    /// The XXH3 hash of everything combined.
    var finalized: UInt64 { buffer.withUnsafeBytes { Self.of(bytes: $0) } }

    static func of(_ build: (inout StableHash) -> Void) -> UInt64 {
        var hash = StableHash()
        build(&hash)
        return hash.finalized
    }

    static func of<T: Encodable>(encoding value: T) -> UInt64 { of { $0.combine(encoding: value) } }

    /// The XXH3 hash of `bytes`, as they are (no length first).
    static func of(bytes: UnsafeRawBufferPointer) -> UInt64 { xxh3_64(bytes.baseAddress, bytes.count) }
}
