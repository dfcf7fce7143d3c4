import Foundation

/// A build cache file whose last line is `end <TAB> hash of every byte before it` (`ContentHash`),
/// so one changed after sitegen wrote it, or cut short, is not used (`CatalogMemo`, `ContentMemo`).
enum ChecksummedFile {
    /// The bytes before the `end` line, or nil when the file is missing or its checksum does not match.
    static func read(_ path: String) -> [UInt8]? {
        guard var bytes = FileBytes.read(path), verify(&bytes) else { return nil }
        return bytes
    }

    /// Cuts the `end` line off a file's bytes, in place; false when its checksum does not match.
    /// Hashed and cut where they lie: through `Data` and copies the catalog's 6 MB snapshot was
    /// copied three times at 10,000 products (perf).
    static func verify(_ bytes: inout [UInt8]) -> Bool {
        let end = bytes.last == UInt8(ascii: "\n") ? bytes.count - 1 : bytes.count
        guard let cut = bytes[..<end].lastIndex(of: UInt8(ascii: "\n")) else { return false }
        let hash = ContentHash.of(bytes[...cut])
        guard bytes[(cut + 1)..<end].elementsEqual("end\t\(String(hash, radix: 16))".utf8) else { return false }
        bytes.removeSubrange((cut + 1)...)
        return true
    }

    /// Writes `bytes` (whole lines) and the `end` line, atomically; best effort.
    static func write(_ bytes: [UInt8], to path: String) {
        let file = bytes + Array("end\t\(String(ContentHash.of(bytes), radix: 16))\n".utf8)
        try? Data(file).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
