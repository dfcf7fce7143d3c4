import Foundation

/// What each content file parsed to, by the hash of its bytes (`content.tsv` in the build cache), so a
/// build parses only the Markdown files that changed: at 10,000 products, reading the front matter of
/// every file was about a tenth of a one-edit cached build's CPU time (perf, `bench/run --sites`).
/// The body is not kept: it is the file's text from `bodyStart` on, and the file is read anyway to
/// hash it.
///
///     sitegen-content 2 <TAB> sitegen identity
///     f <TAB> hash <TAB> body start <TAB> kind or - (a draft) <TAB> key <TAB> key line <TAB> title
///       <TAB> description <TAB> headline <TAB> menu <TAB> weight <TAB> body line <TAB> highlights…
///       <TAB> path                                      (a line per file; `-` for a field not set,
///                                                        `=` and the value for one set; `\t`, `\n`,
///                                                        `\r` and `\\` escaped)
///     x <TAB> path                                       (a file no longer there)
///     end <TAB> checksum                                 (`AppendableFile`)
///
/// A build that parsed a few files appends their lines (a later line for a path replaces the
/// earlier). A file from another sitegen, changed after sitegen wrote it, or one that cannot be read
/// is not used, and is written anew after the build.
struct ContentMemo: Sendable {
    static let format = "sitegen-content 2"

    /// A file's parse: nil `copy` for a draft. A class: 10,000 of them are filed in dictionaries and
    /// compared each build, and copying one was a retain per text field.
    final class Entry: Sendable, Equatable {
        let hash: UInt64
        /// Where the body starts in the file's text (after `TextInput.normalized`), in UTF-8 bytes.
        let bodyStart: Int
        let kind: ContentKind?
        let key: String
        let keyLine: Int
        let title: String?
        let description: String?
        let headline: String?
        let menu: String?
        let weight: Int
        let bodyLine: Int
        let highlights: [String]

        init(hash: UInt64, bodyStart: Int, parsed: (ContentKind, PageCopy)?) {
            self.hash = hash
            self.bodyStart = bodyStart
            kind = parsed?.0
            let copy = parsed?.1
            key = copy?.key ?? ""
            keyLine = copy?.keyLine ?? 0
            title = copy?.title
            description = copy?.description
            headline = copy?.headline
            menu = copy?.menu
            weight = copy?.weight ?? 0
            bodyLine = copy?.bodyLine ?? 0
            highlights = copy?.highlights ?? []
        }

        static func == (a: Entry, b: Entry) -> Bool {
            a === b || (a.hash == b.hash && a.bodyStart == b.bodyStart && a.kind == b.kind && a.key == b.key && a.keyLine == b.keyLine
                && a.title == b.title && a.description == b.description && a.headline == b.headline && a.menu == b.menu
                && a.weight == b.weight && a.bodyLine == b.bodyLine && a.highlights == b.highlights)
        }

        fileprivate init?(_ fields: [ArraySlice<UInt8>]) {
            guard fields.count >= 13, let hash = TabSeparatedLines.hex(fields[1]), let bodyStart = TabSeparatedLines.integer(fields[2]).map(Int.init),
                  let keyLine = TabSeparatedLines.integer(fields[5]).map(Int.init), let weight = TabSeparatedLines.integer(fields[10]).map(Int.init),
                  let bodyLine = TabSeparatedLines.integer(fields[11]).map(Int.init)
            else { return nil }
            let kind = Self.text(fields[3])
            self.hash = hash
            self.bodyStart = bodyStart
            self.kind = kind == "-" ? nil : ContentKind(rawValue: kind)
            guard kind == "-" || self.kind != nil, let title = Self.optional(fields[6]), let description = Self.optional(fields[7]),
                  let headline = Self.optional(fields[8]), let menu = Self.optional(fields[9])
            else { return nil }
            key = Self.text(fields[4])
            self.keyLine = keyLine
            self.title = title
            self.description = description
            self.headline = headline
            self.menu = menu
            self.weight = weight
            self.bodyLine = bodyLine
            highlights = fields[12..<(fields.count - 1)].map { Self.text($0) }
        }

        /// The parse again, with the body from the file's bytes (as `SiteContent.Loaded` has them).
        func parsed(path: String, bytes: [UInt8]) -> (ContentKind, PageCopy)?? {
            guard let kind else { return .some(nil) }
            // The bytes hash as those parsed to this entry: they are the UTF-8 text it was parsed from.
            guard bodyStart <= bytes.count else { return nil }
            var copy = PageCopy(
                path: path, key: key, keyLine: keyLine, title: title, description: description, headline: headline,
                highlights: highlights, menu: menu, weight: weight, draft: false, text: bytes, bodyStart: bodyStart, bodyLine: bodyLine)
            copy.fileHash = hash
            return (kind, copy)
        }

