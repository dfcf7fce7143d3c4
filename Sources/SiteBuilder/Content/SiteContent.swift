import Foundation
import ShopCore
import SiteCore

/// All the copy under `content/`, joined to the catalog.
struct SiteContent: Sendable {
    var singles: [ContentKind: PageCopy] = [:]
    var products: [String: PageCopy] = [:]
    var niches: [String: PageCopy] = [:]
    var bundles: [String: PageCopy] = [:]
    var magnets: [String: PageCopy] = [:]
    /// Plain pages, by slug order.
    var pages: [PageCopy] = []
    /// What each file parsed to (nil for a draft), by path relative to the site folder, for a later
    /// load to take again when the file did not change. Empty unless the build runs again over its
    /// context (`BuildContext.runsAgain`: the preview's session).
    var parsed: [String: (ContentKind, PageCopy)?] = [:]
    /// What each file parsed to by the hash of its bytes, for the build cache (`ContentMemo`).
    var memo = ContentMemo()

    /// The content files read and parsed, before they are joined to the catalog: what needs no
    /// catalog, so a build does it while the catalog is read (`BuildStep.config`).
    struct Read: Sendable {
        let files: [String]
        /// By position in `files`.
        let parsed: [Parsed]
        /// True when the memo the files were read with does not hold exactly these files' parses.
        let memoIsStale: Bool
        /// What the memo's file holds (`ContentMemo.onDisk`), to append to.
        var memoOnDisk: (entries: [String: ContentMemo.Entry], file: AppendableFile)?
        /// The files whose memo entry is new, changed or gone (`ContentMemo.changes`).
        var memoChanges: [String] = []
    }

    /// What a file read to: its copy (nil for a draft) or its problems, its memo entry, and whether
    /// the memo had one for it before and whether this is another.
    struct Parsed: Sendable {
        let result: Result<(ContentKind, PageCopy)?, BuildError>
        let entry: ContentMemo.Entry?
        let hadEntry: Bool
        let changed: Bool
    }

    /// Reads and parses `files` (paths under `content/`) on every core; `reuse` may give a file's
    /// earlier parse instead of reading it, and `memo` the parse of a file whose bytes hash as it
    /// records. The files are read and hashed before `memo` is asked for: a build reads the memo
    /// on another thread meanwhile (`BuildStep.config`).
    /// `sizes`: each file's size as the input scan saw it, by position, so reading it needs no `stat`
    /// of its own (10,000 system calls at 10,000 products).
    static func read(
        siteFolder: String, files: [String], sizes: [Int]? = nil, memo: () -> ContentMemo = { ContentMemo() },
        reuse: @Sendable (String) -> (ContentKind, PageCopy)?? = { _ in nil }
    ) -> Read {
        let root = siteFolder + "/content"
        // Files are opened relative to it (`FileBytes`); by their full path when it cannot be opened.
        let rootFolder = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        let loaded = parallelMap(Array(files.indices)) { position -> Result<Loaded, BuildError>? in
            let relative = files[position]
            if reuse(relative) != nil { return nil }
            let sizeHint = sizes.flatMap { position < $0.count ? $0[position] : nil }
            return Result { () throws(BuildError) in try load(relative: relative, root: root, rootFolder: rootFolder, sizeHint: sizeHint) }
        }
        if rootFolder >= 0 { close(rootFolder) }
        let memo = memo()
        // By position, not over pairs of path and file: copying those was a tenth of reading 10,000 files (perf).
        let parsed = parallelMap(Array(files.indices)) { position -> Parsed in
            let relative = files[position]
            let earlier = memo.entries[relative]
            let result: Result<(ContentKind, PageCopy)?, BuildError>
            let entry: ContentMemo.Entry?
            switch loaded[position] {
            case nil: (result, entry) = (.success(reuse(relative) ?? nil), earlier)
            case let .failure(error)?: (result, entry) = (.failure(error), nil)
            case let .success(file)?:
                do throws(BuildError) {
                    let (copy, made) = try parse(file, memo: earlier)
                    (result, entry) = (.success(copy), made)
                } catch {
                    (result, entry) = (.failure(error), nil)
                }
            }
            // An entry is the parse of the bytes its hash names: the same hash, the same entry.
            return Parsed(result: result, entry: entry, hadEntry: earlier != nil, changed: entry?.hash != earlier?.hash)
        }
        var changes: [String] = []
        for (relative, file) in zip(files, parsed) where file.changed { changes.append(relative) }
        // Files gone since: looked for only when the memo has entries for files not read now.
        if memo.entries.count != parsed.reduce(0, { $0 + ($1.hadEntry ? 1 : 0) }) {
            let present = Set(files)
            changes += memo.entries.keys.filter { !present.contains($0) }
        }
        let stale = !changes.isEmpty
        return Read(files: files, parsed: parsed, memoIsStale: stale, memoOnDisk: memo.onDisk, memoChanges: changes)
    }

