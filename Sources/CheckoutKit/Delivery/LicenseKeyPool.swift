import Foundation
import Logging
import ShopCore
import SiteCore

/// A shop's licence keys as `checkout keys …` manages them: importing a file of keys into a SKU's
/// pool, which first delivers the purchases waiting for keys.
public struct LicenseKeyPool: Sendable {
    let storage: ShopStorage
    let clock: CheckoutClock
    let logger: Logger

    /// What an import did.
    public struct Imported: Sendable, Equatable {
        /// Keys added to the pool.
        public let added: Int
        /// Keys skipped: in the pool already, or repeated in the file.
        public let duplicates: Int
        /// Purchases that were waiting for keys and now have them.
        public let delivered: Int
        /// Keys left in the pool after those deliveries.
        public let available: Int
    }

    /// Opens the database at `location` for the shop `shop` (`""`: the one shop).
    /// - Throws: `StartupError` naming the database or a shop id that cannot be one.
    public init(_ location: StorageLocation, shop: String = "", clock: CheckoutClock = .system) async throws {
        guard shop.isEmpty || ShopID.isValid(shop) else {
            throw StartupError(description: "'\(shop)' is not a shop id (1 to 64 lower-case letters, digits and dashes)")
        }
        var logger = Logger(label: "checkout.keys")
        logger.logLevel = .warning
        self.logger = logger
        storage = ShopStorage(try await location.open(logger: logger), shop: shop)
        self.clock = clock
    }

    /// Checks that `sku` is a product of the site at `siteFolder` delivered by licence key.
    /// - Throws: `CheckoutError.invalid` naming the SKU and the site's licence-key SKUs, or
    ///   `StartupError` when the site's catalog cannot be read.
    public static func checkSKU(_ sku: String, siteFolder: String) throws {
        let site: SiteConfig
        do { site = try SiteConfig.load(siteFolder: siteFolder) } catch { throw StartupError(description: "\(siteFolder)/\(error)") }
        let paths = site.catalogSource(siteFolder: siteFolder)
        let catalog: Catalog
        do { catalog = try CatalogSource(textPath: paths.text, databasePath: paths.database).read().catalog } catch {
            throw StartupError(description: "cannot load the catalog of \(siteFolder): \(error)")
        }
        let licensed = catalog.products.filter { $0.delivery == .licenseKey }.map(\.sku)
        guard let product = catalog.products.first(where: { $0.sku == sku }), product.delivery == .licenseKey else {
            let what = catalog.products.contains { $0.sku == sku } ? "is not delivered by licence key (`delivery: license-key`)" : "is not a product"
            throw CheckoutError.invalid(
                field: "sku", message: "\(Quoted(sku)) \(what) in \(siteFolder); licence-key products: \(licensed.isEmpty ? "none" : licensed.joined(separator: ", "))")
        }
    }

    /// Adds the keys in `text` (one per line; blank lines and `#` comments skipped) to `sku`'s pool,
    /// then gives keys to the purchases of `sku` waiting for them, oldest first.
    /// - Throws: `CheckoutError.invalid` naming `file` when it holds no key or a key over 200 characters.
    public func importKeys(sku: String, text: String, file: String) async throws -> Imported {
        let keys = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        guard !keys.isEmpty else { throw CheckoutError.invalid(field: "file", message: "\(file) holds no keys: one key per line") }
        if let (index, long) = keys.enumerated().first(where: { $0.element.count > 200 }) {
            throw CheckoutError.invalid(field: "file", message: "\(file): key \(index + 1) is \(long.count) characters; keys are at most 200")
        }
        let unique = Array(NSOrderedSet(array: keys)) as? [String] ?? keys
        let (now, fulfilment) = (clock.seconds, Fulfilment(catalog: { CatalogIndex(Catalog()) }, logger: logger, lowKeyPool: 0))
        return try await storage.write { tx in
            // The pool's lock first: a payment or another import at once waits, then sees these keys.
            try tx.stock.lock("keys:" + sku)
            let added = try tx.licenseKeys.add(sku: sku, keys: unique, now: now)
            var delivered = 0
            for waiting in try tx.deliveries.waitingForKeys(sku: sku) {
                try fulfilment.assignKeys(waiting, pattern: "", tx: tx, now: now)
                if try tx.deliveries.find(waiting.id)?.status == .delivered { delivered += 1 }
            }
            return Imported(added: added, duplicates: keys.count - added, delivered: delivered, available: try tx.licenseKeys.available(sku: sku))
        }
    }

    public func close() async {
        await storage.base.close()
    }
}
