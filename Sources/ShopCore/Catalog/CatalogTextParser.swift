/// Where each record of a parsed catalog text starts, so later checks can name a line.
public struct CatalogSourceMap: Sendable, Hashable {
    public var file: String
    var lines: [String: Int] = [:]

    public init(file: String) { self.file = file }

    /// The line of the record `kind key` (e.g. `product`, `KB-NOAH`), if the catalog came from text.
    public func line(of kind: String, _ key: String) -> Int? { lines[kind + " " + key] }
}

extension CatalogText {
    // The fields each kind of record may have: built once, not for each of 10,000 records.
    private static let shopFields: Set<String> = ["currency"]
    private static let nicheFields: Set<String> = ["title", "summary", "position"]
    private static let productFields: Set<String> = [
        "slug", "title", "niche", "price", "status", "released", "featured", "tags", "image", "files", "summary", "description",
        "sale-price", "sale-starts", "sale-ends", "tiers", "minimum-price", "stock", "delivery", "license-pattern",
    ]
    private static let variantFields: Set<String> = ["product", "title", "price", "files", "position", "sale-price", "sale-starts", "sale-ends", "stock"]
    private static let bundleFields: Set<String> = ["sku", "title", "discount", "niches", "tags", "skus", "image", "summary"]
    private static let planFields: Set<String> = [
        "sku", "title", "price", "interval", "grants", "trial-days", "position", "summary", "feature", "member-discount",
    ]
    private static let leadMagnetFields: Set<String> = ["title", "file", "niche", "image", "summary"]
    private static let couponFields: Set<String> = ["percent-off", "amount-off", "starts", "expires", "niches", "minimum", "active"]

    /// Reads catalog text. Throws the first problem, with file and line.
    public static func parse(_ text: String, file: String) throws(CatalogTextError) -> (Catalog, CatalogSourceMap) {
        let records = try RawRecord.split(text, file: file)
        var catalog = Catalog()
        var map = CatalogSourceMap(file: file)
        var sawShop = false
        for record in records where record.kind == "shop" {
            if sawShop { throw record.error("a second `shop` record", hint: "keep one `shop` record") }
            sawShop = true
            let reader = FieldReader(record: record, known: Self.shopFields)
            let code = try reader.required("currency")
            guard let currency = Currency(code: code) else {
                throw reader.error("currency", "'\(code)' is not an ISO 4217 currency code", hint: "e.g. USD, EUR, GBP")
            }
            catalog.currency = currency
            try reader.finish()
        }
        // Records are given meaning on every core (10,000 products took a quarter of a cached
        // one-edit build on one core, perf); the first problem in the text is still the one thrown.
        let currency = catalog.currency
        let parsed = parallelMap(records) { record -> Result<ParsedRecord, CatalogTextError> in
            do throws(CatalogTextError) {
                switch record.kind {
                case "shop": return .success(.shop)
                case "niche": return .success(.niche(try niche(record)))
                case "product": return .success(.product(try product(record, currency: currency)))
                case "variant": return .success(.variant(try variant(record, currency: currency)))
                case "bundle": return .success(.bundle(try bundle(record)))
                case "plan": return .success(.plan(try plan(record, currency: currency)))
                case "lead-magnet": return .success(.leadMagnet(try leadMagnet(record)))
                case "coupon": return .success(.coupon(try coupon(record, currency: currency)))
                default:
                    throw record.error("unknown record kind '\(record.kind)'", hint: "one of: \(kinds.joined(separator: ", "))")
                }
            } catch {
                return .failure(error)
            }
        }
        map.lines.reserveCapacity(records.count)
        for (record, result) in zip(records, parsed) {
            if case let .failure(error) = result { throw error }
            // A key the database keeps once (its primary key): refused here, where the line is known,
            // not as the database's "UNIQUE constraint failed" when the catalog is stored.
            let key = record.kind == "coupon" ? record.key.uppercased() : record.key
            if record.kind != "shop", let first = map.lines.updateValue(record.line, forKey: record.kind + " " + key) {
                throw record.error(
                    "defined twice; the first is on line \(first)",
                    hint: duplicateHint[record.kind] ?? "keep one record of each key")
            }
            switch result {
            case let .failure(error): throw error
            case .success(.shop): continue
            case let .success(.niche(niche)): catalog.niches.append(niche)
            case let .success(.product(product)): catalog.products.append(product)
            case let .success(.variant(variant)): catalog.variants.append(variant)
            case let .success(.bundle(bundle)): catalog.bundles.append(bundle)
            case let .success(.plan(plan)): catalog.plans.append(plan)
            case let .success(.leadMagnet(magnet)): catalog.leadMagnets.append(magnet)
            case let .success(.coupon(coupon)): catalog.coupons.append(coupon)
            }
        }
        return (catalog.sorted(), map)
    }

    /// What makes a record's key its own, by kind.
    private static let duplicateHint: [String: String] = [
        "niche": "each niche needs its own slug: rename one or merge the two",
        "product": "each product needs its own SKU: rename one or merge the two",
        "variant": "each variant needs its own SKU: rename one or merge the two",
        "bundle": "each bundle needs its own slug: rename one or merge the two",
        "plan": "each plan needs its own slug: rename one or merge the two",
        "lead-magnet": "each lead magnet needs its own slug: rename one or merge the two",
        "coupon": "coupon codes are unique whatever their case: rename one or merge the two",
    ]

