/// A parsed catalog and its source map as compact bytes, for a build cache to keep beside the text it
/// came from: reading 10,000 products back takes a small part of parsing their text again (what a
/// one-edit cached build at that size spent most of its catalog step on, perf).
///
/// Layout: every record kind in `Catalog`'s order, each a count then its records' fields in
/// declaration order; integers as LEB128 (zigzag for signed), strings as a length and UTF-8 bytes,
/// optionals as a presence byte, enums by raw value. No version field: the bytes are only read by the
/// program that wrote them (the cache names its writer), and `decode` refuses anything it cannot read.
public enum CatalogSnapshot {
    /// The catalog and where its records are in the text, as bytes.
    public static func encode(_ catalog: Catalog, sourceMap: CatalogSourceMap) -> [UInt8] {
        var out = SnapshotWriter()
        out.string(catalog.currency.code)
        out.count(catalog.niches.count)
        for niche in catalog.niches {
            out.strings(niche.slug, niche.title, niche.summary)
            out.int(niche.position)
        }
        out.count(catalog.products.count)
        for product in catalog.products {
            out.strings(product.sku, product.slug, product.title, product.niche, product.summary, product.description)
            out.money(product.price)
            out.string(product.status.rawValue)
            out.list(product.tags)
            out.strings(product.image, product.released)
            out.bool(product.featured)
            out.list(product.files)
            out.sale(product.sale)
            out.count(product.tiers.count)
            for tier in product.tiers {
                out.int(tier.minimumQuantity)
                out.money(tier.unitPrice)
            }
            out.optional(product.payWhatYouWant) { $0.money($1.minimum) }
            out.optional(product.stock) { $0.int($1) }
            out.strings(product.delivery.rawValue, product.licensePattern)
        }
        out.count(catalog.variants.count)
        for variant in catalog.variants {
            out.strings(variant.sku, variant.product, variant.title)
            out.optional(variant.price) { $0.money($1) }
            out.list(variant.files)
            out.int(variant.position)
            out.sale(variant.sale)
            out.optional(variant.stock) { $0.int($1) }
        }
        out.count(catalog.bundles.count)
        for bundle in catalog.bundles {
            out.strings(bundle.slug, bundle.sku, bundle.title, bundle.summary)
            out.int(bundle.discountPercent)
            out.list(bundle.rule.niches)
            out.list(bundle.rule.tags)
            out.list(bundle.rule.skus)
            out.string(bundle.image)
        }
        out.count(catalog.plans.count)
        for plan in catalog.plans {
            out.strings(plan.slug, plan.sku, plan.title, plan.summary)
            out.money(plan.price)
            out.string(plan.interval.rawValue)
            out.list(plan.niches)
            out.bool(plan.grantsAll)
            out.int(plan.trialDays)
            out.list(plan.features)
            out.int(plan.position)
            out.optional(plan.memberDiscountPercent) { $0.int($1) }
        }
        out.count(catalog.leadMagnets.count)
        for magnet in catalog.leadMagnets {
            out.strings(magnet.slug, magnet.title, magnet.summary, magnet.file, magnet.niche, magnet.image)
        }
        out.count(catalog.coupons.count)
        for coupon in catalog.coupons {
            out.string(coupon.code)
            out.optional(coupon.percentOff) { $0.int($1) }
            out.optional(coupon.amountOff) { $0.money($1) }
            out.strings(coupon.startsOn, coupon.expiresOn)
            out.list(coupon.niches)
            out.optional(coupon.minimumSubtotal) { $0.money($1) }
            out.bool(coupon.active)
        }
        out.string(sourceMap.file)
        out.count(sourceMap.lines.count)
        for (record, line) in sourceMap.lines.sorted(by: { $0.key < $1.key }) {
            out.string(record)
            out.int(line)
        }
        return out.bytes
    }

    /// The catalog and source map `encode` wrote, or nil when the bytes are not such a snapshot.
    public static func decode(_ bytes: [UInt8]) -> (Catalog, CatalogSourceMap)? { decode(bytes[...]) }

