import Foundation
import Glibc

/// What the last build wrote: each output file's hash, size and modification time, kept beside the
/// output folder (`.public.sitegen-manifest`) so a rebuild can leave unchanged files alone.
struct OutputManifest: Sendable {
    struct Entry: Sendable, Equatable {
        var hash: UInt64
        var size: Int
        /// Modification time in nanoseconds, to notice a file someone changed by hand.
        var modified: Int64
    }

    var entries: [String: Entry] = [:]

    init() {}

    /// Reads a manifest; a missing or unreadable one is empty, which only means every file gets written.
    init(path: String) {
        guard let lines = TabSeparatedLines(path: path) else { return }
        lines.forEach(fields: 4) { fields in
            guard fields.count == 4, let hash = TabSeparatedLines.hex(fields[0]), let size = TabSeparatedLines.integer(fields[1]),
                  let modified = TabSeparatedLines.integer(fields[2])
            else { return true }
            entries[TabSeparatedLines.string(fields[3])] = Entry(hash: hash, size: Int(size), modified: modified)
            return true
        }
    }

    func write(to path: String) throws {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(entries.count * 90)
        // In the dictionary's order: the reader files them by path, and sorting 10,000 entries was
        // most of writing them (perf).
        for (file, entry) in entries {
            TabSeparatedLines.appendHex(entry.hash, to: &bytes)
            bytes.append(UInt8(ascii: "\t"))
            TabSeparatedLines.appendInteger(Int64(entry.size), to: &bytes)
            bytes.append(UInt8(ascii: "\t"))
            TabSeparatedLines.appendInteger(entry.modified, to: &bytes)
            bytes.append(UInt8(ascii: "\t"))
            bytes.append(contentsOf: file.utf8)
            bytes.append(UInt8(ascii: "\n"))
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Size and modification time of a file, or nil when it is missing.
    static func stat(_ path: String) -> (size: Int, modified: Int64)? {
        var info = Glibc.stat()
        guard lstat(path, &info) == 0 else { return nil }
        return (Int(info.st_size), Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
    }
}
