import Foundation

/// Every column WooCommerce's product exporter writes (`WC_Product_CSV_Exporter`, WooCommerce 9),
/// and what the import makes of it: used for a catalog field, or ignored with the reason.
enum WooCommerceColumns {
    enum Use: Equatable {
        case used(String)
        case ignored(String)
    }

    /// What `column` becomes; nil for a column WooCommerce does not write.
    static func use(of column: String) -> Use? {
        if let use = fixed[column] { return use }
        for (prefix, pattern) in numbered {
            if let (_, rest) = number(in: column, after: prefix), let use = pattern[String(rest)] { return use }
        }
        if column.hasPrefix("Meta: ") { return .ignored("plugin data (custom fields) has no place in the catalog") }
        if ["Weight", "Length", "Width", "Height"].contains(where: { column.hasPrefix($0 + " (") }) {
            return .ignored("digital goods are not shipped")
        }
        return nil
    }

    static let fixed: [String: Use] = [
        "ID": .used("joins variations and grouped products (`id:N`) to their rows; a row without SKU gets `WOO-<ID>`"),
        "Type": .used("simple → product, variable → product with variants, variation → variant, grouped → bundle; external rows are skipped"),
        "SKU": .used("the SKU"),
        "GTIN, UPC, EAN, or ISBN": .ignored("the catalog has no barcode field"),
        "Name": .used("the title, and the slug (folded to ASCII)"),
        "Published": .used("1 → active, anything else → draft"),
        "Is featured?": .used("featured"),
        "Visibility in catalog": .used("hidden → draft (not listed); visible, catalog and search → listed"),
        "Short description": .used("the summary, as one line of plain text"),
        "Description": .used("the description, WordPress HTML converted to Markdown"),
        "Date sale price starts": .used("the sale price is the price only while its window is open on the day of the import"),
        "Date sale price ends": .used("the sale price is the price only while its window is open on the day of the import"),
        "Tax status": .ignored("prices are charged as listed; tax is the payment provider's setting"),
        "Tax class": .ignored("prices are charged as listed; tax is the payment provider's setting"),
        "In stock?": .used("0 (out of stock) → draft"),
        "Stock": .used("a number → stock: the units left to sell, a limit the checkout counts from the import on"),
        "Low stock amount": .ignored("the checkout never sells past the stock; /metrics and /api/stock show what is left"),
        "Backorders allowed?": .ignored("the checkout never sells past the stock"),
        "Sold individually?": .ignored("the shopper chooses each line's quantity"),
        "Allow customer reviews?": .ignored("the shop has no reviews"),
        "Purchase note": .ignored("write it in the product's Markdown or the receipt email template"),
        "Sale price": .used("the price while the sale is on"),
        "Regular price": .used("the price"),
        "Categories": .used("the first category's top level → niche; the rest of every path → tags"),
        "Tags": .used("tags"),
        "Shipping class": .ignored("digital goods are not shipped"),
        "Images": .used("the first image → image; further images are not kept"),
        "Download limit": .ignored("the checkout's --download-limit applies to every file"),
        "Download expiry days": .ignored("download links expire after the checkout's --link-hours"),
        "Parent": .used("a variation's product"),
        "Grouped products": .used("the bundle's products"),
        "Upsells": .ignored("product pages show related products from the same niche"),
        "Cross-sells": .ignored("product pages show related products from the same niche"),
        "External URL": .ignored("external products are sold elsewhere and skipped"),
        "Button text": .ignored("external products are sold elsewhere and skipped"),
        "Position": .used("the order of a product's variants"),
        "Brands": .ignored("the catalog has no brand field"),
    ]

    /// `Download 2 URL` after `Download ` → `(2, " URL")`; nil when no number follows the prefix.
    static func number(in column: String, after prefix: String) -> (Int, Substring)? {
        guard column.hasPrefix(prefix) else { return nil }
        let rest = column.dropFirst(prefix.count)
        let digits = rest.prefix { $0.isNumber }
        guard let number = Int(digits) else { return nil }
        return (number, rest.dropFirst(digits.count))
    }

    /// The columns `prefix N suffix` of `header` (`Download N URL`…), in the order of N.
    static func columns(in header: [String], prefix: String, suffix: String) -> [String] {
        header.compactMap { column in number(in: column, after: prefix).flatMap { $0.1 == suffix ? ($0.0, column) : nil } }
            .sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// Values that mean "WooCommerce's default" in an ignored column, so ignoring them loses nothing.
    static func isDefault(_ value: String, in column: String) -> Bool {
        let value = value.trimmingCharacters(in: .whitespaces)
        if value.isEmpty { return true }
        switch column {
        case "Tax status": return value == "taxable"
        case "Backorders allowed?", "Sold individually?": return value == "0" || value == "no"
        case "Allow customer reviews?": return value == "0" || value == "1"
        case "Download limit", "Download expiry days": return value == "-1"
        default:
            return column.hasPrefix("Attribute ") && (column.hasSuffix(" visible") || column.hasSuffix(" global")) && (value == "0" || value == "1")
        }
    }

    /// Columns numbered from 1: `Download 1 URL`, `Attribute 2 value(s)`…
    static let numbered: [(String, [String: Use])] = [
        ("Download ", [
            " ID": .ignored("WooCommerce's own file id"),
            " name": .ignored("the file is offered under its own name"),
            " URL": .used("files: kept as the URL, which the checkout streams to entitled customers"),
        ]),
        ("Attribute ", [
            " name": .ignored("a variant is titled by its attribute values"),
            " value(s)": .used("a variation's values → the variant title (`A4 / Colour`)"),
            " visible": .ignored("variant titles are always shown"),
            " global": .ignored("the catalog has no attribute taxonomy"),
            " default": .ignored("the product page lists every variant"),
        ]),
    ]
}
