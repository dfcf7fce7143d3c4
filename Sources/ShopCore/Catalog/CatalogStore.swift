import Foundation
import GRDB

/// A problem opening or reading the catalog database, naming the file.
public struct CatalogStoreError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let message: String
    public var description: String { "\(path): \(message)" }
}

/// The catalog in SQLite: what `sitegen catalog` commands write and both tools read.
public struct CatalogStore: Sendable {
    public let path: String
    private let queue: DatabaseQueue

    /// Opens (creating if needed) the catalog database at `path` and applies pending migrations.
    public init(path: String, readOnly: Bool = false) throws(CatalogStoreError) {
        self.path = path
        var configuration = Configuration()
        configuration.readonly = readOnly
        configuration.busyMode = .timeout(5)
        do {
            if !readOnly {
                try FileManager.default.createDirectory(
                    atPath: (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent,
                    withIntermediateDirectories: true)
            }
            queue = try DatabaseQueue(path: path, configuration: configuration)
            if !readOnly { try CatalogSchema.migrator.migrate(queue) }
        } catch {
            throw CatalogStoreError(path: path, message: Self.explain(error))
        }
    }

    /// Reads the whole catalog.
    public func load() throws(CatalogStoreError) -> Catalog {
        do {
            return try queue.read { db in try Self.read(db) }
        } catch {
            throw CatalogStoreError(path: path, message: Self.explain(error))
        }
    }

    /// Replaces the stored catalog with `catalog`, in one transaction, recording which text it came from.
    public func replace(with catalog: Catalog, textDigest: String? = nil) throws(CatalogStoreError) {
        do {
            try queue.write { db in
                try Self.write(catalog, digest: textDigest, into: db)
            }
        } catch {
            throw CatalogStoreError(path: path, message: Self.explain(error))
        }
    }

    /// The digest of the catalog text last loaded, if the catalog came from text.
    public func textDigest() throws(CatalogStoreError) -> String? {
        do {
            return try queue.read { db in
                try String.fetchOne(db, sql: "SELECT value FROM catalog_meta WHERE key = 'text_digest'")
            }
        } catch {
            throw CatalogStoreError(path: path, message: Self.explain(error))
        }
    }

    private static func explain(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return "SQLite error \(error.resultCode.rawValue): \(error.message ?? "unknown")"
        }
        return String(describing: error)
    }
}

extension CatalogStore {
    static func read(_ db: Database) throws -> Catalog {
        let currencyCode = try String.fetchOne(db, sql: "SELECT value FROM catalog_meta WHERE key = 'currency'") ?? "USD"
        let currency = Currency(code: currencyCode) ?? .usd
        var catalog = Catalog(currency: currency)
        func money(_ value: Int64?) -> Money? { value.map { Money(amount: $0, currency: currency) } }
        for row in try Row.fetchAll(db, sql: "SELECT slug, title, summary, position FROM niches") {
            catalog.niches.append(Niche(slug: row[0], title: row[1], summary: row[2], position: row[3]))
        }
        let productSQL = """
            SELECT sku, slug, title, niche, summary, description, price, status, tags, image, released, featured, files,
                sale_price, sale_starts, sale_ends, tiers, minimum_price, stock, delivery, license_pattern
            FROM products
            """
        let products = try Row.fetchCursor(db, sql: productSQL)
        while let row = try products.next() {
            catalog.products.append(Product(
                sku: row[0], slug: row[1], title: row[2], niche: row[3], summary: row[4], description: row[5],
                price: Money(amount: row[6], currency: currency), status: ProductStatus(rawValue: row[7]) ?? .draft,
                tags: splitList(row[8]), image: row[9], released: row[10], featured: row[11], files: splitList(row[12]),
                sale: sale(row, from: 13), tiers: tiers(row[16]), payWhatYouWant: money(row[17]).map(PayWhatYouWant.init(minimum:)),
                stock: row[18], delivery: DeliveryMethod(rawValue: row[19]) ?? .file, licensePattern: row[20]))
        }
        func sale(_ row: Row, from column: Int) -> Sale? {
            money(row[column]).map { Sale(price: $0, starts: row[column + 1], ends: row[column + 2]) }
        }
        func tiers(_ text: String) -> [PriceTier] {
            splitList(text).compactMap { item in
                let parts = item.split(separator: ":")
                guard parts.count == 2, let minimum = Int(parts[0]), let amount = Int64(parts[1]) else { return nil }
                return PriceTier(minimumQuantity: minimum, unitPrice: Money(amount: amount, currency: currency))
            }
        }
        let variantSQL = "SELECT sku, product, title, price, files, position, sale_price, sale_starts, sale_ends, stock FROM variants"
        for row in try Row.fetchAll(db, sql: variantSQL) {
            catalog.variants.append(Variant(
                sku: row[0], product: row[1], title: row[2], price: money(row[3]), files: splitList(row[4]), position: row[5],
                sale: sale(row, from: 6), stock: row[9]))
        }
        let bundleSQL = "SELECT slug, sku, title, summary, discount_percent, rule_niches, rule_tags, rule_skus, image FROM bundles"
        for row in try Row.fetchAll(db, sql: bundleSQL) {
            catalog.bundles.append(ProductBundle(
                slug: row[0], sku: row[1], title: row[2], summary: row[3], discountPercent: row[4],
                rule: BundleRule(niches: splitList(row[5]), tags: splitList(row[6]), skus: splitList(row[7])), image: row[8]))
        }
        let planSQL = """
            SELECT slug, sku, title, summary, price, interval, niches, grants_all, trial_days, features, position, member_discount FROM plans
            """
        for row in try Row.fetchAll(db, sql: planSQL) {
            let features: String = row[9]
            catalog.plans.append(Plan(
                slug: row[0], sku: row[1], title: row[2], summary: row[3], price: Money(amount: row[4], currency: currency),
                interval: BillingInterval(rawValue: row[5]) ?? .month, niches: splitList(row[6]), grantsAll: row[7],
                trialDays: row[8], features: features.isEmpty ? [] : features.components(separatedBy: "\n"), position: row[10],
                memberDiscountPercent: row[11]))
        }
        for row in try Row.fetchAll(db, sql: "SELECT slug, title, summary, file, niche, image FROM lead_magnets") {
            catalog.leadMagnets.append(LeadMagnet(slug: row[0], title: row[1], summary: row[2], file: row[3], niche: row[4], image: row[5]))
        }
        let couponSQL = "SELECT code, percent_off, amount_off, starts_on, expires_on, niches, minimum, active FROM coupons"
        for row in try Row.fetchAll(db, sql: couponSQL) {
            catalog.coupons.append(Coupon(
                code: row[0], percentOff: row[1], amountOff: money(row[2]), startsOn: row[3], expiresOn: row[4],
                niches: splitList(row[5]), minimumSubtotal: money(row[6]), active: row[7]))
        }
        return catalog.sorted()
    }

