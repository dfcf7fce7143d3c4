/// A 64-bit hash of output bytes, to tell whether a file changed since the last build and to check
/// the build cache's files: XXH3, as `StableHash` (which says why).
enum ContentHash {
    static func of(_ bytes: [UInt8]) -> UInt64 { bytes.withUnsafeBytes { StableHash.of(bytes: $0) } }
    /// Part of a larger buffer, hashed where it lies.
    static func of(_ bytes: ArraySlice<UInt8>) -> UInt64 { bytes.withUnsafeBytes { StableHash.of(bytes: $0) } }
}
