import Foundation
import ShopCore
import SiteCore

/// The hash of every input a page can read, by key, for this build: a page the cache holds is taken
/// as it is when each key it read while rendering (`PageDraft.read`) hashes the same now.
///
/// Keys: `global` (site.yaml, the catalog's niches, plans, lead magnets and coupons, the menus, the
/// asset URLs, every file the build writes, the next scheduled price change), `product:SKU` (the
/// record, its variants, its image and card), `bundle:SLUG` (the record and its pricing),
/// `copy:KIND:KEY` (a content file), `template:NAME` (the template and every partial it uses),
/// and lists: `list:niche:SLUG`, `list:niche-counts`, `list:bundles-of:SKU`, `list:bundles`,
/// `list:home`, `list:plan-counts`. A key no input has hashes to 0.
struct PageInputs: Sendable {
    private var values: [String: UInt64] = [:]
    /// A hash of what the generated files (feed, sitemap, search index, robots.txt) show: what every
    /// page shares, every product and bundle, and the plain pages' copy.
    private(set) var generatedFiles: UInt64 = 0
    /// Each product's record hash (the product and its variants through `StableHashEncoder`), by
    /// SKU: what `CatalogMemo` keeps so the next build with the same catalog text need not work it out.
    private(set) var records: [String: UInt64] = [:]
    /// True when `records` is not exactly the `knownRecords` given: one was worked out, or one given is
    /// not a product's any more (telling that by comparing the tables took 10,000 lookups).
    private(set) var recordsChanged = false

    func value(_ key: String) -> UInt64 { values[key] ?? 0 }

    /// One product's values, worked out on every core. A struct, not a tuple: a tuple of strings was
    /// copied through the runtime's generic tuple witnesses, a fifth of filing 10,000 of them (perf).
    private struct ProductValues {
        let sku: String
        let key: String
        let value: UInt64
        let record: UInt64
        /// The product's copy's key and hash, when it has a content file.
        let copy: (key: String, value: UInt64)?
        let workedOut: Bool
    }

