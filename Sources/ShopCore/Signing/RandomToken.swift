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
}
