import Foundation

/// `pages.tsv`: the cache's index, read and written at the byte level (it has a line per page).
///
///     sitegen-cache 1 <TAB> sitegen 0.17.0 <build id>
///     k <TAB> hash <TAB> key                                   (input keys, numbered from 0)
///     p <TAB> hash <TAB> size <TAB> modified <TAB> job <TAB> key numbers, comma-separated <TAB> file
///     end <TAB> number of lines before <TAB> hash of every byte before this line
extension BuildCache {
    /// What `pages.tsv` holds: its pages, or nil with a note saying why it is not used; `fromOtherSitegen`
    /// when another sitegen wrote it (its image copies are not trusted either).
    struct Index: Sendable {
        var pages: [String: Page]?
        var note: String?
        var fromOtherSitegen = false
    }

    /// Reads the index in `folder` (nothing in it: an empty cache, no note).
    static func readIndex(folder: String) -> Index {
        let index = folder + "/pages.tsv"
        guard let data = FileManager.default.contents(atPath: index) else { return Index(pages: [:]) }
        let bytes = [UInt8](data)
        guard let lines = TabSeparatedLines(bytes: bytes) else { return Index(pages: [:]) }
        var keys: [(String, UInt64)] = []
        var loaded: [String: Page] = [:]
        var header: String?
        var line = 0
        var offset = 0
        var damage: Int?
        var checksumFailed = false
        var ended = false
        lines.forEach(fields: 7) { fields in
            line += 1
            defer { offset += fields.reduce(0) { $0 + $1.count } + fields.count }
            let kind = TabSeparatedLines.string(fields[0])
            if ended {
                damage = line
                return false
            }
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
                keys.append((TabSeparatedLines.string(fields[2]), value))
                return true
            case "p" where fields.count == 7:
                guard let hash = TabSeparatedLines.hex(fields[1]), let size = TabSeparatedLines.integer(fields[2]),
                      let modified = TabSeparatedLines.integer(fields[3])
                else { break }
                var reads: [(String, UInt64)] = []
                for number in fields[5].split(separator: UInt8(ascii: ",")) {
                    guard let at = TabSeparatedLines.integer(number), at >= 0, Int(at) < keys.count else {
                        damage = line
                        return false
                    }
                    reads.append(keys[Int(at)])
                }
                loaded[TabSeparatedLines.string(fields[6])] = Page(
                    job: TabSeparatedLines.string(fields[4]), hash: hash, size: Int(size), modified: modified, reads: reads)
                return true
            case "end" where fields.count == 3:
                guard TabSeparatedLines.integer(fields[1]) == Int64(line - 1),
                      TabSeparatedLines.hex(fields[2]) == ContentHash.of(Array(bytes[..<offset]))
                else {
                    checksumFailed = true
                    break
                }
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
        } else if !ended {
            note = "ignored the build cache in \(folder): \(index) is incomplete; every page is rendered and the cache written anew"
        } else {
            return Index(pages: loaded)
        }
        return Index(pages: nil, note: note, fromOtherSitegen: header != nil && header != Self.identity)
    }

    func write() throws {
        // Built as bytes, not Strings: the index has a line per page and a number per input it read.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(pages.count * 160)
        func append(_ text: String) { bytes.append(contentsOf: text.utf8) }
        func append(hex value: UInt64) { append(String(value, radix: 16)) }
        append(Self.format + "\t" + Self.identity + "\n")
        // Every page holds the hash each key has in this build (the ones taken from the cache matched
        // it), so a key gets one number; a key seen with two hashes gets one per hash.
        var numbers: [String: (number: Int, value: UInt64)] = [:]
        numbers.reserveCapacity(pages.count * 3)
        var others: [String: Int] = [:]
        var keyLines = 0
        var pageLines: [UInt8] = []
        pageLines.reserveCapacity(pages.count * 120)
        // The paths sorted, not the (path, page) pairs: moving pages with their reads about was most of the sort.
        for file in pages.keys.sorted() {
            let page = pages[file]!
            pageLines.append(UInt8(ascii: "p"))
            for (field, radix) in [(Int64(bitPattern: page.hash), 16), (Int64(page.size), 10), (page.modified, 10)] {
                pageLines.append(UInt8(ascii: "\t"))
                Self.appendDigits(field, radix: radix, unsigned: radix == 16, to: &pageLines)
            }
            pageLines.append(UInt8(ascii: "\t"))
            pageLines.append(contentsOf: page.job.utf8)
            pageLines.append(UInt8(ascii: "\t"))
            for (position, read) in page.reads.enumerated() {
                let number: Int
                if let known = numbers[read.key], known.value == read.value {
                    number = known.number
                } else if numbers[read.key] != nil, let other = others[read.key + "\t" + String(read.value, radix: 16)] {
                    number = other
                } else {
                    number = keyLines
                    keyLines += 1
                    if numbers[read.key] == nil {
                        numbers[read.key] = (number, read.value)
                    } else {
                        others[read.key + "\t" + String(read.value, radix: 16)] = number
                    }
                    append("k\t")
                    append(hex: read.value)
                    append("\t" + read.key + "\n")
                }
                if position > 0 { pageLines.append(UInt8(ascii: ",")) }
                Self.appendDigits(Int64(number), radix: 10, unsigned: false, to: &pageLines)
            }
            pageLines.append(UInt8(ascii: "\t"))
            pageLines.append(contentsOf: file.utf8)
            pageLines.append(UInt8(ascii: "\n"))
        }
        bytes += pageLines
        let lines = 1 + keyLines + pages.count
        append("end\t\(lines)\t\(String(ContentHash.of(bytes), radix: 16))\n")
        try Data(bytes).write(to: URL(fileURLWithPath: index), options: .atomic)
    }

    /// Appends `value`'s digits as `String(value, radix:)` writes them (`unsigned`: its bits as a
    /// `UInt64`), without making a String for each of the index's numbers.
    static func appendDigits(_ value: Int64, radix: Int, unsigned: Bool, to bytes: inout [UInt8]) {
        var magnitude = unsigned ? UInt64(bitPattern: value) : value.magnitude
        if !unsigned, value < 0 { bytes.append(UInt8(ascii: "-")) }
        // 24 bytes: the 20 digits of the largest decimal, the 16 of the largest hexadecimal.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            var at = buffer.count
            repeat {
                at -= 1
                let digit = UInt8(magnitude % UInt64(radix))
                buffer[at] = digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10
                magnitude /= UInt64(radix)
            } while magnitude > 0
            bytes.append(contentsOf: buffer[at...])
        }
    }
}
