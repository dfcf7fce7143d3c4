import Foundation
import ShopCore

/// A loose check of an email address: something@domain.tld with no spaces or control characters, at
/// most 254 code points (RFC 5321's limit on a path). Real validation is the confirmation email;
/// this only catches typos early. The rule is checked on Unicode scalars, exactly as `/openapi.yaml`'s
/// `Email` pattern states it, so what a client validates against the document is what is accepted.
enum EmailAddress {
    /// The longest address accepted, in Unicode code points.
    static let maxLength = 254

    /// The address trimmed, with its domain lower-cased; nil when it does not look like an address.
    static func normalized(_ raw: String) -> String? {
        let email = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        let scalars = email.unicodeScalars
        guard scalars.count <= maxLength,
              !scalars.contains(where: { $0.properties.isWhitespace || $0.properties.generalCategory == .control }),
              let at = scalars.firstIndex(of: "@"), !scalars[scalars.index(after: at)...].contains("@")
        else { return nil }
        let local = scalars[..<at], domain = scalars[scalars.index(after: at)...]
        // The domain is labels joined by single dots: at least two, none empty.
        let labels = String(domain).split(separator: ".", omittingEmptySubsequences: false)
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
