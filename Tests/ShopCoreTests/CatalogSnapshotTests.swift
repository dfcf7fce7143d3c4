@testable import ShopCore
import Testing

/// A build cache keeps the parsed catalog as `CatalogSnapshot` bytes and reads it back instead of
/// parsing the text: what it reads must be the catalog, every field of every record.
@Suite struct CatalogSnapshotTests {
    /// Every field of every kind of record set to something other than its default.
    static func everyField() -> (Catalog, CatalogSourceMap) {
        let usd = Currency.usd
        let money = { (amount: Int64) in Money(amount: amount, currency: usd) }
        let catalog = Catalog(
            currency: usd,
            niches: [Niche(slug: "kids", title: "Kids — ünïcode", summary: "Line one\nline two", position: -3)],
            products: [Product(
                sku: "K-1", slug: "k-one", title: "Kids One", niche: "kids", summary: "S", description: "D\n\n## H",
                price: money(499), status: .archived, tags: ["a", "b"], image: "/assets/k.png", released: "2025-01-01",
                featured: true, files: ["k.pdf", "k2.pdf"], sale: Sale(price: money(299), starts: "2025-01-02", ends: "2025-02-01"),
                tiers: [PriceTier(minimumQuantity: 5, unitPrice: money(399)), PriceTier(minimumQuantity: 300, unitPrice: money(1))],
                payWhatYouWant: PayWhatYouWant(minimum: money(100)), stock: 0, delivery: .licenseKey, licensePattern: "KEY-####")],
            variants: [Variant(
                sku: "K-1-A4", product: "K-1", title: "A4", price: money(599), files: ["a4.pdf"], position: 2,
                sale: Sale(price: money(1), starts: "", ends: "2030-01-01"), stock: 1_000_000_000_000)],
            bundles: [ProductBundle(
                slug: "b", sku: "B-1", title: "B", summary: "BS", discountPercent: 30,
                rule: BundleRule(niches: ["kids"], tags: ["a"], skus: ["K-1"]), image: "/assets/b.png")],
            plans: [Plan(
                slug: "club", sku: "P-1", title: "Club", summary: "PS", price: money(799), interval: .year, niches: ["kids"],
                grantsAll: true, trialDays: 14, features: ["f1", "f2"], position: 4, memberDiscountPercent: 15)],
            leadMagnets: [LeadMagnet(slug: "m", title: "M", summary: "MS", file: "m.pdf", niche: "kids", image: "/assets/m.png")],
            coupons: [Coupon(
                code: "TEN", percentOff: 10, amountOff: money(-5), startsOn: "2025-01-01", expiresOn: "2025-12-31", niches: ["kids"],
                minimumSubtotal: money(1000), active: false)])
        var map = CatalogSourceMap(file: "site/catalog.txt")
        map.lines = ["niche kids": 4, "product K-1": 9, "coupon TEN": 120_000]
        return (catalog, map)
    }

    @Test func everyFieldOfEveryRecordComesBack() throws {
        let (catalog, map) = Self.everyField()
        let decoded = try #require(CatalogSnapshot.decode(CatalogSnapshot.encode(catalog, sourceMap: map)))
        #expect(decoded.0 == catalog)
        #expect(decoded.1 == map)
    }

    /// A field added to a record must be added to the snapshot (and to `everyField()` above): these
    /// counts fail first, naming the record.
    @Test func theSnapshotKnowsEveryField() {
        let (catalog, _) = Self.everyField()
        // A product's fields sit in its box.
        let box = Mirror(reflecting: catalog.products[0]).children.first!.value
        let fields: [(String, Any, Int)] = [
            ("Niche", catalog.niches[0], 4), ("Product", Mirror(reflecting: box).children.first!.value, 19),
            ("Variant", catalog.variants[0], 8), ("ProductBundle", catalog.bundles[0], 7), ("BundleRule", catalog.bundles[0].rule, 3),
            ("Plan", catalog.plans[0], 12), ("LeadMagnet", catalog.leadMagnets[0], 6), ("Coupon", catalog.coupons[0], 8),
            ("Sale", catalog.products[0].sale!, 3), ("PriceTier", catalog.products[0].tiers[0], 2), ("Money", catalog.products[0].price, 2),
            ("Catalog", catalog, 8), ("PayWhatYouWant", catalog.products[0].payWhatYouWant!, 1),
            ("Currency", catalog.currency, 2), ("CatalogSourceMap", Self.everyField().1, 2),
        ]
        for (name, value, count) in fields {
            #expect(Mirror(reflecting: value).children.count == count, "\(name) has another number of fields than CatalogSnapshot writes")
        }
    }

    @Test func theExampleCatalogComesBackAsParsed() throws {
        let (catalog, map) = try CatalogText.parse(try exampleCatalogText(), file: "catalog.txt")
        let decoded = try #require(CatalogSnapshot.decode(CatalogSnapshot.encode(catalog, sourceMap: map)))
        #expect(decoded.0 == catalog)
        #expect(decoded.1 == map)
    }

    /// Cut short or with a byte added: not a snapshot (a byte changed is the checksum's to catch,
    /// `CatalogSnapshotFile`).
    @Test func damagedBytesAreRefused() {
        let (catalog, map) = Self.everyField()
        let bytes = CatalogSnapshot.encode(catalog, sourceMap: map)
        #expect(CatalogSnapshot.decode([]) == nil)
        #expect(CatalogSnapshot.decode(bytes + [0]) == nil)
        for cut in stride(from: 0, to: bytes.count, by: 7) {
            #expect(CatalogSnapshot.decode(Array(bytes[..<cut])) == nil, "cut at \(cut)")
        }
    }
}
