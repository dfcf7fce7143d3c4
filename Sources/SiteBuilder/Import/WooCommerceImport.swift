import Foundation
import ShopCore

/// Imports WooCommerce's product CSV export (Products → Export) into a catalog.
///
/// Simple products become products; variable products become a product whose variations are its
/// variants; grouped products become bundles of their children at no discount; downloadable files
/// are kept as their URLs. External (affiliate) products are skipped, since they are sold elsewhere.
/// Cells are read the way WooCommerce's own importer reads them (`WooCommerceCell`); every column
/// is used or named in the report as ignored (`WooCommerceColumns`).
public enum WooCommerceImport {
    static let requiredColumns = ["ID", "Type", "SKU", "Name", "Regular price"]

    /// - Parameter today: the day the import happens (`YYYY-MM-DD`, UTC by default): a sale that
    ///   ended before it is left out.
    public static func run(file: String, into catalog: Catalog, today: String = day(of: Date())) throws(ImportError) -> (Catalog, ImportReport) {
        let table = try CSVTable(path: file)
        if let missing = requiredColumns.first(where: { !table.header.contains($0) }) {
            throw ImportError(
                file: file, row: 1, message: "column '\(missing)' is missing: this is not a WooCommerce product export",
                hint: "export from WooCommerce → Products → Export, or use --format csv")
        }
        return apply(table, file: file, to: catalog, today: today)
    }