    static func write(_ catalog: Catalog, digest: String?, into db: Database) throws {
        for table in ["niches", "products", "variants", "bundles", "plans", "lead_magnets", "coupons", "catalog_meta"] {
            try db.execute(sql: "DELETE FROM \(table)")
        }
        try db.execute(sql: "INSERT INTO catalog_meta (key, value) VALUES ('currency', ?)", arguments: [catalog.currency.code])
        if let digest {
            try db.execute(sql: "INSERT INTO catalog_meta (key, value) VALUES ('text_digest', ?)", arguments: [digest])
        }
        let niche = try db.makeStatement(sql: "INSERT INTO niches VALUES (?, ?, ?, ?)")
        for item in catalog.niches {
            try niche.execute(arguments: [item.slug, item.title, item.summary, item.position])
        }
        let product = try db.makeStatement(sql: """
            INSERT INTO products (
                sku, slug, title, niche, summary, description, price, currency, status, tags, image, released, featured, files,
                sale_price, sale_starts, sale_ends, tiers, minimum_price, stock, delivery, license_pattern)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for item in catalog.products {
            try product.execute(arguments: [
                item.sku, item.slug, item.title, item.niche, item.summary, item.description, item.price.amount,
                item.price.currency.code, item.status.rawValue, joinList(item.tags), item.image, item.released,
                item.featured, joinList(item.files), item.sale?.price.amount, item.sale?.starts ?? "", item.sale?.ends ?? "",
                joinList(item.tiers.map { "\($0.minimumQuantity):\($0.unitPrice.amount)" }), item.payWhatYouWant?.minimum.amount, item.stock,
                item.delivery.rawValue, item.licensePattern,
            ])
        }
        let variant = try db.makeStatement(sql: """
            INSERT INTO variants (sku, product, title, price, files, position, sale_price, sale_starts, sale_ends, stock)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for item in catalog.variants {
            try variant.execute(arguments: [
                item.sku, item.product, item.title, item.price?.amount, joinList(item.files), item.position,
                item.sale?.price.amount, item.sale?.starts ?? "", item.sale?.ends ?? "", item.stock,
            ])
        }
        let bundle = try db.makeStatement(sql: "INSERT INTO bundles VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        for item in catalog.bundles {
            try bundle.execute(arguments: [
                item.slug, item.sku, item.title, item.summary, item.discountPercent, joinList(item.rule.niches),
                joinList(item.rule.tags), joinList(item.rule.skus), item.image,
            ])
        }
        let plan = try db.makeStatement(sql: """
            INSERT INTO plans (
                slug, sku, title, summary, price, currency, interval, niches, grants_all, trial_days, features, position, member_discount)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for item in catalog.plans {
            try plan.execute(arguments: [
                item.slug, item.sku, item.title, item.summary, item.price.amount, item.price.currency.code,
                item.interval.rawValue, joinList(item.niches), item.grantsAll, item.trialDays,
                item.features.joined(separator: "\n"), item.position, item.memberDiscountPercent,
            ])
        }
        let magnet = try db.makeStatement(sql: "INSERT INTO lead_magnets VALUES (?, ?, ?, ?, ?, ?)")
        for item in catalog.leadMagnets {
            try magnet.execute(arguments: [item.slug, item.title, item.summary, item.file, item.niche, item.image])
        }
        let coupon = try db.makeStatement(sql: "INSERT INTO coupons VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
        for item in catalog.coupons {
            try coupon.execute(arguments: [
                item.code, item.percentOff, item.amountOff?.amount, item.startsOn, item.expiresOn,
                joinList(item.niches), item.minimumSubtotal?.amount, item.active,
            ])
        }
    }
}

private func splitList(_ text: String) -> [String] {
    text.isEmpty ? [] : text.split(separator: ",").map(String.init)
}

private func joinList(_ items: [String]) -> String { items.joined(separator: ",") }
