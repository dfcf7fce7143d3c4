/// What an import did: counts, and every row it left out with the reason.
public struct ImportReport: Sendable, CustomStringConvertible {
    public struct Skipped: Sendable, Hashable {
        /// The row's position in the file (the header is row 1).
        public let row: Int
        public let identifier: String
        public let reason: String
    }

    public var products = 0
    public var variants = 0
    public var bundles = 0
    public var niches = 0
    public var skipped: [Skipped] = []
    public var notes: [String] = []

    public var description: String {
        var lines = ["imported \(products) products, \(variants) variants, \(bundles) bundles, \(niches) new niches"]
        if !skipped.isEmpty {
            lines.append("skipped \(skipped.count) row\(skipped.count == 1 ? "" : "s"):")
            lines += skipped.map { "  row \($0.row) (\($0.identifier)): \($0.reason)" }
        }
        lines += notes.map { "note: \($0)" }
        return lines.joined(separator: "\n")
    }
}

/// A CSV that cannot be imported at all, naming the file and what is wrong.
public struct ImportError: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let row: Int?
    public let message: String
    public let hint: String?

    public var description: String {
        "\(file)\(row.map { ":\($0)" } ?? ""): error: \(message)" + (hint.map { "\n  hint: \($0)" } ?? "")
    }
}

/// Lower-case words joined by hyphens: `Clothing > T-Shirts!` → `clothing-t-shirts`.
func slugify(_ text: String) -> String {
    var slug = ""
    var pendingHyphen = false
    for scalar in text.lowercased().unicodeScalars {
        if (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9") {
            if pendingHyphen && !slug.isEmpty { slug += "-" }
            slug.unicodeScalars.append(scalar)
            pendingHyphen = false
        } else {
            pendingHyphen = true
        }
    }
    return slug
}
