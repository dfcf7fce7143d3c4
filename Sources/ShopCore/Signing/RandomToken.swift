import Foundation

/// Unguessable identifiers: cart and order ids, order tokens, session ids.
public enum RandomToken {
    /// `bytes` random bytes from the system's secure generator, base64url without padding
    /// (16 bytes give 22 characters, 128 bits).
    public static func make(bytes: Int = 16, prefix: String = "") -> String {
        var generator = SystemRandomNumberGenerator()
        // Eight bytes per draw: each draw is a system call.
        var raw: [UInt8] = []
        raw.reserveCapacity(bytes + 7)
        while raw.count < bytes {
            withUnsafeBytes(of: generator.next() as UInt64) { raw.append(contentsOf: $0) }
        }
        return prefix + Base64URL.encode(raw.prefix(bytes))
    }

    /// A record id that sorts after the ids made before it: the time in milliseconds, then 80 random
    /// bits (22 characters). A table keyed by such ids grows at the end of its index, where random
    /// ids dirtied a random page of it on every insert. For record ids only, never for secrets.
    public static func makeOrdered(prefix: String = "", milliseconds: UInt64 = UInt64(Date().timeIntervalSince1970 * 1000)) -> String {
        var generator = SystemRandomNumberGenerator()
        var raw: [UInt8] = []
        raw.reserveCapacity(16)
        for shift in stride(from: 40, through: 0, by: -8) { raw.append(UInt8(truncatingIfNeeded: milliseconds >> UInt64(shift))) }
        withUnsafeBytes(of: generator.next() as UInt64) { raw.append(contentsOf: $0) }
        withUnsafeBytes(of: generator.next() as UInt16) { raw.append(contentsOf: $0) }
        return prefix + Base64URL.encodeSortable(raw)
    }
}
