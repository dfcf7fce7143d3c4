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
    /// What became of each column of the file (WooCommerce imports).
    public var columns: [Column] = []

    /// One column of the imported file: used for a catalog field, or ignored, and why.
    public struct Column: Sendable, Hashable {
        public let name: String
        public let used: Bool
        /// Whether any row has a value in it other than the exporter's default.
        public let filled: Bool
        /// What it becomes, or why it is ignored.
        public let what: String
    }

    public var description: String {
        var lines = ["imported \(products) products, \(variants) variants, \(bundles) bundles, \(niches) new niches"]
        if !skipped.isEmpty {
            lines.append("skipped \(skipped.count) row\(skipped.count == 1 ? "" : "s"):")
            lines += skipped.map { "  row \($0.row) (\($0.identifier)): \($0.reason)" }
        }
        lines += notes.map { "note: \($0)" }
        let ignored = columns.filter { !$0.used && $0.filled }
        if !ignored.isEmpty {
            lines.append("ignored \(ignored.count) column\(ignored.count == 1 ? "" : "s") holding values:")
            lines += ignored.map { "  \($0.name): \($0.what)" }
        }
        let empty = columns.filter { !$0.used && !$0.filled }
        if !empty.isEmpty { lines.append("ignored columns left empty or at their default: " + empty.map(\.name).joined(separator: ", ")) }
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
