import Foundation
import ShopCore
import SiteCore

/// How a product's price reads on a page built at `time`: the price now, the regular price struck
/// through during a sale, the tier table and the pay-what-you-want form. Every figure comes from
/// `CatalogIndex.unitPrice`, the checkout's own pricing, so a page and the cart agree.
struct PriceDisplay {
    let index: CatalogIndex
    let time: ShopTime

    /// The unit price of one of `variant` of `product` now.
    func unit(_ product: Product, _ variant: Variant?) -> UnitPrice {
        index.unitPrice(of: product, variant: variant, at: time)
    }

    /// The prices of a product's variants (or of the product sold as is) now.
    func units(of product: Product) -> [UnitPrice] {
        let variants = index.variants(of: product)
        return variants.isEmpty ? [unit(product, nil)] : variants.map { unit(product, $0) }
    }

    /// `$4.99`, `From $5.00` when variants differ, `Pay what you want` for a named price.
    func label(_ product: Product) -> String { label(product, units: units(of: product)) }

    private func label(_ product: Product, units: [UnitPrice]) -> String {
        if product.payWhatYouWant != nil { return "Pay what you want" }
        let prices = units.map(\.unit)
        guard let low = prices.min(), let high = prices.max() else { return product.price.formatted }
        return low == high ? low.formatted : "From " + low.formatted
    }

    /// The regular price to strike through, when every variant is reduced by a sale ("" otherwise).
    func regularLabel(_ product: Product) -> String { regularLabel(product, units: units(of: product)) }

    private func regularLabel(_ product: Product, units: [UnitPrice]) -> String {
        guard product.payWhatYouWant == nil, units.allSatisfy(\.isReduced), let low = units.map(\.regular).min() else { return "" }
        let high = units.map(\.regular).max() ?? low
        return low == high ? low.formatted : "From " + low.formatted
    }

    /// The last moment of the sale in effect (shop's date, `YYYY-MM-DD`): schema.org's `priceValidUntil`.
    func validUntil(_ unit: UnitPrice) -> String? {
        unit.saleEnds.map { ShopTime(instant: $0 - 1, timeZone: time.timeZone).today }
    }

    /// `price_label`, `on_sale`, `regular_label` and `sale_ends` for cards and the product page.
    func context(_ product: Product) -> [String: TemplateValue] {
        // The prices worked out once for the four (a card is made for each of 10,000 products).
        let units = units(of: product)
        let regular = regularLabel(product, units: units)
        let ends = units.compactMap(\.saleEnds).min()
        return [
            "price_label": .text(label(product, units: units)), "on_sale": .bool(!regular.isEmpty), "regular_label": .text(regular),
            "sale_ends": .text(ends.map { "Sale price until " + Self.readable($0, time: time) } ?? ""),
        ]
    }

    /// The tier table: the regular row, then one row per tier (`5+`, `$15.00 each`).
    func tierRows(_ product: Product) -> TemplateValue {
        guard !product.tiers.isEmpty else { return .list([]) }
        let base = unit(product, index.variants(of: product).first)
        var rows: [TemplateValue] = []
        let first = product.tiers[0].minimumQuantity
        rows.append(["quantity": .text(first == 2 ? "1" : "1–\(first - 1)"), "unit_price": .text(base.unit.formatted)])
        for (offset, tier) in product.tiers.enumerated() {
            let next = offset + 1 < product.tiers.count ? product.tiers[offset + 1].minimumQuantity : nil
            let range = next.map { $0 - 1 == tier.minimumQuantity ? "\(tier.minimumQuantity)" : "\(tier.minimumQuantity)–\($0 - 1)" }
                ?? "\(tier.minimumQuantity)+"
            rows.append(["quantity": .text(range), "unit_price": .text(min(tier.unitPrice, base.unit).formatted)])
        }
        return .list(rows)
    }

    /// The pay-what-you-want form's figures, or null.
    func payWhatYouWant(_ product: Product) -> TemplateValue {
        guard let rule = product.payWhatYouWant else { return .null }
        let suggested = unit(product, nil).unit
        return [
            "minimum_label": .text(rule.minimum.formatted), "suggested_label": .text(suggested.formatted),
            "minimum": .text(rule.minimum.decimalString), "suggested": .text(suggested.decimalString),
            "step": .text(rule.minimum.currency.exponent == 0 ? "1" : "0." + String(repeating: "0", count: rule.minimum.currency.exponent - 1) + "1"),
            "currency": .text(rule.minimum.currency.code),
        ]
    }

    /// Limited stock as the catalog says at build time: `sold_out`, `stock_skus` (the SKUs whose
    /// live level the storefront script asks `/api/stock` for: the product's when it has a limit,
    /// else its limited variants'; empty for unlimited) and `stock_note`.
    func stock(_ product: Product) -> [String: TemplateValue] {
        let soldOut = StockRules.isSoldOut(product, index: index)
        let variants = index.variants(of: product).filter { $0.stock != nil }
        let skus = product.stock != nil ? [product.sku] : variants.map(\.sku)
        let left = product.stock ?? (variants.count == index.variants(of: product).count ? variants.compactMap(\.stock).max() : nil)
        // The limit, not what is left (the build cannot know sales): the script shows that live.
        let note = soldOut ? "Sold out" : left.map { "Limited to \($0)" } ?? "Limited"
        return ["sold_out": .bool(soldOut), "stock_skus": .text(skus.joined(separator: " ")), "stock_note": .text(skus.isEmpty ? "" : note)]
    }

    /// The end of a sale in the shop's zone: `24 December 2026, 09:00`, or for an end at midnight
    /// the last day it includes, `31 December 2026`.
    static func readable(_ instant: Int, time: ShopTime) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB")
        formatter.timeZone = time.timeZone
        formatter.dateFormat = "d MMMM yyyy, HH:mm"
        let text = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(instant)))
        guard text.hasSuffix(", 00:00") else { return text }
        formatter.dateFormat = "d MMMM yyyy"
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(instant - 1)))
    }
}