    /// The catalog in part of a larger buffer (a file with a header), decoded where it lies.
    public static func decode(_ bytes: ArraySlice<UInt8>) -> (Catalog, CatalogSourceMap)? {
        bytes.withUnsafeBufferPointer { buffer in
            var input = SnapshotReader(buffer)
            return try? decode(&input)
        }
    }

    private static func decode(_ input: inout SnapshotReader) throws(SnapshotReader.Malformed) -> (Catalog, CatalogSourceMap) {
        guard let currency = Currency(code: try input.string()) else { throw .init() }
        var catalog = Catalog(currency: currency)
        catalog.niches = try input.array { input throws(SnapshotReader.Malformed) in
            Niche(slug: try input.string(), title: try input.string(), summary: try input.string(), position: try input.int())
        }
        catalog.products = try input.array { input throws(SnapshotReader.Malformed) in
            Product(
                sku: try input.string(), slug: try input.string(), title: try input.string(), niche: try input.string(),
                summary: try input.string(), description: try input.string(), price: try input.money(),
                status: try input.raw(ProductStatus.self), tags: try input.list(), image: try input.string(),
                released: try input.string(), featured: try input.bool(), files: try input.list(), sale: try input.sale(),
                tiers: try input.array { input throws(SnapshotReader.Malformed) in
                    PriceTier(minimumQuantity: try input.int(), unitPrice: try input.money())
                },
                payWhatYouWant: try input.optional { input throws(SnapshotReader.Malformed) in PayWhatYouWant(minimum: try input.money()) },
                stock: try input.optional { input throws(SnapshotReader.Malformed) in try input.int() },
                delivery: try input.raw(DeliveryMethod.self), licensePattern: try input.string())
        }
        catalog.variants = try input.array { input throws(SnapshotReader.Malformed) in
            Variant(
                sku: try input.string(), product: try input.string(), title: try input.string(),
                price: try input.optional { input throws(SnapshotReader.Malformed) in try input.money() },
                files: try input.list(), position: try input.int(), sale: try input.sale(),
                stock: try input.optional { input throws(SnapshotReader.Malformed) in try input.int() })
        }
        catalog.bundles = try input.array { input throws(SnapshotReader.Malformed) in
            ProductBundle(
                slug: try input.string(), sku: try input.string(), title: try input.string(), summary: try input.string(),
                discountPercent: try input.int(), rule: BundleRule(niches: try input.list(), tags: try input.list(), skus: try input.list()),
                image: try input.string())
        }
        catalog.plans = try input.array { input throws(SnapshotReader.Malformed) in
            Plan(
                slug: try input.string(), sku: try input.string(), title: try input.string(), summary: try input.string(),
                price: try input.money(), interval: try input.raw(BillingInterval.self), niches: try input.list(),
                grantsAll: try input.bool(), trialDays: try input.int(), features: try input.list(), position: try input.int(),
                memberDiscountPercent: try input.optional { input throws(SnapshotReader.Malformed) in try input.int() })
        }
        catalog.leadMagnets = try input.array { input throws(SnapshotReader.Malformed) in
            LeadMagnet(
                slug: try input.string(), title: try input.string(), summary: try input.string(), file: try input.string(),
                niche: try input.string(), image: try input.string())
        }
        catalog.coupons = try input.array { input throws(SnapshotReader.Malformed) in
            Coupon(
                code: try input.string(), percentOff: try input.optional { input throws(SnapshotReader.Malformed) in try input.int() },
                amountOff: try input.optional { input throws(SnapshotReader.Malformed) in try input.money() },
                startsOn: try input.string(), expiresOn: try input.string(), niches: try input.list(),
                minimumSubtotal: try input.optional { input throws(SnapshotReader.Malformed) in try input.money() },
                active: try input.bool())
        }
        var map = CatalogSourceMap(file: try input.string())
        let records = try input.count()
        map.lines.reserveCapacity(records)
        for _ in 0..<records { map.lines[try input.string()] = try input.int() }
        guard input.isAtEnd else { throw .init() }
        return (catalog, map)
    }
}
