import Foundation
import ShopCore

/// A loose check of an email address: something@something.tld, no spaces, at most 254 characters
/// (RFC 5321's limit on a path). Real validation is the confirmation email; this only catches typos early.
enum EmailAddress {
    /// The longest address accepted, in characters.
    static let maxLength = 254

    /// The address trimmed, with its domain lower-cased; nil when it does not look like an address.
    static func normalized(_ raw: String) -> String? {
        let email = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard email.count <= maxLength, !email.contains(where: { $0.isWhitespace || $0.unicodeScalars.contains { $0.properties.generalCategory == .control } })
        else { return nil }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix(".")
        else { return nil }
        return String(parts[0]) + "@" + parts[1].lowercased()
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
