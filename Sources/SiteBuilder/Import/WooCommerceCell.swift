import ShopCore

/// Reads a cell of WooCommerce's product CSV the way WooCommerce's own importer does
/// (`WC_Product_CSV_Importer`, WooCommerce 3.5.4 and later), so an export round-trips.
///
/// - List cells (Categories, Tags, Type, Images, Grouped products, Upsells, Cross-sells, attribute
///   values) are split on commas not written as `\,` (`explode_values`), each part trimmed.
/// - Text cells written to defuse spreadsheet formulas start with `'` before `=`, `+`, `-` or `@`;
///   the `'` is dropped (`unescape_data`).
/// - Description and Short description hold line breaks as the two characters `\n`, and a
///   backslash-n of the text itself as `\\n` (`parse_description_field`, PR #22298).
/// - Names and excerpts hold HTML character references as WordPress stores them; they are decoded
///   once (`&amp;amp;` is the text `&amp;`).
enum WooCommerceCell {
    /// `a\, b, c` → `["a, b", "c"]`; an empty cell is an empty list.
    static func list(_ cell: String) -> [String] {
        var values: [String] = []
        var current = ""
        var iterator = cell.makeIterator()
        while let character = iterator.next() {
            if character == "\\" {
                guard let next = iterator.next() else {
                    current.append(character)
                    break
                }
                if next == "," { current.append(",") } else { current.append(character); current.append(next) }
            } else if character == "," {
                values.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        values.append(current)
        let trimmed = values.map { text($0).trimmingCharacters(in: .whitespaces) }
        return trimmed.count == 1 && trimmed[0].isEmpty ? [] : trimmed
    }

    /// A plain text cell (a name, an attribute value): formula guard removed, entities decoded.
    static func text(_ cell: String) -> String {
        HTMLEntities.decode(String(unguarded(cell)))
    }

    /// The cell without the `'` the exporter puts before `=`, `+`, `-` or `@` (`unescape_data`).
    static func unguarded(_ cell: String) -> Substring {
        let value = Substring(cell)
        if value.first == "'", let second = value.dropFirst().first, "=+-@".contains(second) { return value.dropFirst() }
        return value
    }

    /// A Description or Short description cell with its `\n` escapes turned back into line breaks;
    /// `\\n` is the text `\n`. HTML is left for `HTMLToMarkdown`.
    static func multiline(_ cell: String) -> String {
        unguarded(cell).components(separatedBy: "\\\\n")
            .map { $0.replacingOccurrences(of: "\\n", with: "\n") }
            .joined(separator: "\\n")
    }

    /// A one-line summary from a Short description: tags dropped, entities decoded, whitespace
    /// (line breaks included) collapsed to single spaces.
    static func summary(_ cell: String) -> String {
        HTMLToMarkdown.plainText(multiline(cell))
    }
}