    /// The copy `read` gave, each file checked against the catalog (its key names a record, no two
    /// files are copy of one record). `keepingParses`: fill `parsed`, which only a build that runs
    /// again over its context reads (the preview; a tenth of the join at 10,000 files).
    /// - Throws: `BuildError` with every file's problem, by file and line.
    static func join(_ read: Read, index: CatalogIndex, keepingParses: Bool = true) throws(BuildError) -> SiteContent {
        var content = SiteContent()
        var diagnostics: [Diagnostic] = []
        var pageClaims: [String: String] = [:]
        content.memo.onDisk = read.memoOnDisk
        content.memo.changes = Set(read.memoChanges)
        content.memo.entries.reserveCapacity(read.files.count)
        content.products.reserveCapacity(read.files.count)
        if keepingParses { content.parsed.reserveCapacity(read.files.count) }
        for (relative, file) in zip(read.files, read.parsed) {
            if let memoEntry = file.entry { content.memo.entries[relative] = memoEntry }
            switch file.result {
            case let .failure(error): diagnostics += error.diagnostics
            case let .success(entry):
                if keepingParses { content.parsed["content/" + relative] = entry }
                guard let (kind, copy) = entry else { continue }
                if let problem = content.add(copy, kind: kind, index: index, pageClaims: &pageClaims) {
                    diagnostics.append(problem)
                }
            }
        }
        guard diagnostics.isEmpty else { throw BuildError(diagnostics) }
        content.pages.sort { ($0.weight, $0.key) < ($1.weight, $1.key) }
        return content
    }

    /// Reads `files` (paths under `content/` that this content holds) again in place, the preview's
    /// common case: false, with nothing changed, when one of them became copy of something else (its
    /// kind, key or draft status changed, or it is a plain page, which menus list), for a full `read`
    /// and `join` to sort out. Everything else is as they would make it: the catalog did not change,
    /// so a copy that joined it before joins it now.
    /// - Throws: `BuildError` naming the file and line of each that no longer parses.
    mutating func update(_ files: [String], siteFolder: String) throws(BuildError) -> Bool {
        let root = siteFolder + "/content"
        var read: [(String, (ContentKind, PageCopy), ContentMemo.Entry)] = []
        var diagnostics: [Diagnostic] = []
        for relative in files {
            guard case let .some(.some((kind, old))) = parsed["content/" + relative], kind != .page else { return false }
            do throws(BuildError) {
                let (new, entry) = try Self.parse(relative: relative, root: root, memo: memo.entries[relative])
                guard let new, new.0 == kind, new.1.key == old.key else { return false }
                read.append((relative, new, entry))
            } catch {
                diagnostics += error.diagnostics
            }
        }
        guard diagnostics.isEmpty else { throw BuildError(diagnostics) }
        for (relative, (kind, copy), entry) in read {
            parsed["content/" + relative] = (kind, copy)
            memo.entries[relative] = entry
            memo.changes?.insert(relative)
            place(copy, kind: kind)
        }
        return true
    }

    /// The `PageInputs` key of the copy of `kind` for `key` (none for kinds of which there is one).
    static func inputKey(_ kind: ContentKind, _ key: String?) -> String {
        switch kind {
        case .product, .niche, .bundle, .magnet, .page: return "copy:\(kind.rawValue):\(key ?? "")"
        default: return "copy:\(kind.rawValue)"
        }
    }

    /// The `PageInputs` hash of `copy`: its path and the hash of its file's bytes, of which it is a
    /// pure function (so its body is not hashed a second time), or every field when the file's hash
    /// is not at hand.
    func inputHash(_ copy: PageCopy) -> UInt64 {
        guard let fileHash = copy.fileHash else { return copy.stableHash }
        return StableHash.of { hash in
            hash.combine(copy.path)
            hash.combine(fileHash)
        }
    }

