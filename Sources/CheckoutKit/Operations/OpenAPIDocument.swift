import Foundation
import ShopCore

/// `/openapi.yaml` as this shop serves it: the document in `Resources/openapi.yaml`, with each
/// `x-catalog: NAME` placeholder replaced by an `enum` of the shop's own values, so a client generated
/// from it can only send SKUs, plans and lead magnets that exist.
///
/// Placeholders: `skus` (every SKU a cart accepts: active products, their variants, bundles with
/// something in them), `plans` (plan slugs) and `magnets` (lead-magnet slugs). Coupon codes are left
/// out on purpose: they are not public.
enum OpenAPIDocument {
    /// The document with the placeholders filled from `catalog`, as UTF-8 YAML.
    static func render(_ template: String, catalog: CatalogIndex) -> String {
        let values = [
            "skus": sellableSKUs(catalog),
            "plans": catalog.catalog.plans.map(\.slug),
            "magnets": catalog.catalog.leadMagnets.map(\.slug),
        ]
        return template.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let trimmed = line.drop { $0 == " " }
            guard trimmed.hasPrefix("x-catalog: "), let list = values[String(trimmed.dropFirst("x-catalog: ".count))] else {
                return String(line)
            }
            let indent = String(repeating: " ", count: line.count - trimmed.count)
            // A YAML flow sequence of JSON strings; an empty list would let nothing through, so it
            // stays a plain string then (a shop without plans has no plan to name).
            guard !list.isEmpty else { return indent + "minLength: 1" }
            return indent + "enum: [" + list.map(jsonString).joined(separator: ", ") + "]"
        }.joined(separator: "\n")
    }

    /// The SKUs `CartPricing.resolve` sells, in catalog order.
    static func sellableSKUs(_ catalog: CatalogIndex) -> [String] {
        var skus: [String] = []
        for product in catalog.catalog.products where product.status == .active {
            skus.append(product.sku)
            skus += catalog.variants(of: product).map(\.sku)
        }
        skus += catalog.catalog.bundles.filter { !catalog.contents(of: $0).isEmpty }.map(\.sku)
        return skus.filter { (try? CartPricing.resolve($0, in: catalog)) != nil }
    }

    private static func jsonString(_ text: String) -> String {
        let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
