import Foundation

/// What the build cache remembers about one catalog text, by its SHA-256 (`catalog.tsv` in the
/// cache folder): each product's record hash (the product and its variants, as `PageInputs` hashes
/// them) and the files folder listing `CatalogCheck` last passed the catalog with. Both are pure
/// functions of the catalog text (and that listing), so a build whose catalog text is the same skips
/// working them out: at 10,000 products, hashing the records through `Encodable` was about a tenth of
/// a one-edit cached build's CPU time and the checks another 100 ms (perf, `bench/run --sites`).
///
///     sitegen-catalog 1 <TAB> sitegen identity
///     digest <TAB> SHA-256 of the catalog text
///     checked <TAB> hash of the files listing          (when the checks passed)
///     r <TAB> record hash <TAB> SKU                     (a line per product)
///     end <TAB> hash of every byte before this line (`ContentHash`)
///
/// A file from another sitegen, for another text, changed after sitegen wrote it, or one that
/// cannot be read is not used (and is written anew after the build).
struct CatalogMemo {
    static let format = "sitegen-catalog 1"

    let digest: String
    /// Record hashes by product SKU.
    var records: [String: UInt64] = [:]
    /// `CatalogMemo.listingHash` of the files folder when the checks last passed this catalog.
    var checked: UInt64?
    /// True when this build worked something out that the file does not hold yet.
    var isStale = false

    init(digest: String) { self.digest = digest }

    /// The memo for the catalog text with this digest from `folder/catalog.tsv`, or an empty one.
    static func read(folder: String, digest: String) -> CatalogMemo {
        var memo = CatalogMemo(digest: digest)
        guard let bytes = ChecksummedFile.read(folder + "/catalog.tsv"), let lines = TabSeparatedLines(bytes: bytes) else { return memo }
        var line = 0
        var usable = true
        var records: [String: UInt64] = [:]
        var checked: UInt64?
        lines.forEach(fields: 3) { fields in
            line += 1
            let kind = TabSeparatedLines.string(fields[0])
            switch (line, kind, fields.count) {
            case (1, format, 2): usable = TabSeparatedLines.string(fields[1]) == BuildCache.identity
            case (2, "digest", 2): usable = TabSeparatedLines.string(fields[1]) == digest
            case (3..., "checked", 2):
                checked = TabSeparatedLines.hex(fields[1])
                usable = checked != nil
            case (3..., "r", 3):
                guard let value = TabSeparatedLines.hex(fields[1]) else { usable = false; break }
                records[TabSeparatedLines.string(fields[2])] = value
            default: usable = false
            }
            return usable
        }
        guard usable, line >= 2 else { return memo }
        memo.records = records
        memo.checked = checked
        return memo
    }

    /// Writes the memo when this build added to it; best effort (without it the next build only
    /// works the records out again).
    func write(folder: String) {
        guard isStale else { return }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(records.count * 32 + 200)
        bytes += "\(Self.format)\t\(BuildCache.identity)\ndigest\t\(digest)\n".utf8
        if let checked { bytes += "checked\t\(String(checked, radix: 16))\n".utf8 }
        for (sku, value) in records.sorted(by: { $0.key < $1.key }) { bytes += "r\t\(String(value, radix: 16))\t\(sku)\n".utf8 }
        ChecksummedFile.write(bytes, to: folder + "/catalog.tsv")
    }

    /// A hash of the files folder's listing (nil when there is no such folder), for `checked`.
    static func listingHash(_ files: [String]?) -> UInt64 {
        StableHash.of { hash in
            guard let files else { return hash.combine(false) }
            hash.combine(true)
            for file in files.sorted() { hash.combine(file) }
        }
    }
}
