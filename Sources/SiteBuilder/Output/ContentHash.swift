/// A fast 64-bit hash of output bytes, to tell whether a file changed since the last build.
/// Not cryptographic: inputs are the site's own pages, not an adversary's.
enum ContentHash {
    static func of(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(bytes.count)
        bytes.withUnsafeBytes { raw in
            var index = 0
            let count = raw.count
            while index + 8 <= count {
                let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                hash = (hash.rotatedLeft(5) ^ word) &* 0x517c_c1b7_2722_0a95
                index += 8
            }
            while index < count {
                hash = (hash.rotatedLeft(5) ^ UInt64(raw[index])) &* 0x517c_c1b7_2722_0a95
                index += 1
            }
        }
        return hash ^ (hash >> 29)
    }
}

extension UInt64 {
    func rotatedLeft(_ bits: UInt64) -> UInt64 { (self << bits) | (self >> (64 - bits)) }
}
