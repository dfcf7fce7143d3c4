import Crypto

/// A 64-bit hash of output bytes, to tell whether a file changed since the last build and to check
/// the build cache's files: SHA-256 (swift-crypto) cut to 64 bits, for the reason `StableHash` gives.
enum ContentHash {
    static func of(_ bytes: [UInt8]) -> UInt64 { StableHash.firstWord(of: SHA256.hash(data: bytes)) }
}

