import Foundation

/// `pages.tsv`: the cache's index, read and written at the byte level (it has a line per page).
///
///     sitegen-cache 2 <TAB> sitegen 0.17.0 <build id>
///     k <TAB> hash <TAB> key                 (input keys, numbered from 0 through the whole file)
///     p <TAB> hash <TAB> size <TAB> modified <TAB> job <TAB> key numbers, comma-separated <TAB> file
///     x <TAB> file                           (a page the site no longer has)
///     end <TAB> number of lines before <TAB> checksum
///
/// A build that changed a few pages appends their lines (a later `p` line for a file replaces the
/// earlier one) and another `end` line, rather than writing 3 MB again at 10,000 pages: writing the
/// whole index was a tenth of CI's one-edit build. Each `end` line's checksum is the `StableHash` of
/// the one before it (0 for the first) and the bytes between them (`AppendableFile.checksum`), so reading
/// checks every byte once.
/// Once the appended lines reach half the lines of the last whole write, or 100 appends, the index is
/// written whole again, without the keys no page reads any more.
extension BuildCache {
    /// What `pages.tsv` holds: its pages and keys, or nil with a note saying why it is not used;
    /// `fromOtherSitegen` when another sitegen wrote it (its image copies are not trusted either).
    struct Index: Sendable {
        var pages: [String: Page]?
        var keys: [InputKey] = []
        var written: Written?
        var note: String?
        var fromOtherSitegen = false

        /// The file as read or last written, to append to.
        struct Written: Sendable {
            var bytes: Int
            var lines: Int
            /// The last `end` line's checksum.
            var checksum: UInt64
            /// How many keys the file numbers.
            var keys: Int
            /// Lines of the last whole write, and appends since.
            var wholeLines: Int
            var appends: Int
        }
    }

    /// Reads the index in `folder` (nothing in it: an empty cache, no note).
    static func readIndex(folder: String) -> Index {
        let index = folder + "/pages.tsv"
        // One read into one array (`FileBytes`): through `Data` the 2.5 MB were copied once more.
        guard let bytes = FileBytes.read(index) else { return Index(pages: [:]) }
        guard let lines = TabSeparatedLines(bytes: bytes) else { return Index(pages: [:]) }
        var keys: [InputKey] = []
        var loaded: [String: Page] = [:]
        // A page's line is about 250 bytes at 10,000 pages: growing the table as it fills was a tenth of reading it.
        loaded.reserveCapacity(bytes.count / 256)
        var header: String?
        var line = 0
        var offset = 0
        var damage: Int?
        var checksumFailed = false
        var written: Index.Written?
        var segmentStart = 0
        var ended = false
        lines.forEach(fields: 7) { fields in
            line += 1
            let lineStart = offset
            offset += fields.reduce(0) { $0 + $1.count } + fields.count
            let kind = TabSeparatedLines.string(fields[0])
            ended = false
            if line == 1 {
                guard kind == Self.format, fields.count == 2 else {
                    damage = line
                    return false
                }
                header = TabSeparatedLines.string(fields[1])
                return header == Self.identity
            }
            switch kind {
            case "k" where fields.count == 3:
                guard let value = TabSeparatedLines.hex(fields[1]) else { break }
                keys.append(InputKey(key: TabSeparatedLines.string(fields[2]), value: value))
                return true
            case "p" where fields.count == 7:
                guard let hash = TabSeparatedLines.hex(fields[1]), let size = TabSeparatedLines.integer(fields[2]),
                      let modified = TabSeparatedLines.integer(fields[3])
                else { break }
                // An empty list, or numbers each below the number of keys.
                guard let reads = TabSeparatedLines.numberList(fields[5]), !reads.contains(where: { Int($0) >= keys.count }) else {
                    damage = line
                    return false
                }
                loaded[TabSeparatedLines.string(fields[6])] = Page(
                    job: TabSeparatedLines.string(fields[4]), hash: hash, size: Int(size), modified: modified, reads: reads)
                return true
            case "x" where fields.count >= 2:
                // The rest of the line: a file's name may hold a tab.
                loaded[TabSeparatedLines.string(bytes[fields[1].startIndex..<fields[fields.count - 1].endIndex])] = nil
                return true
            case "end" where fields.count == 3:
                let checksum = bytes.withUnsafeBytes { raw in
                    AppendableFile.checksum(after: written?.checksum ?? 0, UnsafeRawBufferPointer(rebasing: raw[segmentStart..<lineStart]))
                }
                guard TabSeparatedLines.integer(fields[1]) == Int64(line - 1), TabSeparatedLines.hex(fields[2]) == checksum else {
                    checksumFailed = true
                    break
                }
                segmentStart = offset
                written = Index.Written(
                    bytes: offset, lines: line, checksum: checksum, keys: keys.count, wholeLines: written?.wholeLines ?? line,
                    appends: written.map { $0.appends + 1 } ?? 0)
                ended = true
                return true
            default: break
            }
            damage = line
            return false
        }
        var note: String?
        if let header, header != Self.identity {
            note = "ignored the build cache in \(folder): it was written by \(header), this is \(Self.identity); every page is rendered and the cache written anew"
        } else if checksumFailed {
            note = "ignored the build cache in \(folder): \(index) does not match its checksum (it was changed after sitegen wrote it); every page is rendered and the cache written anew"
        } else if let damage {
            note = "ignored the build cache in \(folder): \(index) is damaged at line \(damage); every page is rendered and the cache written anew"
        } else if !ended || offset != bytes.count {
            note = "ignored the build cache in \(folder): \(index) is incomplete; every page is rendered and the cache written anew"
        } else {
            return Index(pages: loaded, keys: keys, written: written)
        }
        return Index(pages: nil, note: note, fromOtherSitegen: header != nil && header != Self.identity)
    }