    /// Calls `body` with every copy and its `PageInputs` key, without gathering them first (copies of
    /// the 10,000 copies of a large shop were most of `PageInputs`' own time, perf); `skippingProducts`:
    /// all but the products' copies (`PageInputs` hashes those with their products).
    func forEachCopy(skippingProducts: Bool = false, _ body: (_ key: String, _ copy: PageCopy) -> Void) {
        for (kind, copy) in singles { body(Self.inputKey(kind, nil), copy) }
        for (kind, copies) in [(ContentKind.product, products), (.niche, niches), (.bundle, bundles), (.magnet, magnets)]
        where !(skippingProducts && kind == .product) {
            for (key, copy) in copies { body(Self.inputKey(kind, key), copy) }
        }
        for page in pages { body(Self.inputKey(.page, page.key), page) }
    }

    /// A content file's bytes and their hash, read, not yet parsed.
    struct Loaded: Sendable {
        let path: String
        let kind: ContentKind
        /// The file's bytes made as `TextInput.normalized` makes text (no byte-order mark, LF line
        /// ends), not yet checked to be UTF-8: `parse` checks them unless the memo knows them.
        let bytes: [UInt8]
        /// The hash of the bytes as they are on disk (`ContentHash`), the memo's key.
        let hash: UInt64
    }

