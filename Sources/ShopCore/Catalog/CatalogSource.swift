import Crypto
import Foundation

/// Where a shop keeps its catalog: a SQLite database, optionally fed from canonical text in the repository.
///
/// When the text exists it is the source of truth: loading brings the database in line with it
/// (skipped when the text is unchanged) and every command that writes the catalog rewrites the text.
public struct CatalogSource: Sendable {
    /// The catalog text, e.g. `site/catalog.txt`; nil when the shop keeps only the database.
    public let textPath: String?
    public let databasePath: String

    public init(textPath: String?, databasePath: String) {
        self.textPath = textPath
        self.databasePath = databasePath
    }

    /// A catalog read and checked, with the source map that locates its records in the text.
    public struct Loaded: Sendable {
        public let catalog: Catalog
        public let sourceMap: CatalogSourceMap?
        /// SHA-256 of the catalog text, lowercase hex, when the catalog was read from text (`digest`).
        public let textDigest: String?
    }

    /// Loads the catalog, refreshing the database from the text first when the text changed.
    /// `parsed`: where catalogs parsed earlier are kept by their text's digest (a build cache); a text
    /// it holds is not parsed again, and one parsed here is given to it.
    public func load(parsed cache: (any ParsedCatalogs)? = nil) throws -> Loaded {
        guard let textPath, FileManager.default.fileExists(atPath: textPath) else { return try databaseOnly(readOnly: false) }
        let text = try Self.readText(textPath)
        let digest = Self.digest(text)
        let parsed: Catalog, map: CatalogSourceMap
        if let kept = cache?.catalog(digest: digest), kept.1.file == textPath {
            (parsed, map) = kept
        } else {
            (parsed, map) = try CatalogText.parse(text, file: textPath)
            cache?.keep(parsed, sourceMap: map, digest: digest)
        }
        let store = try CatalogStore(path: databasePath)
        if try store.textDigest() != digest {
            try store.replace(with: parsed, textDigest: digest)
        }
        return Loaded(catalog: parsed, sourceMap: map, textDigest: digest)
    }

    /// Reads the catalog without writing anything: the text when the shop keeps it (parsed and
    /// checked, the database left as it is), else the database opened read-only. What the checkout
    /// does at start, so a running service never rewrites the shop's `catalog.sqlite`.
    public func read() throws -> Loaded {
        guard let textPath, FileManager.default.fileExists(atPath: textPath) else { return try databaseOnly(readOnly: true) }
        let (parsed, map) = try CatalogText.parse(try Self.readText(textPath), file: textPath)
        return Loaded(catalog: parsed, sourceMap: map, textDigest: nil)
    }

    /// The catalog of a shop that keeps no text; throws `CatalogStoreError` when there is no database either.
    private func databaseOnly(readOnly: Bool) throws -> Loaded {
        guard FileManager.default.fileExists(atPath: databasePath) else {
            throw CatalogStoreError(
                path: databasePath,
                message: "no catalog here; create it with `sitegen catalog init`, `import` or `load`")
        }
        return Loaded(catalog: try CatalogStore(path: databasePath, readOnly: readOnly).load(), sourceMap: nil, textDigest: nil)
    }

    /// Stores `catalog` in the database and, when the shop keeps text, rewrites the text canonically.
    public func save(_ catalog: Catalog) throws {
        let store = try CatalogStore(path: databasePath)
        if let textPath, FileManager.default.fileExists(atPath: textPath) {
            let text = CatalogText.dump(catalog)
            try Data(text.utf8).write(to: URL(fileURLWithPath: textPath), options: .atomic)
            try store.replace(with: catalog, textDigest: Self.digest(text))
        } else {
            try store.replace(with: catalog)
        }
    }

    static func readText(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CatalogStoreError(path: path, message: "cannot read the catalog text")
        }
        guard let text = TextInput.normalized(data) else {
            throw CatalogStoreError(path: path, message: "the catalog text is not UTF-8")
        }
        return text
    }

    /// A hex SHA-256 of the text, recorded in the database to know when the text changed.
    public static func digest(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// Catalogs parsed earlier, by the SHA-256 of their text (`CatalogSource.digest`): a build cache keeps
/// them so a build whose catalog text did not change skips parsing it (`CatalogSnapshot`).
public protocol ParsedCatalogs: Sendable {
    /// The catalog parsed from the text with this digest, and its source map; nil when not kept.
    func catalog(digest: String) -> (Catalog, CatalogSourceMap)?
    /// Keeps a catalog just parsed from the text with this digest; best effort.
    func keep(_ catalog: Catalog, sourceMap: CatalogSourceMap, digest: String)
}
