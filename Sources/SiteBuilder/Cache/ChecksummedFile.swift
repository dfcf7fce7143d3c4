import Foundation

/// A build cache file whose last line is `end <TAB> hash of every byte before it` (`ContentHash`),
/// so one changed after sitegen wrote it, or cut short, is not used (`CatalogMemo`, `ContentMemo`).
enum ChecksummedFile {
    /// The bytes before the `end` line, or nil when the file is missing or its checksum does not match.
    static func read(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).flatMap(verified)
    }

    /// The bytes before the `end` line of a file's contents, or nil when its checksum does not match.
    static func verified(_ data: Data) -> [UInt8]? {
        let bytes = [UInt8](data.dropLast(data.last == UInt8(ascii: "\n") ? 1 : 0))
        guard let cut = bytes.lastIndex(of: UInt8(ascii: "\n")),
              String(decoding: bytes[(cut + 1)...], as: UTF8.self) == "end\t" + String(ContentHash.of(Array(bytes[...cut])), radix: 16)
        else { return nil }
        return Array(bytes[...cut])
    }

    /// Writes `bytes` (whole lines) and the `end` line, atomically; best effort.
    static func write(_ bytes: [UInt8], to path: String) {
        let file = bytes + Array("end\t\(String(ContentHash.of(bytes), radix: 16))\n".utf8)
        try? Data(file).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