    /// Reads the file `root/relative`.
    /// - Throws: `BuildError` naming the file when it is in no place content can go or cannot be read.
    /// `rootFolder`: `root`, open, or -1.
    static func load(relative: String, root: String, rootFolder: Int32 = -1, sizeHint: Int? = nil) throws(BuildError) -> Loaded {
        let path = "content/" + relative
        guard let kind = ContentKind.of(relativePath: relative) else {
            throw BuildError(file: path, message: "this is not a place content can go", hint: ContentKind.locationHint)
        }
        guard var bytes = rootFolder >= 0
            ? FileBytes.read(relative, in: rootFolder, sizeHint: sizeHint) : FileBytes.read(root + "/" + relative, sizeHint: sizeHint)
        else {
            throw BuildError(file: path, message: "cannot read the file (\(String(cString: strerror(errno))))")
        }
        // XXH3 of the bytes as they are (through a `StableHash`, each file was copied first).
        let hash = ContentHash.of(bytes)
        // Most files need nothing made: they are hashed and parsed as read, with no copy.
        // `memchr` looks for a carriage return 16 bytes at a time; `contains` looked at each byte of
        // the 30 MB of 10,000 files, a quarter of reading them (perf).
        let hasCarriageReturn = bytes.withUnsafeBufferPointer { buffer in buffer.baseAddress.map { memchr($0, 0x0D, buffer.count) != nil } ?? false }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) || hasCarriageReturn {
            guard let text = TextInput.normalized(bytes) else { throw Self.notUTF8(path) }
            bytes = Array(text.utf8)
        }
        return Loaded(path: path, kind: kind, bytes: bytes, hash: hash)
    }

    static func notUTF8(_ path: String) -> BuildError {
        BuildError(file: path, message: "cannot read the file as UTF-8 text")
    }

    /// What a read file parses to (nil for a draft), with its `ContentMemo` entry; the memo's
    /// `earlier` entry when the file's bytes hash as it records (then they are the UTF-8 it parsed).
    /// - Throws: `BuildError` naming the file when it is not UTF-8 text or its front matter is wrong.
    static func parse(_ file: Loaded, memo earlier: ContentMemo.Entry? = nil) throws(BuildError) -> ((ContentKind, PageCopy)?, ContentMemo.Entry) {
        // The entry is this path's, so of this kind.
        if let earlier, earlier.hash == file.hash, let copy = earlier.parsed(path: file.path, bytes: file.bytes) {
            return (copy, earlier)
        }
        guard String(validating: file.bytes, as: UTF8.self) != nil else { throw Self.notUTF8(file.path) }
        let content = try ContentFile(path: file.path, bytes: file.bytes)
        var copy = try parse(content, kind: file.kind)
        copy?.1.fileHash = file.hash
        return (copy, ContentMemo.Entry(hash: file.hash, bodyStart: content.bodyStart, parsed: copy))
    }

    /// What the file `root/relative` parses to (nil for a draft), with its `ContentMemo` entry.
    static func parse(
        relative: String, root: String, memo earlier: ContentMemo.Entry? = nil
    ) throws(BuildError) -> ((ContentKind, PageCopy)?, ContentMemo.Entry) {
        try parse(load(relative: relative, root: root), memo: earlier)
    }

    /// The copy in a content file of `kind` (nil for a draft), its front matter checked.
    private static func parse(_ file: ContentFile, kind: ContentKind) throws(BuildError) -> (ContentKind, PageCopy)? {
        let path = file.path
        let fields = file.fields
        try fields.rejectUnknown(kind.allowedKeys)
        if try fields.bool("draft", default: false) { return nil }
        var key = file.stem
        var keyLine = 1
        if let keyField = kind.keyField {
            key = try fields.string(keyField) ?? (kind == .product ? "" : file.stem)
            keyLine = fields.line(of: keyField)
            if key.isEmpty {
                throw BuildError(file: path, line: 1, message: "front matter has no '\(keyField)'", hint: "add `\(keyField): …` naming the catalog entry")
            }
        }
        let menu = try fields.string("menu")
        if let menu, !["header", "footer"].contains(menu) {
            throw fields.error("menu", "'\(menu)' is not a menu", hint: "header or footer")
        }
        let copy = PageCopy(
            path: path, key: key, keyLine: keyLine, title: try fields.string("title"),
            description: try fields.string("description"), headline: try fields.string("headline"),
            highlights: try fields.strings("highlights"), menu: menu, weight: try fields.int("weight", default: 0, range: -10000...10000),
            draft: false, text: file.bytes, bodyStart: file.bodyStart, bodyLine: file.bodyLine)
        if kind == .page && copy.title == nil {
            throw BuildError(file: path, line: 1, message: "a page needs a 'title'", hint: "add `title: …` to the front matter")
        }
        return (kind, copy)
    }

    /// Files the copy under its kind, or returns the diagnostic that says why it can't be.
    /// `pageClaims`: the first file of each plain page's key (the other kinds' copies are looked up
    /// where they are filed: a table of claims built a key string for each of 10,000 files, perf).
    /// A second file naming a record the catalog lacks is told that, as the first is: not that the
    /// key has copy already.
    private mutating func add(_ copy: PageCopy, kind: ContentKind, index: CatalogIndex, pageClaims: inout [String: String]) -> Diagnostic? {
        func unknown(_ what: String, _ known: [String]) -> Diagnostic {
            Diagnostic(
                file: copy.path, line: copy.keyLine, message: "'\(copy.key)' is not a \(what) in the catalog",
                hint: Suggestions.hint(copy.key, among: known) ?? "the catalog has none")
        }
        let other: String?
        switch kind {
        case .product: other = products[copy.key]?.path
        case .niche: other = niches[copy.key]?.path
        case .bundle: other = bundles[copy.key]?.path
        case .magnet: other = magnets[copy.key]?.path
        case .page:
            other = pageClaims[copy.key]
            if other == nil { pageClaims[copy.key] = copy.path }
        default: other = singles[kind]?.path
        }
        if let other {
            return Diagnostic(file: copy.path, line: copy.keyLine, message: "'\(copy.key)' already has copy in \(other)", hint: "keep one file per \(kind.rawValue)")
        }
        switch kind {
        case .product:
            guard index.productsBySKU[copy.key] != nil else { return unknown("product SKU", Array(index.productsBySKU.keys)) }
        case .niche:
            guard index.nichesBySlug[copy.key] != nil else { return unknown("niche", Array(index.nichesBySlug.keys)) }
        case .bundle:
            guard index.bundlesBySlug[copy.key] != nil else { return unknown("bundle", Array(index.bundlesBySlug.keys)) }
        case .magnet:
            guard index.leadMagnetsBySlug[copy.key] != nil else { return unknown("lead magnet", Array(index.leadMagnetsBySlug.keys)) }
        default:
            break
        }
        place(copy, kind: kind)
        return nil
    }

    /// Files the copy under its kind, as `add` checked it or `update` read it again (a plain page
    /// is appended; `update` never places one).
    private mutating func place(_ copy: PageCopy, kind: ContentKind) {
        switch kind {
        case .product: products[copy.key] = copy
        case .niche: niches[copy.key] = copy
        case .bundle: bundles[copy.key] = copy
        case .magnet: magnets[copy.key] = copy
        case .page: pages.append(copy)
        default: singles[kind] = copy
        }
    }
}
