import Foundation

/// A loose check of an email address: something@something.tld, no spaces, at most 254 characters.
/// Real validation is the confirmation email; this only catches typos early.
enum EmailAddress {
    static func normalized(_ raw: String) -> String? {
        let email = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard email.count <= 254, !email.contains(where: \.isWhitespace) else { return nil }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix(".")
        else { return nil }
        return String(parts[0]) + "@" + parts[1].lowercased()
    }
}