    /// Writes what changed since the index was read or written (`changed`: pages changed or removed),
    /// appended to the file when that is still small, else the whole index.
    func write(changed: Set<String>) throws {
        if let written, written.appends < 100,
           written.lines + (keys.count - written.keys) + changed.count + 1 <= written.wholeLines + written.wholeLines / 2,
           append(changed, to: written) {
            return
        }
        self.written = nil
        try writeWhole()
    }

    /// Appends the keys numbered since and a line per changed page; false, with the file as it was,
    /// when the file is not the one read or last written.
    private func append(_ changed: Set<String>, to written: Index.Written) -> Bool {
        var segment: [UInt8] = []
        for key in keys[written.keys...] { Self.appendKeyLine(key, to: &segment) }
        for file in changed.sorted() {
            if let page = pages[file] {
                Self.appendPageLine(file, page, numbers: page.reads, to: &segment)
            } else {
                segment.append(contentsOf: "x\t\(file)\n".utf8)
            }
        }
        let lines = written.lines + segment.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        let checksum = segment.withUnsafeBytes { AppendableFile.checksum(after: written.checksum, $0) }
        segment.append(contentsOf: "end\t\(lines)\t\(String(checksum, radix: 16))\n".utf8)
        guard AppendableFile.append(segment, to: index, expecting: written.bytes) else { return false }
        self.written = Index.Written(
            bytes: written.bytes + segment.count, lines: lines + 1, checksum: checksum, keys: keys.count,
            wholeLines: written.wholeLines, appends: written.appends + 1)
        return true
    }

    /// Writes the index whole, numbering only the keys a page reads (and renumbering `pages`' reads).
    private func writeWhole() throws {
        // Built as bytes, not Strings: the index has a line per page and a number per input it read.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(pages.count * 160)
        bytes.append(contentsOf: (Self.format + "\t" + Self.identity + "\n").utf8)
        var renumbered = [Int32](repeating: -1, count: keys.count)
        var kept: [InputKey] = []
        var pageLines: [UInt8] = []
        pageLines.reserveCapacity(pages.count * 120)
        var numbers: [Int32] = []
        // The paths sorted, not the (path, page) pairs: moving pages with their reads about was most of the sort.
        for file in pages.keys.sorted() {
            let page = pages[file]!
            numbers.removeAll(keepingCapacity: true)
            for read in page.reads {
                if renumbered[Int(read)] < 0 {
                    renumbered[Int(read)] = Int32(kept.count)
                    kept.append(keys[Int(read)])
                    Self.appendKeyLine(keys[Int(read)], to: &bytes)
                }
                numbers.append(renumbered[Int(read)])
            }
            Self.appendPageLine(file, page, numbers: numbers, to: &pageLines)
        }
        bytes += pageLines
        let lines = 1 + kept.count + pages.count
        let checksum = bytes.withUnsafeBytes { AppendableFile.checksum(after: 0, $0) }
        bytes.append(contentsOf: "end\t\(lines)\t\(String(checksum, radix: 16))\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: index), options: .atomic)
        pages = pages.mapValues { page in
            var page = page
            page.reads = page.reads.map { renumbered[Int($0)] }
            return page
        }
        replaceKeys(kept)
        written = Index.Written(bytes: bytes.count, lines: lines + 1, checksum: checksum, keys: kept.count, wholeLines: lines + 1, appends: 0)
    }

    private static func appendKeyLine(_ key: InputKey, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: "k\t".utf8)
        TabSeparatedLines.appendHex(key.value, to: &bytes)
        bytes.append(UInt8(ascii: "\t"))
        bytes.append(contentsOf: key.key.utf8)
        bytes.append(UInt8(ascii: "\n"))
    }

    private static func appendPageLine(_ file: String, _ page: Page, numbers: [Int32], to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "p"))
        bytes.append(UInt8(ascii: "\t"))
        TabSeparatedLines.appendHex(page.hash, to: &bytes)
        for number in [Int64(page.size), page.modified] {
            bytes.append(UInt8(ascii: "\t"))
            TabSeparatedLines.appendInteger(number, to: &bytes)
        }
        bytes.append(UInt8(ascii: "\t"))
        bytes.append(contentsOf: page.job.utf8)
        bytes.append(UInt8(ascii: "\t"))
        for (position, number) in numbers.enumerated() {
            if position > 0 { bytes.append(UInt8(ascii: ",")) }
            TabSeparatedLines.appendInteger(Int64(number), to: &bytes)
        }
        bytes.append(UInt8(ascii: "\t"))
        bytes.append(contentsOf: file.utf8)
        bytes.append(UInt8(ascii: "\n"))
    }
}