    /// One record given meaning.
    private enum ParsedRecord: Sendable {
        case shop
        case niche(Niche)
        case product(Product)
        case variant(Variant)
        case bundle(ProductBundle)
        case plan(Plan)
        case leadMagnet(LeadMagnet)
        case coupon(Coupon)
    }

    private static func niche(_ record: RawRecord) throws(CatalogTextError) -> Niche {
        let reader = FieldReader(record: record, known: Self.nicheFields)
        let niche = Niche(
            slug: record.key, title: try reader.required("title"), summary: reader.optional("summary"),
            position: try reader.integer("position") ?? 0)
        try reader.finish()
        return niche
    }

    private static func product(_ record: RawRecord, currency: Currency) throws(CatalogTextError) -> Product {
        let reader = FieldReader(record: record, known: Self.productFields)
        let deliveryText = reader.optional("delivery")
        guard let delivery = deliveryText.isEmpty ? .file : DeliveryMethod(rawValue: deliveryText) else {
            throw reader.error("delivery", "'\(deliveryText)' is not a delivery method", hint: "file, license-key, webhook or manual")
        }
        let statusText = reader.optional("status")
        guard let status = statusText.isEmpty ? .active : ProductStatus(rawValue: statusText) else {
            throw reader.error("status", "'\(statusText)' is not a status", hint: "active, draft or archived")
        }
        let product = Product(
            sku: record.key, slug: try reader.required("slug"), title: try reader.required("title"),
            niche: try reader.required("niche"), summary: reader.optional("summary"),
            description: reader.optional("description"), price: try reader.requiredMoney("price", currency: currency),
            status: status, tags: reader.list("tags"), image: reader.optional("image"),
            released: try reader.date("released"), featured: try reader.flag("featured"), files: reader.list("files"),
            sale: try reader.sale(currency: currency), tiers: try reader.tiers(currency: currency),
            payWhatYouWant: try reader.money("minimum-price", currency: currency).map(PayWhatYouWant.init(minimum:)),
            stock: try reader.stock(), delivery: delivery, licensePattern: reader.optional("license-pattern"))
        try reader.finish()
        return product
    }

    private static func variant(_ record: RawRecord, currency: Currency) throws(CatalogTextError) -> Variant {
        let reader = FieldReader(record: record, known: Self.variantFields)
        let variant = Variant(
            sku: record.key, product: try reader.required("product"), title: try reader.required("title"),
            price: try reader.money("price", currency: currency), files: reader.list("files"),
            position: try reader.integer("position") ?? 0, sale: try reader.sale(currency: currency), stock: try reader.stock())
        try reader.finish()
        return variant
    }

    private static func bundle(_ record: RawRecord) throws(CatalogTextError) -> ProductBundle {
        let reader = FieldReader(record: record, known: Self.bundleFields)
        let bundle = ProductBundle(
            slug: record.key, sku: try reader.required("sku"), title: try reader.required("title"),
            summary: reader.optional("summary"), discountPercent: try reader.requiredPercent("discount"),
            rule: BundleRule(niches: reader.list("niches"), tags: reader.list("tags"), skus: reader.list("skus")),
            image: reader.optional("image"))
        try reader.finish()
        return bundle
    }

    private static func plan(_ record: RawRecord, currency: Currency) throws(CatalogTextError) -> Plan {
        let reader = FieldReader(record: record, known: Self.planFields)
        let intervalText = reader.optional("interval")
        guard let interval = intervalText.isEmpty ? .month : BillingInterval(rawValue: intervalText) else {
            throw reader.error("interval", "'\(intervalText)' is not a billing interval", hint: "month or year")
        }
        let grants = reader.list("grants")
        let plan = Plan(
            slug: record.key, sku: try reader.required("sku"), title: try reader.required("title"),
            summary: reader.optional("summary"), price: try reader.requiredMoney("price", currency: currency),
            interval: interval, niches: grants == ["all"] ? [] : grants, grantsAll: grants == ["all"],
            trialDays: try reader.integer("trial-days") ?? 0, features: reader.repeated("feature"),
            position: try reader.integer("position") ?? 0, memberDiscountPercent: try reader.percent("member-discount"))
        try reader.finish()
        return plan
    }

    private static func leadMagnet(_ record: RawRecord) throws(CatalogTextError) -> LeadMagnet {
        let reader = FieldReader(record: record, known: Self.leadMagnetFields)
        let magnet = LeadMagnet(
            slug: record.key, title: try reader.required("title"), summary: reader.optional("summary"),
            file: try reader.required("file"), niche: reader.optional("niche"), image: reader.optional("image"))
        try reader.finish()
        return magnet
    }

    private static func coupon(_ record: RawRecord, currency: Currency) throws(CatalogTextError) -> Coupon {
        let reader = FieldReader(record: record, known: Self.couponFields)
        let activeText = reader.optional("active")
        let coupon = Coupon(
            code: record.key.uppercased(), percentOff: try reader.percent("percent-off"),
            amountOff: try reader.money("amount-off", currency: currency), startsOn: try reader.date("starts"),
            expiresOn: try reader.date("expires"), niches: reader.list("niches"),
            minimumSubtotal: try reader.money("minimum", currency: currency), active: activeText != "no")
        try reader.finish()
        return coupon
    }
}