    static func apply(_ table: CSVTable, file: String, to original: Catalog, today: String) -> (Catalog, ImportReport) {
        var catalog = original
        var report = ImportReport()
        report.columns = columnReport(table)
        let currency = catalog.currency
        var skuByID: [String: String] = [:]
        for row in table.rows {
            let id = row.fields["ID", default: ""]
            skuByID[id] = sku(of: row.fields)
        }
        func resolve(_ reference: String) -> String {
            let trimmed = reference.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("id:") { return skuByID[String(trimmed.dropFirst(3))] ?? trimmed }
            return trimmed
        }
        var slugs = Set(catalog.products.map(\.slug))
        // Re-importing keeps a product's URL: the same SKU keeps the slug it has.
        let previousSlugs = Dictionary(catalog.products.map { ($0.sku, $0.slug) }, uniquingKeysWith: { first, _ in first })
        let previousBundleSlugs = Dictionary(catalog.bundles.map { ($0.sku, $0.slug) }, uniquingKeysWith: { first, _ in first })
        var variantRows: [String: Int] = [:]
        var niches = Set(catalog.niches.map(\.slug))
        var imported: [String: Product] = [:]
        var importedOrder: [String] = []
        var variants: [Variant] = []
        var bundles: [ProductBundle] = []
        var seenSKUs = Set<String>()
        var salePrices = 0
        var salesOff = 0
        var bundleRows: [String: Int] = [:]
        let attributeColumns = WooCommerceColumns.columns(in: table.header, prefix: "Attribute ", suffix: " value(s)")
        let downloadColumns = WooCommerceColumns.columns(in: table.header, prefix: "Download ", suffix: " URL")

        for (number, fields) in table.rows {
            let types = Set(WooCommerceCell.list(fields["Type", default: ""]))
            let sku = sku(of: fields)
            let name = WooCommerceCell.text(fields["Name", default: ""]).trimmingCharacters(in: .whitespaces)
            let label = "ID \(fields["ID", default: "?"]), '\(name)'"
            func skip(_ reason: String) { report.skipped.append(.init(row: number, identifier: label, reason: reason)) }
            guard seenSKUs.insert(sku).inserted else {
                skip("SKU '\(sku)' appears earlier in the file")
                continue
            }
            if types.contains("external") {
                skip("external product: it is sold on another site (\(fields["External URL", default: ""])), not through the checkout")
                continue
            }
            let price = self.price(fields, currency: currency, today: today)
            if let problem = price.problem {
                skip(problem)
                continue
            }
            if price.sale != nil { salePrices += 1 }
            if price.saleEnded { salesOff += 1 }
            if types.contains("variation") {
                let parent = resolve(fields["Parent", default: ""])
                guard !parent.isEmpty else {
                    skip("variation without a Parent")
                    continue
                }
                guard let amount = price.money else {
                    skip("variation has no price")
                    continue
                }
                let values = attributeColumns.map { WooCommerceCell.list(fields[$0, default: ""]).joined(separator: ", ") }
                    .filter { !$0.isEmpty }
                // WooCommerce writes 0 for variations made by its API or importer: file order then.
                let given = Int(fields["Position", default: ""].trimmingCharacters(in: .whitespaces)) ?? 0
                let position = given > 0 ? given : variants.filter { $0.product == parent }.count + 1
                variantRows[sku] = number
                variants.append(Variant(
                    sku: sku, product: parent, title: values.isEmpty ? name : values.joined(separator: " / "), price: amount,
                    files: downloads(fields, columns: downloadColumns, sku: sku, report: &report), position: position, sale: price.sale,
                    stock: stock(fields)))
                continue
            }
            let (niche, tags) = category(fields)
            if !niches.contains(niche.slug) {
                niches.insert(niche.slug)
                catalog.niches.append(Niche(slug: niche.slug, title: niche.title, position: catalog.niches.count + 1))
                report.niches += 1
            }
            if types.contains("grouped") {
                let children = WooCommerceCell.list(fields["Grouped products", default: ""]).map(resolve)
                bundles.append(ProductBundle(
                    slug: previousBundleSlugs[sku]
                        ?? uniqueSlug(Slug.make(name.isEmpty ? sku : name), taken: Set(catalog.bundles.map(\.slug) + bundles.map(\.slug))),
                    sku: sku, title: name, summary: WooCommerceCell.summary(fields["Short description", default: ""]), discountPercent: 0,
                    rule: BundleRule(skus: children), image: firstImage(fields, sku: sku, report: &report)))
                bundleRows[sku] = number
                continue
            }
            guard price.money != nil || types.contains("variable") else {
                skip("no regular or sale price")
                continue
            }
            let base = Slug.make(name.isEmpty ? sku : name)
            let slug = previousSlugs[sku] ?? uniqueSlug(base, taken: slugs)
            if previousSlugs[sku] == nil && slug != base {
                report.notes.append("\(sku)'s URL is /products/\(slug)/: \(base.isEmpty ? "its name has no letters or digits" : "'\(base)' is taken")")
            }
            slugs.insert(slug)
            let published = fields["Published", default: "1"].trimmingCharacters(in: .whitespaces)
            let hidden = fields["Visibility in catalog", default: ""].trimmingCharacters(in: .whitespaces) == "hidden"
            let outOfStock = fields["In stock?", default: "1"].trimmingCharacters(in: .whitespaces) == "0"
            if published != "1" {
                report.notes.append("\(sku) is not published in WooCommerce (Published \(published)); imported as draft")
            } else if hidden || outOfStock {
                report.notes.append("\(sku) is \(hidden ? "hidden from the catalog" : "out of stock") in WooCommerce; imported as draft")
            }
            var productTags = tags
            for tag in WooCommerceCell.list(fields["Tags", default: ""]).map(Slug.make) where !tag.isEmpty && !productTags.contains(tag) {
                productTags.append(tag)
            }
            imported[sku] = Product(
                sku: sku, slug: slug, title: name.isEmpty ? sku : name, niche: niche.slug,
                summary: WooCommerceCell.summary(fields["Short description", default: ""]),
                description: HTMLToMarkdown.convert(WooCommerceCell.multiline(fields["Description", default: ""])),
                price: price.money ?? .zero(currency), status: published == "1" && !hidden && !outOfStock ? .active : .draft,
                tags: productTags, image: firstImage(fields, sku: sku, report: &report), featured: fields["Is featured?", default: "0"] == "1",
                files: downloads(fields, columns: downloadColumns, sku: sku, report: &report), sale: price.sale, stock: stock(fields))
            importedOrder.append(sku)
        }

        for variant in variants {
            guard var product = imported[variant.product] else {
                report.skipped.append(.init(
                    row: variantRows[variant.sku] ?? 0, identifier: variant.sku, reason: "variation of '\(variant.product)', which is not in the file"))
                continue
            }
            if product.price.amount == 0 || (variant.price.map { $0 < product.price } ?? false) { product.price = variant.price ?? product.price }
            imported[variant.product] = product
        }
        for sku in importedOrder where imported[sku]?.price.amount == 0 && !variants.contains(where: { $0.product == sku }) {
            imported[sku]?.status = .draft
            report.notes.append("\(sku) has neither a price nor variations; imported as draft")
        }
        // The shop delivers files: a product with none anywhere (WooCommerce's physical goods) sells
        // nothing to download. It stays listed (bundles may count on it), and the report says so.
        let fileless = importedOrder.filter { sku in
            imported[sku]?.status == .active && imported[sku]?.files.isEmpty == true
                && !variants.contains(where: { $0.product == sku && !$0.files.isEmpty })
        }
        if !fileless.isEmpty {
            report.notes.append(
                "\(fileless.count) active products have no downloadable files (physical goods?): "
                    + fileless.joined(separator: ", ") + "; name their files in the catalog, or set them to draft, before selling them")
        }
        let keptVariants = variants.filter { imported[$0.product] != nil }
        let replaced = Set(importedOrder)
        catalog.products.removeAll { replaced.contains($0.sku) }
        catalog.products += importedOrder.compactMap { imported[$0] }
        catalog.variants.removeAll { replaced.contains($0.product) || keptVariants.map(\.sku).contains($0.sku) }
        catalog.variants += keptVariants
        // A grouped product's children must be products; a bundle needs two.
        let knownSKUs = Set(catalog.products.map(\.sku))
        bundles = bundles.compactMap { bundle in
            var bundle = bundle
            let unknown = bundle.rule.skus.filter { !knownSKUs.contains($0) }
            if !unknown.isEmpty {
                report.notes.append("bundle \(bundle.sku) leaves out \(unknown.joined(separator: ", ")): not a product in the catalog")
                bundle.rule = BundleRule(skus: bundle.rule.skus.filter(knownSKUs.contains))
            }
            guard bundle.rule.skus.count >= 2 else {
                report.skipped.append(.init(
                    row: bundleRows[bundle.sku] ?? 0, identifier: bundle.sku, reason: "grouped product with fewer than two products in the catalog"))
                return nil
            }
            return bundle
        }
        let bundleSKUs = Set(bundles.map(\.sku))
        catalog.bundles.removeAll { bundleSKUs.contains($0.sku) }
        catalog.bundles += bundles
        report.products = importedOrder.count
        report.variants = keptVariants.count
        report.bundles = bundles.count
        if salePrices > 0 {
            report.notes.append("\(salePrices) rows have a sale price: imported as scheduled sales (sale-price, sale-starts, sale-ends) in the shop's time zone")
        }
        if salesOff > 0 { report.notes.append("\(salesOff) rows had a sale that ended before today; the regular price was imported alone") }
        let remote = importedOrder.compactMap { imported[$0] }.filter { $0.files.contains(where: RemoteFile.isRemote) }.count
            + keptVariants.filter { $0.files.contains(where: RemoteFile.isRemote) }.count
        if remote > 0 {
            report.notes.append(
                "\(remote) products or variants deliver files by URL: the checkout streams them to entitled customers (the URL is never shown); to serve them from the shop instead, copy them into files/ and name them in the catalog")
        }
        return (catalog.sorted(), report)
    }

