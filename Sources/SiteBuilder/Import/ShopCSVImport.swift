import ShopCore

/// Imports this project's own product CSV: one row per product, or per variant when `product` names its parent.
///
/// Columns: `sku`, `title`, `niche`, `price` (required for products), and optionally `slug`, `summary`,
/// `description`, `tags` and `files` (separated by `|`), `image`, `released`, `status`, `featured`,
/// `product` and `variant` (for variant rows).
public enum ShopCSVImport {
    static let columns = [
        "sku", "title", "niche", "price", "slug", "summary", "description", "tags", "image", "files", "released", "status",
        "featured", "product", "variant",
    ]

    public static func run(file: String, into original: Catalog) throws(ImportError) -> (Catalog, ImportReport) {
        let table = try CSVTable(path: file)
        if let unknown = table.header.first(where: { !columns.contains($0) }) {
            throw ImportError(file: file, row: 1, message: "unknown column '\(unknown)'", hint: "columns: \(columns.joined(separator: ", "))")
        }
        guard table.header.contains("sku") else {
            throw ImportError(file: file, row: 1, message: "column 'sku' is missing", hint: "columns: \(columns.joined(separator: ", "))")
        }
        var catalog = original
        var report = ImportReport()
        let niches = Set(catalog.niches.map(\.slug))
        var slugs = Set(catalog.products.map(\.slug))
        for (number, fields) in table.rows {
            func value(_ column: String) -> String { fields[column, default: ""].trimmingCharacters(in: .whitespaces) }
            func list(_ column: String) -> [String] {
                value(column).split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
            let sku = value("sku")
            func skip(_ reason: String) { report.skipped.append(.init(row: number, identifier: sku.isEmpty ? "no SKU" : sku, reason: reason)) }
            guard !sku.isEmpty else {
                skip("the sku column is empty")
                continue
            }
            let priceText = value("price")
            let price = priceText.isEmpty ? nil : Money(decimal: Substring(priceText), currency: catalog.currency)
            if !priceText.isEmpty && price == nil {
                skip("price '\(priceText)' is not a \(catalog.currency.code) amount such as 4.99")
                continue
            }
            if !value("product").isEmpty {
                catalog.variants.removeAll { $0.sku == sku }
                catalog.variants.append(Variant(
                    sku: sku, product: value("product"), title: value("variant").isEmpty ? sku : value("variant"), price: price,
                    files: list("files"), position: catalog.variants.filter { $0.product == value("product") }.count + 1))
                report.variants += 1
                continue
            }
            guard let price else {
                skip("a product needs a price")
                continue
            }
            guard niches.contains(value("niche")) else {
                skip("niche '\(value("niche"))' is not in the catalog (niches: \(niches.sorted().joined(separator: ", ")))")
                continue
            }
            guard let status = value("status").isEmpty ? .active : ProductStatus(rawValue: value("status")) else {
                skip("status '\(value("status"))' is not active, draft or archived")
                continue
            }
            let existing = catalog.products.first { $0.sku == sku }
            let slug = value("slug").isEmpty ? (existing?.slug ?? WooCommerceImport.uniqueSlug(Slug.make(value("title")), taken: slugs)) : value("slug")
            slugs.insert(slug)
            catalog.products.removeAll { $0.sku == sku }
            catalog.products.append(Product(
                sku: sku, slug: slug, title: value("title").isEmpty ? sku : value("title"), niche: value("niche"),
                summary: value("summary"), description: fields["description", default: ""], price: price, status: status,
                tags: list("tags"), image: value("image"), released: value("released"),
                featured: ["yes", "true", "1"].contains(value("featured").lowercased()), files: list("files")))
            report.products += 1
        }
        return (catalog.sorted(), report)
    }
}
