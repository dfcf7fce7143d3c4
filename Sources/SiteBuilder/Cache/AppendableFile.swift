import Foundation
import Glibc

/// A build cache file of lines that a build writes whole and later builds append to, each part
/// ended by an `end` line whose checksum is the `StableHash` of the part before's checksum (0 for
/// the first part) and the part's bytes: one changed after sitegen wrote it, or cut short, is not
/// used, and reading checks every byte once however many parts it has (`ContentMemo`; `pages.tsv`
/// has its own `end` lines, with the same checksums).
///
///     …lines… <NEWLINE> end <TAB> checksum, hexadecimal <NEWLINE> …lines… <NEWLINE> end <TAB> checksum
///
/// A one-edit build appends a line where writing the whole file again (2 MB of content memo at
/// 10,000 products) was a twentieth of CI's one-edit build (perf).
struct AppendableFile: Sendable {
    /// The file's size in bytes, the last part's checksum, and how many parts were appended since
    /// it was written whole, at `wholeBytes`.
    var bytes: Int
    var checksum: UInt64
    var appends: Int
    var wholeBytes: Int

    /// The checksum of a part after one whose checksum was `previous`.
    static func checksum(after previous: UInt64, _ part: UnsafeRawBufferPointer) -> UInt64 {
        StableHash.of { hash in
            hash.combine(previous)
            hash.combine(bytes: part)
        }
    }

    /// Calls `body` with each line of `bytes` but the `end` lines; nil when a part's checksum does not
    /// match, the bytes do not end with an `end` line, or `body` returns false.
    static func read(_ bytes: [UInt8], _ body: (ArraySlice<UInt8>) -> Bool) -> AppendableFile? {
        var file: AppendableFile?
        var partStart = 0
        var start = 0
        let end = Array("end\t".utf8)
        while start < bytes.count {
            guard let newline = bytes.firstPosition(of: UInt8(ascii: "\n"), from: start) else { return nil }
            let line = bytes[start..<newline]
            if line.starts(with: end) {
                let checksum = bytes.withUnsafeBytes { Self.checksum(after: file?.checksum ?? 0, UnsafeRawBufferPointer(rebasing: $0[partStart..<start])) }
                guard TabSeparatedLines.hex(line.dropFirst(end.count)) == checksum else { return nil }
                file = AppendableFile(
                    bytes: newline + 1, checksum: checksum, appends: file.map { $0.appends + 1 } ?? 0, wholeBytes: file?.wholeBytes ?? newline + 1)
                partStart = newline + 1
            } else if !body(line) {
                return nil
            }
            start = newline + 1
        }
        return partStart == bytes.count ? file : nil
    }

    /// Writes `lines` and their `end` line to `path`, atomically.
    static func write(_ lines: [UInt8], to path: String) -> AppendableFile? {
        let checksum = lines.withUnsafeBytes { Self.checksum(after: 0, $0) }
        let file = lines + Array("end\t\(String(checksum, radix: 16))\n".utf8)
        guard (try? Data(file).write(to: URL(fileURLWithPath: path), options: .atomic)) != nil else { return nil }
        return AppendableFile(bytes: file.count, checksum: checksum, appends: 0, wholeBytes: file.count)
    }

    /// True when appending `count` more bytes keeps the file within half as large again as when it
    /// was written whole, and within 100 parts: past that it is written whole again.
    func hasRoom(for count: Int) -> Bool { appends < 100 && bytes + count <= wholeBytes + wholeBytes / 2 }

    /// Appends `lines` and their `end` line to `path`; nil, leaving the file as it was, when `path`
    /// is not this file (its size differs).
    func appending(_ lines: [UInt8], to path: String) -> AppendableFile? {
        let checksum = lines.withUnsafeBytes { Self.checksum(after: self.checksum, $0) }
        let part = lines + Array("end\t\(String(checksum, radix: 16))\n".utf8)
        guard Self.append(part, to: path, expecting: bytes) else { return nil }
        return AppendableFile(bytes: bytes + part.count, checksum: checksum, appends: appends + 1, wholeBytes: wholeBytes)
    }

    /// Appends `bytes` to the file at `path` when it is `size` bytes long; after a short write the
    /// file is cut back to `size`.
    static func append(_ bytes: [UInt8], to path: String, expecting size: Int) -> Bool {
        let descriptor = Glibc.open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, Int(info.st_size) == size else { return false }
        guard bytes.withUnsafeBytes({ Glibc.write(descriptor, $0.baseAddress, $0.count) }) == bytes.count else {
            // A disk full, say: the file as it was, rather than a torn last part.
            _ = ftruncate(descriptor, off_t(size))
            return false
        }
        return true
    }
}