    /// `YYYY-MM-DD` of `date` in UTC.
    public static func day(of date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: date)
    }

    static func sku(of fields: [String: String]) -> String {
        let sku = WooCommerceCell.text(fields["SKU", default: ""]).trimmingCharacters(in: .whitespaces)
        return sku.isEmpty ? "WOO-\(fields["ID", default: "0"])" : sku
    }

    /// `Stock` as a limit: the units left to sell when WooCommerce manages the row's stock (a whole
    /// number; negative counts as 0); nil when the cell is empty (stock not managed).
    static func stock(_ fields: [String: String]) -> Int? {
        Int(fields["Stock", default: ""].trimmingCharacters(in: .whitespaces)).map { max(0, $0) }
    }

    /// The regular price and the scheduled sale of a row: `Sale price` with `Date sale price starts`
    /// and `ends` (`YYYY-MM-DD`, or a date-time, which WooCommerce sets to 00:00:00 and 23:59:59 of the
    /// shop's day). Without a regular price the sale price is the price. A sale price at or above the
    /// regular price is no sale (WooCommerce's `is_on_sale`); a sale that ended before `today` is left
    /// out (`saleEnded`). A price that is not a number, or is negative, is the row's `problem`.
    static func price(
        _ fields: [String: String], currency: Currency, today: String
    ) -> (money: Money?, sale: Sale?, saleEnded: Bool, problem: String?) {
        let saleText = fields["Sale price", default: ""].trimmingCharacters(in: .whitespaces)
        let regularText = fields["Regular price", default: ""].trimmingCharacters(in: .whitespaces)
        for (column, text) in [("Regular price", regularText), ("Sale price", saleText)] where !text.isEmpty {
            guard let money = parseAmount(text, currency: currency) else {
                return (nil, nil, false, "\(column) '\(text)' is not a price like 4.99")
            }
            if money.amount < 0 { return (nil, nil, false, "\(column) '\(text)' is negative") }
        }
        let regular = parseAmount(regularText, currency: currency)
        guard let salePrice = parseAmount(saleText, currency: currency) else { return (regular, nil, false, nil) }
        guard let regular else { return (salePrice, nil, false, nil) }
        if salePrice >= regular { return (regular, nil, false, nil) }
        let starts = saleTime(fields["Date sale price starts", default: ""], dayBoundary: "00:00")
        let ends = saleTime(fields["Date sale price ends", default: ""], dayBoundary: "23:59")
        if !ends.isEmpty && String(ends.prefix(10)) < today { return (regular, nil, true, nil) }
        return (regular, Sale(price: salePrice, starts: starts, ends: ends), false, nil)
    }

    /// A sale date as the catalog writes it: the day alone when the time is the day's boundary
    /// (WooCommerce's own 00:00:00 start and 23:59:59 end), else `YYYY-MM-DD HH:MM`; empty when unset
    /// or not a date.
    static func saleTime(_ cell: String, dayBoundary: String) -> String {
        let text = cell.trimmingCharacters(in: .whitespaces)
        let day = String(text.prefix(10))
        guard ISODate.isValid(day) else { return "" }
        let time = String(text.dropFirst(11).prefix(5))
        guard time.count == 5, time != dayBoundary, ShopTime.isLocalTime(day + " " + time) else { return day }
        return day + " " + time
    }

    /// What became of each column: the used ones, and the ignored ones that held a value, with why.
    static func columnReport(_ table: CSVTable) -> [ImportReport.Column] {
        table.header.filter { !$0.isEmpty }.map { column in
            let filled = table.rows.contains { !WooCommerceColumns.isDefault($0.fields[column] ?? "", in: column) }
            switch WooCommerceColumns.use(of: column) {
            case let .used(what): return .init(name: column, used: true, filled: filled, what: what)
            case let .ignored(why): return .init(name: column, used: false, filled: filled, what: why)
            case nil: return .init(name: column, used: false, filled: filled, what: "not a column WooCommerce's exporter writes")
            }
        }
    }

    /// WooCommerce writes `.5`, `45` or `11.05`.
    static func parseAmount(_ text: String, currency: Currency) -> Money? {
        guard !text.isEmpty else { return nil }
        var normalized = text.hasPrefix(".") ? "0" + text : text
        if let dot = normalized.firstIndex(of: "."), normalized.distance(from: dot, to: normalized.endIndex) - 1 > currency.exponent {
            normalized = String(normalized[..<normalized.index(dot, offsetBy: currency.exponent + 1)])
        }
        return Money(decimal: Substring(normalized), currency: currency)
    }

    /// The first category's top level is the niche; the rest of every category path become tags.
    static func category(_ fields: [String: String]) -> (niche: (slug: String, title: String), tags: [String]) {
        let paths = WooCommerceCell.list(fields["Categories", default: ""]).map {
            $0.split(separator: ">").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        guard let first = paths.first, let top = first.first, !Slug.make(top).isEmpty else {
            return (("uncategorized", "Uncategorized"), [])
        }
        var tags: [String] = []
        for slug in paths.flatMap({ $0.dropFirst().map(Slug.make) }) where !slug.isEmpty && !tags.contains(slug) { tags.append(slug) }
        return ((Slug.make(top), top), tags)
    }

    /// `Download N URL` for every N the file has, in order, as URLs the catalog can hold (spaces,
    /// commas and non-ASCII percent-encoded); one that is not an `http(s)` URL is left out and noted.
    /// - Parameter columns: the file's `Download N URL` columns, in the order of N.
    static func downloads(_ fields: [String: String], columns: [String], sku: String, report: inout ImportReport) -> [String] {
        columns.compactMap { column in
            let value = WooCommerceCell.text(fields[column, default: ""]).trimmingCharacters(in: .whitespaces)
            guard !value.isEmpty else { return nil }
            guard let url = fetchableURL(value) else {
                report.notes.append("\(sku): \(column) '\(value)' is not an http(s) URL the checkout can fetch; left out")
                return nil
            }
            return url
        }
    }

    /// The first image when it is an `http(s)` URL or a path under `/assets/`; anything else is noted.
    static func firstImage(_ fields: [String: String], sku: String, report: inout ImportReport) -> String {
        guard let first = WooCommerceCell.list(fields["Images", default: ""]).first else { return "" }
        if first.hasPrefix("/assets/") { return first }
        if let url = fetchableURL(first) { return url }
        report.notes.append("\(sku): image '\(first)' is not an http(s) URL or an /assets/ path; left out")
        return ""
    }

    /// `text` as an `http(s)` URL the catalog can hold and the checkout can fetch, or nil.
    static func fetchableURL(_ text: String) -> String? {
        let url = encodedURL(text)
        return RemoteFile.isRemote(url) && RemoteFile.problem(url) == nil ? url : nil
    }

    /// Spaces, commas (the catalog's list separator), quotes, angle brackets and non-ASCII bytes
    /// percent-encoded, so a URL an exporter wrote loosely is one the catalog and a browser read.
    static func encodedURL(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            if byte <= 0x20 || byte >= 0x7F || [UInt8(ascii: ","), UInt8(ascii: "\""), UInt8(ascii: "<"), UInt8(ascii: ">")].contains(byte) {
                out += String(format: "%%%02X", byte)
            } else {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return out
    }

    static func uniqueSlug(_ base: String, taken: Set<String>) -> String {
        let base = base.isEmpty ? "product" : base
        guard taken.contains(base) else { return base }
        var number = 2
        while taken.contains("\(base)-\(number)") { number += 1 }
        return "\(base)-\(number)"
    }
}
