import Foundation

/// Unguessable identifiers: cart and order ids, order tokens, session ids.
public enum RandomToken {
    /// `bytes` random bytes from the system's secure generator, base64url without padding
    /// (16 bytes give 22 characters, 128 bits).
    public static func make(bytes: Int = 16, prefix: String = "") -> String {
        var generator = SystemRandomNumberGenerator()
        var raw = [UInt8](repeating: 0, count: bytes)
        for index in raw.indices { raw[index] = generator.next() }
        let encoded = Data(raw).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return prefix + encoded
    }
}