    /// - Parameter knownRecords: record hashes by SKU from an earlier build of the same catalog text
    ///   (`CatalogMemo`); the others are worked out.
    /// - Parameter outputs: every file the build writes but the images', in an order that is the same
    ///   for the same files (it is hashed in that order).
    init(model: SiteModel, outputs: [String], siteYAML: Data, nextPriceChange: Int?, knownRecords: [String: UInt64] = [:]) {
        let index = model.index, catalog = index.catalog, content = model.content
        values["global"] = StableHash.of { hash in
            hash.combine([UInt8](siteYAML))
            hash.combine(encoding: catalog.currency)
            hash.combine(encoding: catalog.niches)
            hash.combine(encoding: catalog.plans)
            hash.combine(encoding: catalog.leadMagnets)
            hash.combine(encoding: catalog.coupons)
            for page in content.pages {
                hash.combine(page.key)
                hash.combine(page.title ?? "\u{0}")
                hash.combine(page.menu ?? "\u{0}")
                hash.combine(page.weight)
            }
            for (plain, hashed) in model.assets.urls.sorted(by: { $0.key < $1.key }) {
                hash.combine(plain)
                hash.combine(hashed)
            }
            for output in outputs { hash.combine(output) }
            // The bundles' and lead magnets' images, by key (`SiteModel.images`); not the products'
            // (10,000 at that size): looking through all of them for these was a tenth of this hash.
            let keys = catalog.bundles.map { "bundle:" + $0.slug } + catalog.leadMagnets.map { "magnet:" + $0.slug }
            for key in Set(keys).sorted() {
                guard let image = model.images[key] else { continue }
                hash.combine(key)
                hash.combine(image)
            }
            hash.combine(nextPriceChange ?? -1)
        }
        let prices = model.prices
        // With each product, its copy's hash: the 10,000 copies of a large shop hashed on one core were
        // a tenth of a one-edit cached build's model step.
        // The keys are made here too, on every core (the copy's key on one core was a tenth of the rest).
        let products = parallelMap(catalog.products) { product -> ProductValues in
            let known = knownRecords[product.sku]
            let record = known ?? StableHash.of { hash in
                hash.combine(encoding: product)
                hash.combine(encoding: index.variants(of: product))
            }
            let key = "product:" + product.sku
            let value = StableHash.of { hash in
                hash.combine(record)
                // The image's URL names its copies (their key is in it); the card's URL names what it shows.
                hash.combine(model.images[key] ?? "")
                hash.combine(model.cards[product.sku]?.url ?? "")
                // The prices in force at the build's moment (a sale started or ended since), as pages show them.
                for unit in prices.units(of: product) {
                    for money in [unit.unit, unit.regular] {
                        hash.combine(Int(money.amount))
                        hash.combine(money.currency.code)
                    }
                    hash.combine(unit.saleEnds ?? -1)
                    hash.combine(unit.sale != nil)
                }
            }
            let copy = content.products[product.sku].map { (key: SiteContent.inputKey(.product, product.sku), value: content.inputHash($0)) }
            return ProductValues(sku: product.sku, key: key, value: value, record: record, copy: copy, workedOut: known == nil)
        }
        values.reserveCapacity(products.count * 3)
        records.reserveCapacity(products.count)
        for product in products {
            values[product.key] = product.value
            records[product.sku] = product.record
            if let copy = product.copy { values[copy.key] = copy.value }
            if product.workedOut { recordsChanged = true }
        }
        if records.count != knownRecords.count { recordsChanged = true }
        for bundle in catalog.bundles {
            let pricing = model.bundlePricing[bundle.slug]
            values["bundle:" + bundle.slug] = StableHash.of { hash in
                hash.combine(encoding: bundle)
                hash.combine(encoding: pricing?.products.map(\.sku) ?? [])
                hash.combine(encoding: [pricing?.total, pricing?.price, pricing?.saving])
                hash.combine(model.images["bundle:" + bundle.slug] ?? "")
            }
        }
        values["list:bundles"] = StableHash.of { hash in
            for bundle in catalog.bundles {
                hash.combine(bundle.slug)
                hash.combine(encoding: bundle.rule)
            }
        }
        var counts = StableHash()
        for niche in catalog.niches {
            let members = index.productsByNiche[niche.slug] ?? []
            values["list:niche:" + niche.slug] = StableHash.of { hash in for product in members { hash.combine(product.sku) } }
            counts.combine(members.count)
        }
        values["list:niche-counts"] = counts.finalized
        for (sku, bundles) in model.bundlesByProduct {
            values["list:bundles-of:" + sku] = StableHash.of { hash in for bundle in bundles { hash.combine(bundle.slug) } }
        }
        let home = PageRenderer.homeSelection(index)
        values["list:home"] = StableHash.of { hash in for product in home.featured + home.newest { hash.combine(product.sku) } }
        values["list:plan-counts"] = StableHash.of { hash in
            for plan in catalog.plans { hash.combine(index.products(grantedBy: plan).count) }
        }
        content.forEachCopy(skippingProducts: true) { key, copy in values[key] = content.inputHash(copy) }
        for (name, hash) in model.theme.closureHashes() { values["template:" + name] = hash }
        generatedFiles = StableHash.of { hash in
            hash.combine(values["global"] ?? 0)
            for product in products { hash.combine(product.value) }
            for bundle in catalog.bundles { hash.combine(values["bundle:" + bundle.slug] ?? 0) }
            for page in content.pages { hash.combine(values[SiteContent.inputKey(.page, page.key)] ?? 0) }
        }
    }

    /// The same inputs with these copies' hashes (by `SiteContent.inputKey`) worked out again from `content`.
    func updating(copies: [(key: String, copy: PageCopy)], in content: SiteContent) -> PageInputs {
        var updated = self
        for (key, copy) in copies { updated.values[key] = content.inputHash(copy) }
        return updated
    }
}

extension PageCopy {
    /// Every field of the copy, hashed field by field (through `StableHashEncoder` the 10,000 copies of
    /// a large shop were a tenth of a one-edit cached build's model step). `PageInputsTests.aCopysHashCoversEveryField` fails
    /// when a field is added to `PageCopy` and not here.
    var stableHash: UInt64 {
        StableHash.of { hash in
            for text in [path, key] { hash.combine(text) }
            for optional in [title, description, headline, menu] {
                hash.combine(optional != nil)
                hash.combine(optional ?? "")
            }
            hash.combine(highlights.count)
            for highlight in highlights { hash.combine(highlight) }
            for number in [keyLine, weight, bodyLine] { hash.combine(number) }
            hash.combine(draft)
            hash.combine(body)
        }
    }
}
