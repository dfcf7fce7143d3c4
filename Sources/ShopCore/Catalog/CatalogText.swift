/// The catalog as canonical, diff-friendly text: what `sitegen catalog dump` writes and `load` reads.
///
/// ```
/// niche kids-bible
///   title: Kids Bible
///   position: 1
///
/// product KB-NOAH
///   slug: noahs-ark-coloring-pages
///   price: 4.99 USD
///   description: First paragraph
///   | continues on the next line
/// ```
/// A record is a kind and a key on an unindented line, then indented `field: value` lines.
/// Lists are comma-separated, except `feature`, which repeats. `|` continues the previous value
/// on a new line. `#` starts a comment line.
public enum CatalogText {
    /// Record kinds in the order a dump writes them.
    public static let kinds = ["shop", "niche", "product", "variant", "bundle", "plan", "lead-magnet", "coupon"]

    /// Writes `catalog` canonically: same catalog, same bytes.
    public static func dump(_ catalog: Catalog) -> String {
        let catalog = catalog.sorted()
        var out = "# Catalog: edit, then `sitegen catalog check`. Written by `sitegen catalog dump`.\n"
        var record = RecordWriter(into: out)
        record.begin("shop", key: nil)
        record.field("currency", catalog.currency.code)
        for niche in catalog.niches {
            record.begin("niche", key: niche.slug)
            record.field("title", niche.title)
            record.field("summary", niche.summary)
            record.field("position", String(niche.position))
        }
        let variantsByProduct = Dictionary(grouping: catalog.variants, by: \.product)
        for product in catalog.products {
            record.begin("product", key: product.sku)
            record.field("slug", product.slug)
            record.field("title", product.title)
            record.field("niche", product.niche)
            record.field("price", product.price.description)
            record.field("status", product.status == .active ? "" : product.status.rawValue)
            record.field("released", product.released)
            record.field("featured", product.featured ? "yes" : "")
            record.list("tags", product.tags)
            record.field("image", product.image)
            record.list("files", product.files)
            record.field("summary", product.summary)
            record.field("description", product.description)
            writeSale(product.sale, into: &record)
            record.list("tiers", product.tiers.map { "\($0.minimumQuantity)+ \($0.unitPrice.description)" })
            record.field("minimum-price", product.payWhatYouWant?.minimum.description ?? "")
            record.field("stock", product.stock.map(String.init) ?? "")
            record.field("delivery", product.delivery == .file ? "" : product.delivery.rawValue)
            record.field("license-pattern", product.licensePattern)
            for variant in variantsByProduct[product.sku] ?? [] {
                writeVariant(variant, into: &record)
            }
        }
        let productSKUs = Set(catalog.products.map(\.sku))
        for variant in catalog.variants where !productSKUs.contains(variant.product) {
            writeVariant(variant, into: &record)
        }
        for bundle in catalog.bundles {
            record.begin("bundle", key: bundle.slug)
            record.field("sku", bundle.sku)
            record.field("title", bundle.title)
            record.field("discount", "\(bundle.discountPercent)%")
            record.list("niches", bundle.rule.niches)
            record.list("tags", bundle.rule.tags)
            record.list("skus", bundle.rule.skus)
            record.field("image", bundle.image)
            record.field("summary", bundle.summary)
        }
        for plan in catalog.plans {
            record.begin("plan", key: plan.slug)
            record.field("sku", plan.sku)
            record.field("title", plan.title)
            record.field("price", plan.price.description)
            record.field("interval", plan.interval.rawValue)
            record.field("grants", plan.grantsAll ? "all" : plan.niches.joined(separator: ", "))
            record.field("trial-days", plan.trialDays == 0 ? "" : String(plan.trialDays))
            record.field("position", String(plan.position))
            record.field("summary", plan.summary)
            for feature in plan.features { record.field("feature", feature) }
            record.field("member-discount", plan.memberDiscountPercent.map { "\($0)%" } ?? "")
        }
        for magnet in catalog.leadMagnets {
            record.begin("lead-magnet", key: magnet.slug)
            record.field("title", magnet.title)
            record.field("file", magnet.file)
            record.field("niche", magnet.niche)
            record.field("image", magnet.image)
            record.field("summary", magnet.summary)
        }
        for coupon in catalog.coupons {
            record.begin("coupon", key: coupon.code)
            record.field("percent-off", coupon.percentOff.map { "\($0)%" } ?? "")
            record.field("amount-off", coupon.amountOff?.description ?? "")
            record.field("starts", coupon.startsOn)
            record.field("expires", coupon.expiresOn)
            record.list("niches", coupon.niches)
            record.field("minimum", coupon.minimumSubtotal?.description ?? "")
            record.field("active", coupon.active ? "" : "no")
        }
        out = record.text
        return out
    }

    private static func writeVariant(_ variant: Variant, into record: inout RecordWriter) {
        record.begin("variant", key: variant.sku)
        record.field("product", variant.product)
        record.field("title", variant.title)
        record.field("price", variant.price?.description ?? "")
        record.list("files", variant.files)
        record.field("position", String(variant.position))
        writeSale(variant.sale, into: &record)
        record.field("stock", variant.stock.map(String.init) ?? "")
    }

    private static func writeSale(_ sale: Sale?, into record: inout RecordWriter) {
        guard let sale else { return }
        record.field("sale-price", sale.price.description)
        record.field("sale-starts", sale.starts)
        record.field("sale-ends", sale.ends)
    }
}

/// Appends records in the text format; empty values are left out.
private struct RecordWriter {
    var text: String

    init(into text: String) { self.text = text }

    mutating func begin(_ kind: String, key: String?) {
        text += "\n" + kind
        if let key { text += " " + key }
        text += "\n"
    }

    mutating func field(_ name: String, _ value: String) {
        guard !value.isEmpty else { return }
        let lines = value.split(separator: "\n", omittingEmptySubsequences: false)
        text += "  \(name): \(lines[0])\n"
        for line in lines.dropFirst() {
            text += line.isEmpty ? "  |\n" : "  | \(line)\n"
        }
    }

    mutating func list(_ name: String, _ values: [String]) {
        field(name, values.joined(separator: ", "))
    }
}
