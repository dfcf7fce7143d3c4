import Foundation
import ShopCore
import SiteCore

/// The `sitegen catalog` commands, as a library so tests run them without a process.
public struct CatalogCommands {
    public let siteFolder: String
    let config: SiteConfig
    let source: CatalogSource

    public init(siteFolder: String) throws(BuildError) {
        self.siteFolder = absolutePath(siteFolder)
        config = try SiteConfig.load(siteFolder: self.siteFolder)
        let paths = config.catalogSource(siteFolder: self.siteFolder)
        source = CatalogSource(textPath: paths.text, databasePath: paths.database)
    }

    /// The CSV dialects `import` reads.
    public enum Format: String, CaseIterable, Sendable {
        case csv, woocommerce
    }

    /// Creates the catalog database with its schema; with `text`, also starts a catalog text file.
    public func initialize(text: Bool) throws -> String {
        _ = try CatalogStore(path: source.databasePath)
        var made = ["created \(source.databasePath)"]
        if text, let textPath = source.textPath, !FileManager.default.fileExists(atPath: textPath) {
            try Data(CatalogText.dump(Catalog()).utf8).write(to: URL(fileURLWithPath: textPath))
            made.append("created \(textPath)")
        }
        return made.joined(separator: "\n")
    }

    /// Reads the current catalog, empty when the shop has none yet.
    func current() throws -> Catalog {
        let hasText = source.textPath.map { FileManager.default.fileExists(atPath: $0) } ?? false
        guard hasText || FileManager.default.fileExists(atPath: source.databasePath) else { return Catalog() }
        return try source.load().catalog
    }

    /// Imports a CSV into the catalog, replacing products with the same SKU, and saves it.
    public func importCSV(_ file: String, format: Format) throws -> ImportReport {
        let catalog = try current()
        let (updated, report) = switch format {
        case .csv: try ShopCSVImport.run(file: file, into: catalog)
        case .woocommerce: try WooCommerceImport.run(file: file, into: catalog)
        }
        try source.save(updated)
        return report
    }

    /// The catalog as canonical text.
    public func dump() throws -> String {
        CatalogText.dump(try current())
    }

    /// Replaces the catalog with the text in `file`, after checking it.
    public func load(_ file: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: file), let text = TextInput.normalized(data) else {
            throw CatalogTextError(file: file, line: 1, message: "cannot read the file as UTF-8 text")
        }
        let (catalog, map) = try CatalogText.parse(text, file: file)
        var check = CatalogCheck(catalog: catalog, source: map, availableFiles: availableFiles())
        let issues = check.run()
        guard issues.isEmpty else { throw CatalogCheckError(issues: issues) }
        try source.save(catalog)
        return "loaded \(summary(catalog)) into \(source.databasePath)"
    }

    /// Checks the catalog; throws every problem found.
    public func check() throws -> String {
        let loaded = try source.load()
        var check = CatalogCheck(
            catalog: loaded.catalog, source: loaded.sourceMap, fallbackLocation: source.databasePath, availableFiles: availableFiles())
        let issues = check.run()
        guard issues.isEmpty else { throw CatalogCheckError(issues: issues) }
        return "catalog OK: \(summary(loaded.catalog))"
    }

    private func availableFiles() -> Set<String>? {
        let folder = siteFolder + "/" + config.filesFolder
        return FileManager.default.fileExists(atPath: folder) ? Set(AssetPipeline.filesUnder(folder)) : nil
    }

    private func summary(_ catalog: Catalog) -> String {
        "\(catalog.niches.count) niches, \(catalog.products.count) products, \(catalog.variants.count) variants, "
            + "\(catalog.bundles.count) bundles, \(catalog.plans.count) plans, \(catalog.leadMagnets.count) lead magnets, "
            + "\(catalog.coupons.count) coupons"
    }
}
