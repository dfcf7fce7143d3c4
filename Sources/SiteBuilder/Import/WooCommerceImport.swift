import Foundation
import ShopCore

/// Imports WooCommerce's product CSV export (Products → Export) into a catalog.
///
/// Simple products become products; variable products become a product whose variations are its
/// variants; grouped products become bundles of their children at no discount; downloadable files
/// are kept as their URLs. External (affiliate) products are skipped, since they are sold elsewhere.
public enum WooCommerceImport {
    static let requiredColumns = ["ID", "Type", "SKU", "Name", "Regular price"]

    public static func run(file: String, into catalog: Catalog) throws(ImportError) -> (Catalog, ImportReport) {
        let table = try CSVTable(path: file)
        if let missing = requiredColumns.first(where: { !table.header.contains($0) }) {
            throw ImportError(
                file: file, row: 1, message: "column '\(missing)' is missing: this is not a WooCommerce product export",
                hint: "export from WooCommerce → Products → Export, or use --format csv")
        }
        return apply(table, file: file, to: catalog)
    }

    static func apply(_ table: CSVTable, file: String, to original: Catalog) -> (Catalog, ImportReport) {
        var catalog = original
        var report = ImportReport()
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
        var niches = Set(catalog.niches.map(\.slug))
        var imported: [String: Product] = [:]
        var importedOrder: [String] = []
        var variants: [Variant] = []
        var bundles: [ProductBundle] = []
        var seenSKUs = Set<String>()
        var salePrices = 0

        for (number, fields) in table.rows {
            let types = Set(fields["Type", default: ""].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            let sku = sku(of: fields)
            let name = fields["Name", default: ""].trimmingCharacters(in: .whitespaces)
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
            let price = self.price(fields, currency: currency)
            if price.usedSale { salePrices += 1 }
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
                let values = (1...3).compactMap { fields["Attribute \($0) value(s)"]?.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                variants.append(Variant(
                    sku: sku, product: parent, title: values.isEmpty ? name : values.joined(separator: " / "), price: amount,
                    files: downloads(fields), position: variants.filter { $0.product == parent }.count + 1))
                continue
            }
            let (niche, tags) = category(fields)
            if !niches.contains(niche.slug) {
                niches.insert(niche.slug)
                catalog.niches.append(Niche(slug: niche.slug, title: niche.title, position: catalog.niches.count + 1))
                report.niches += 1
            }
            if types.contains("grouped") {
                let children = fields["Grouped products", default: ""].split(separator: ",").map { resolve(String($0)) }
                bundles.append(ProductBundle(
                    slug: uniqueSlug(slugify(name.isEmpty ? sku : name), taken: Set(catalog.bundles.map(\.slug) + bundles.map(\.slug))),
                    sku: sku, title: name, summary: plainText(fields["Short description", default: ""]), discountPercent: 0,
                    rule: BundleRule(skus: children), image: firstImage(fields)))
                continue
            }
            guard price.money != nil || types.contains("variable") else {
                skip("no regular or sale price")
                continue
            }
            let slug = uniqueSlug(slugify(name.isEmpty ? sku : name), taken: slugs)
            slugs.insert(slug)
            let published = fields["Published", default: "1"].trimmingCharacters(in: .whitespaces)
            imported[sku] = Product(
                sku: sku, slug: slug, title: name.isEmpty ? sku : name, niche: niche.slug,
                summary: plainText(fields["Short description", default: ""]), description: fields["Description", default: ""],
                price: price.money ?? .zero(currency), status: published == "1" ? .active : .draft,
                tags: tags + fields["Tags", default: ""].split(separator: ",").map { slugify(String($0)) }.filter { !$0.isEmpty },
                image: firstImage(fields), featured: fields["Is featured?", default: "0"] == "1", files: downloads(fields))
            importedOrder.append(sku)
        }

        for variant in variants {
            guard var product = imported[variant.product] else {
                report.skipped.append(.init(row: 0, identifier: variant.sku, reason: "variation of '\(variant.product)', which is not in the file"))
                continue
            }
            if product.price.amount == 0 || (variant.price.map { $0 < product.price } ?? false) { product.price = variant.price ?? product.price }
            imported[variant.product] = product
        }
        for sku in importedOrder where imported[sku]?.price.amount == 0 && !variants.contains(where: { $0.product == sku }) {
            imported[sku]?.status = .draft
            report.notes.append("\(sku) has neither a price nor variations; imported as draft")
        }
        let keptVariants = variants.filter { imported[$0.product] != nil }
        let replaced = Set(importedOrder)
        catalog.products.removeAll { replaced.contains($0.sku) }
        catalog.products += importedOrder.compactMap { imported[$0] }
        catalog.variants.removeAll { replaced.contains($0.product) || keptVariants.map(\.sku).contains($0.sku) }
        catalog.variants += keptVariants
        let bundleSKUs = Set(bundles.map(\.sku))
        catalog.bundles.removeAll { bundleSKUs.contains($0.sku) }
        catalog.bundles += bundles
        report.products = importedOrder.count
        report.variants = keptVariants.count
        report.bundles = bundles.count
        if salePrices > 0 { report.notes.append("\(salePrices) rows had a sale price; the sale price was imported as the price") }
        let remote = catalog.products.filter { $0.files.contains { $0.hasPrefix("http") } }.count
        if remote > 0 {
            report.notes.append("\(remote) products deliver files by URL; copy the files into the shop's files folder and update the catalog")
        }
        return (catalog.sorted(), report)
    }

    static func sku(of fields: [String: String]) -> String {
        let sku = fields["SKU", default: ""].trimmingCharacters(in: .whitespaces)
        return sku.isEmpty ? "WOO-\(fields["ID", default: "0"])" : sku
    }

    /// The price shoppers pay today: the sale price when there is one, else the regular price.
    static func price(_ fields: [String: String], currency: Currency) -> (money: Money?, usedSale: Bool) {
        let sale = fields["Sale price", default: ""].trimmingCharacters(in: .whitespaces)
        let regular = fields["Regular price", default: ""].trimmingCharacters(in: .whitespaces)
        if let money = parseAmount(sale, currency: currency) { return (money, true) }
        return (parseAmount(regular, currency: currency), false)
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
        let paths = fields["Categories", default: ""].split(separator: ",").map {
            $0.split(separator: ">").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        guard let first = paths.first, let top = first.first, !slugify(top).isEmpty else {
            return (("uncategorized", "Uncategorized"), [])
        }
        var tags: [String] = []
        for path in paths {
            for part in path.dropFirst() where !tags.contains(slugify(part)) { tags.append(slugify(part)) }
        }
        return ((slugify(top), top), tags)
    }

    static func downloads(_ fields: [String: String]) -> [String] {
        (1...10).compactMap { fields["Download \($0) URL"]?.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    static func firstImage(_ fields: [String: String]) -> String {
        fields["Images", default: ""].split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
    }

    static func plainText(_ html: String) -> String {
        var text = ""
        var inTag = false
        for character in html {
            if character == "<" { inTag = true } else if character == ">" { inTag = false } else if !inTag { text.append(character) }
        }
        return text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    static func uniqueSlug(_ base: String, taken: Set<String>) -> String {
        let base = base.isEmpty ? "product" : base
        guard taken.contains(base) else { return base }
        var number = 2
        while taken.contains("\(base)-\(number)") { number += 1 }
        return "\(base)-\(number)"
    }
}
