import Foundation
import ShopCore

/// A loose check of an email address: something@domain.tld, at most 254 code points (RFC 5321's
/// limit on a path), with no white space, control characters, angle brackets (an SMTP relay could not
/// take it: `SMTPClient` refuses them) or invisible characters (zero-width and bidirectional controls,
/// which would make one address look like another). Real validation is the confirmation email; this
/// only catches typos early. The rule is checked on Unicode scalars, exactly as `/openapi.yaml`'s
/// `Email` pattern states it, so what a client validates against the document is what is accepted.
enum EmailAddress {
    /// The longest address accepted, in Unicode code points.
    static let maxLength = 254

    /// Invisible format characters refused anywhere in an address (and in the document's pattern).
    static let invisible: [ClosedRange<UInt32>] = [
        0xAD...0xAD, 0x180E...0x180E, 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2064, 0x2066...0x206F, 0xFEFF...0xFEFF,
        // Not invisible, but what a byte that was not UTF-8 became on the way in.
        0xFFFD...0xFFFD,
    ]

    static func isRefused(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace || scalar.properties.generalCategory == .control || scalar == "<" || scalar == ">"
            || invisible.contains { $0.contains(scalar.value) }
    }

    /// The address trimmed, with its domain lower-cased; nil when it does not look like an address.
    static func normalized(_ raw: String) -> String? {
        let email = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        let scalars = email.unicodeScalars
        guard scalars.count <= maxLength,
              !scalars.contains(where: isRefused),
              let at = scalars.firstIndex(of: "@"), !scalars[scalars.index(after: at)...].contains("@")
        else { return nil }
        let local = scalars[..<at], domain = scalars[scalars.index(after: at)...]
        // The domain is labels joined by single dots: at least two, none empty.
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard !local.isEmpty, labels.count >= 2, !labels.contains(where: \.isEmpty) else { return nil }
        return String(local) + "@" + String(domain).lowercased()
    }

    /// The normalized address of the request field `email`.
    /// - Throws: `CheckoutError.invalid(field: "email", …)` when it is missing or not an address.
    static func required(_ raw: String?) throws -> String {
        guard let raw else { throw CheckoutError.invalid(field: "email", message: "'email' is required") }
        guard let email = normalized(raw) else {
            throw CheckoutError.invalid(field: "email", message: "\(Quoted(raw)) is not an email address")
        }
        return email
    }
}
