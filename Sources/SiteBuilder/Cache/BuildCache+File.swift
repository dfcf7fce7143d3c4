import Foundation

/// `pages.tsv`: the cache's index, read and written at the byte level (it has a line per page).
///
///     sitegen-cache 1 <TAB> sitegen 0.17.0 <build id>
///     k <TAB> hash <TAB> key                                   (input keys, numbered from 0)
///     p <TAB> hash <TAB> size <TAB> modified <TAB> job <TAB> key numbers, comma-separated <TAB> file
///     end <TAB> number of lines before <TAB> hash of every byte before this line
extension BuildCache {
    func load() {
        guard let data = FileManager.default.contents(atPath: index) else { return }
        let bytes = [UInt8](data)
        guard let lines = TabSeparatedLines(bytes: bytes) else { return }
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
        if let header, header != Self.identity {
            note = "ignored the build cache in \(folder): it was written by \(header), this is \(Self.identity); every page is rendered and the cache written anew"
        } else if checksumFailed {
            note = "ignored the build cache in \(folder): \(index) does not match its checksum (it was changed after sitegen wrote it); every page is rendered and the cache written anew"
        } else if let damage {
            note = "ignored the build cache in \(folder): \(index) is damaged at line \(damage); every page is rendered and the cache written anew"
        } else if !ended {
            note = "ignored the build cache in \(folder): \(index) is incomplete; every page is rendered and the cache written anew"
        } else {
            pages = loaded
        }
    }

    func write() throws {
        var text = Self.format + "\t" + Self.identity + "\n"
        var numbers: [String: Int] = [:]
        var lines = 1
        var pageLines = ""
        for (file, page) in pages.sorted(by: { $0.key < $1.key }) {
            var list = ""
            for read in page.reads {
                let name = read.key + "\t" + String(read.value, radix: 16)
                let number: Int
                if let known = numbers[name] {
                    number = known
                } else {
                    number = numbers.count
                    numbers[name] = number
                    text += "k\t" + String(read.value, radix: 16) + "\t" + read.key + "\n"
                    lines += 1
                }
                list += list.isEmpty ? String(number) : "," + String(number)
            }
            pageLines += "p\t\(String(page.hash, radix: 16))\t\(page.size)\t\(page.modified)\t\(page.job)\t\(list)\t\(file)\n"
            lines += 1
        }
        text += pageLines
        var bytes = Array(text.utf8)
        bytes += Array("end\t\(lines)\t\(String(ContentHash.of(bytes), radix: 16))\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: index), options: .atomic)
    }
}