        /// Appends the entry's line (built as bytes: the file has a line per content file).
        fileprivate func append(path: String, to bytes: inout [UInt8]) {
            func field(_ text: String) {
                bytes.append(9)
                Self.appendEscaped(text, to: &bytes)
            }
            bytes += "f\t\(String(hash, radix: 16))\t\(bodyStart)\t\(kind?.rawValue ?? "-")".utf8
            field(key)
            field(String(keyLine))
            for optional in [title, description, headline, menu] {
                bytes.append(9)
                if let optional {
                    bytes.append(UInt8(ascii: "="))
                    Self.appendEscaped(optional, to: &bytes)
                } else {
                    bytes.append(UInt8(ascii: "-"))
                }
            }
            field(String(weight))
            field(String(bodyLine))
            for highlight in highlights { field(highlight) }
            field(path)
            bytes.append(10)
        }

        static func appendEscaped(_ text: String, to bytes: inout [UInt8]) {
            for byte in text.utf8 {
                switch byte {
                case 92: bytes += [92, 92]
                case 9: bytes += [92, UInt8(ascii: "t")]
                case 10: bytes += [92, UInt8(ascii: "n")]
                case 13: bytes += [92, UInt8(ascii: "r")]
                default: bytes.append(byte)
                }
            }
        }

        static func text(_ field: ArraySlice<UInt8>) -> String {
            guard field.contains(92) else { return String(decoding: field, as: UTF8.self) }
            var bytes: [UInt8] = []
            var escape = false
            for byte in field {
                if escape {
                    bytes.append(byte == UInt8(ascii: "t") ? 9 : byte == UInt8(ascii: "n") ? 10 : byte == UInt8(ascii: "r") ? 13 : byte)
                    escape = false
                } else if byte == 92 {
                    escape = true
                } else {
                    bytes.append(byte)
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        }

        /// `-` is nil; `=value` is the value; nil (not usable) otherwise.
        private static func optional(_ field: ArraySlice<UInt8>) -> String?? {
            if field.elementsEqual([UInt8(ascii: "-")]) { return .some(nil) }
            guard field.first == UInt8(ascii: "=") else { return nil }
            return .some(text(field.dropFirst()))
        }
    }

    /// Entries by path under `content/`.
    var entries: [String: Entry] = [:]
    /// The entries `content.tsv` holds, and the file, when it was read or written by this memo.
    var onDisk: (entries: [String: Entry], file: AppendableFile)?
    /// The paths whose entries may differ from `onDisk`'s, when known (nil: compare them all). Worked
    /// out by a one-shot build's read; the preview, which never writes the memo, does not keep it right.
    var changes: Set<String>?

    /// The memo in `folder/content.tsv`, or an empty one.
    static func read(folder: String) -> ContentMemo {
        var memo = ContentMemo()
        guard let data = FileBytes.read(folder + "/content.tsv") else { return memo }
        var entries: [String: Entry] = [:]
        // A file's line is about 200 bytes: growing the table as it filled was a tenth of reading it.
        entries.reserveCapacity(data.count / 192)
        var first = true
        // One array of fields for every line: splitting each into a new one grew it four times a line (heaptrack).
        var fields: [ArraySlice<UInt8>] = []
        fields.reserveCapacity(32)
        let file = AppendableFile.read(data) { line in
            TabSeparatedLines.split(line, into: &fields)
            if first {
                first = false
                return fields.count == 2 && Entry.text(fields[0]) == format && Entry.text(fields[1]) == BuildCache.identity
            }
            switch Entry.text(fields[0]) {
            case "f":
                guard let entry = Entry(fields) else { return false }
                entries[Entry.text(fields[fields.count - 1])] = entry
            case "x" where fields.count == 2:
                entries[Entry.text(fields[1])] = nil
            default:
                return false
            }
            return true
        }
        guard let file else { return memo }
        memo.entries = entries
        memo.onDisk = (entries, file)
        return memo
    }

    /// Writes the memo: the entries that changed since it was read, appended, while the file has
    /// room (`AppendableFile.hasRoom`), else the whole memo. Best effort (without it the next build
    /// only parses every file again).
    mutating func write(folder: String) {
        let path = folder + "/content.tsv"
        if let (written, file) = onDisk {
            var lines: [UInt8] = []
            let candidates = changes ?? Set(entries.keys).union(written.keys)
            for path in candidates.sorted() {
                let entry = entries[path], old = written[path]
                if let entry {
                    if let old, old === entry || old.hash == entry.hash { continue }
                    entry.append(path: path, to: &lines)
                } else if old != nil {
                    lines += "x\t".utf8
                    Entry.appendEscaped(path, to: &lines)
                    lines.append(10)
                }
            }
            if lines.isEmpty { return }
            if file.hasRoom(for: lines.count), let appended = file.appending(lines, to: path) {
                onDisk = (entries, appended)
                changes = []
                return
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(entries.count * 200 + 100)
        bytes += "\(Self.format)\t\(BuildCache.identity)\n".utf8
        for (path, entry) in entries.sorted(by: { $0.key < $1.key }) { entry.append(path: path, to: &bytes) }
        onDisk = AppendableFile.write(bytes, to: path).map { (entries, $0) }
        changes = onDisk == nil ? nil : []
    }
}
