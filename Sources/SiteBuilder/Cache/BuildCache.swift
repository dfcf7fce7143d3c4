import Foundation
import Glibc
import ShopCore
import Synchronization

/// The build cache (`.sitegen-cache/` in the site folder): every page the last builds rendered, with
/// the inputs it read (`PageInputs` keys and their hashes), so a later build, even a one-shot build
/// in CI into an empty output folder, renders only the pages whose inputs changed and takes the
/// others from here.
///
/// Layout: `pages.tsv` (a header naming the sitegen that wrote it, then the input keys and the pages;
/// a later build appends what it changed rather than writing it all again, see `BuildCache+File`)
/// and `pages/`, a copy of each page's HTML under its output path, hard-linked with the output file
/// where both are on one file system (so keeping it costs a link, not a copy); `images/`, the images
/// step's resized copies and Open Graph cards (`ImageStore`). A cache written by
/// another sitegen (another version or build) or one that cannot be read is ignored with a note and
/// written anew; a page whose copy in `pages/` is not the size and time recorded is rendered again.
/// Two builds of one site at once: the second builds without the cache (`flock` on `lock`).
final class BuildCache: @unchecked Sendable {
    /// A page as the cache holds it.
    struct Page: Sendable {
        let job: String
        let hash: UInt64
        let size: Int
        /// Modification time of the copy in `pages/`, nanoseconds since 1970.
        var modified: Int64
        /// The inputs the page read, with their hashes when it was rendered: numbers into `keys`.
        var reads: [Int32]
    }

    /// A page the cache holds as this build would render it, with its file in the output. A struct,
    /// not a pair: arrays of 10,000 pairs were copied and freed through the runtime's generic tuple
    /// witnesses (perf).
    struct PlacedCopy: Sendable {
        let file: String
        let page: Page
    }

    /// An input key (`PageInputs`) with the hash it had when a page that read it was rendered.
    struct InputKey: Hashable, Sendable {
        let key: String
        let value: UInt64
    }

    /// A page this build rendered, to keep once the build succeeded.
    struct Rendered: Sendable {
        let file: String
        let job: String
        let hash: UInt64
        let size: Int
        let reads: Set<String>
    }

    static let format = "sitegen-cache 2"

    let folder: String
    var pages: [String: Page] = [:]
    /// Every input key a page in `pages` read (and, until the index is next written whole, ones
    /// no page reads any more), by number.
    private(set) var keys: [InputKey] = []
    /// `keys`' numbers, made when a build first records many pages.
    private var keyNumbers: [InputKey: Int32]?
    /// The numbers of only the keys a few recorded pages read (`numberKeys(_:)`), looked in first:
    /// both stay right, since keys are only appended until `replaceKeys(_:)` drops both.
    private var partialNumbers: [InputKey: Int32]?
    /// What `pages.tsv` holds, for appending to it; nil when it is to be written whole.
    var written: Index.Written?
    /// Pages changed or removed since the index was last written.
    private var unwritten: Set<String> = []
    private var recorded: [(Rendered, [(String, UInt64)])] = []
    private let lock: Int32
    /// `pages/`, open: copies are looked at and linked relative to it (`fstatat`, `linkat`).
    let pagesFolder: Int32
    private var indexIsStale = false
    /// Copies whose time changed but whose contents are as recorded, with their new time.
    private let retimed = Mutex<[String: Int64]>([:])
    /// Why the cache on disk was not used, if it was not.
    var note: String?
    /// The index being read on another thread (`open(folder:inBackground:)`), until `settle()`.
    private var loading: Pending<Index>?

    /// Opens (or starts) the cache in `folder`; nil, with the reason, when another build holds it.
    /// `inBackground`: the index is read on another thread (3 MB at 10,000 pages, while the build
    /// reads its catalog) and the note about it comes from `settle()`, which must be called before
    /// the cache's pages or images are used.
    static func open(folder: String, inBackground: Bool = false) -> (cache: BuildCache?, note: String?) {
        try? FileManager.default.createDirectory(atPath: folder + "/pages", withIntermediateDirectories: true)
        let descriptor = Glibc.open(folder + "/lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            return (nil, "built without the cache: cannot open \(folder)/lock (\(String(cString: strerror(errno))))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            return (nil, "built without the cache: another sitegen is using \(folder)")
        }
        let cache = BuildCache(folder: folder, lock: descriptor, inBackground: inBackground)
        return (cache, cache.note)
    }

    private init(folder: String, lock: Int32, inBackground: Bool) {
        self.folder = folder
        self.lock = lock
        // -1 when it cannot be opened: each call that takes it then fails, and pages are rendered.
        pagesFolder = Glibc.open(folder + "/pages", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if inBackground {
            loading = Pending { Self.readIndex(folder: folder) }
        } else {
            take(Self.readIndex(folder: folder))
        }
    }

    deinit {
        settle()
        _ = flush()
        close(lock)
        if pagesFolder >= 0 { close(pagesFolder) }
    }

    /// Waits for the index read in the background, if it is being read, and takes it; returns the
    /// note about it, if any (once). Call it on one thread, before the pages or images are used.
    @discardableResult
    func settle() -> String? {
        guard let loading else { return nil }
        self.loading = nil
        take(loading.value)
        return note
    }

    /// The cache's pages as its index has them, for another thread to take: a call of what this
    /// returns waits for the index while it is read in the background. Call this on the build's thread.
    func pagesOnceRead() -> @Sendable () -> [String: Page] {
        if let loading { return { loading.value.pages ?? [:] } }
        let pages = self.pages
        return { pages }
    }

    private func take(_ index: Index) {
        // Another sitegen may make other bytes from one image: its copies are not trusted either.
        if index.fromOtherSitegen { try? FileManager.default.removeItem(atPath: imagesFolder) }
        pages = index.pages ?? [:]
        keys = index.keys
        written = index.written
        note = index.note
    }

    var index: String { folder + "/pages.tsv" }
    func copyPath(_ file: String) -> String { folder + "/pages/" + file }
    /// Where the images step keeps resized copies and cards (`ImageStore`).
    var imagesFolder: String { folder + "/images" }

    /// Which of `keys` hash the same with these inputs, by number: worked out once a build, so
    /// looking a page up costs a read of a flag per input it read.
    /// Looked up on every core: 30,000 keys at 10,000 products.
    func unchangedKeys(_ inputs: PageInputs) -> [Bool] { parallelMap(keys) { inputs.value($0.key) == $0.value } }

    /// The cached page for `file` when it was rendered for `job` and every input it read hashes the
    /// same now (`unchanged`, from `unchangedKeys(_:)`).
    func page(_ file: String, job: String, unchanged: [Bool]) -> Page? {
        guard let page = pages[file], page.job == job else { return nil }
        for read in page.reads where !unchanged[Int(read)] { return nil }
        return page
    }

    /// Which of `keys` name one of `changed` (`PageInputs` keys), by number.
    func keysNaming(_ changed: Set<String>) -> [Bool] { keys.map { changed.contains($0.key) } }

    /// The time of the copy of `file` in `pages/` when it is the one the cache recorded: its size, and its time to
    /// the nanosecond — or to the second when the copy's time has none (a CI cache restored from a
    /// tar archive keeps whole seconds) — or else its contents' hash (a restore that kept no times).
    /// A copy edited in place (through its hard link in the output, say) has a new time and is
    /// hashed; only a copy edited and then given its old time back by hand goes unnoticed.
    /// Returns the copy's modification time (nanoseconds since 1970) when it is intact, else nil.
    func intactCopyTime(_ file: String, _ page: Page) -> Int64? {
        var info = stat()
        guard file.withCString({ fstatat(pagesFolder, $0, &info, AT_SYMLINK_NOFOLLOW) }) == 0, Int(info.st_size) == page.size else { return nil }
        let stamp = (size: Int(info.st_size), modified: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
        if Self.isRecordedTime(stamp.modified, page.modified) { return stamp.modified }
        guard Self.contents(of: copyPath(file), hashTo: page.hash) else { return nil }
        retimed.withLock { $0[file] = stamp.modified }
        return stamp.modified
    }

    /// Whether a kept file's time (nanoseconds since 1970) is the one recorded: to the nanosecond, or
    /// to the second when the file's time has none (a CI cache restored from a tar archive keeps whole seconds).
    static func isRecordedTime(_ modified: Int64, _ recorded: Int64) -> Bool {
        modified == recorded || (modified % 1_000_000_000 == 0 && modified / 1_000_000_000 == recorded / 1_000_000_000)
    }

    /// Whether the file at `path` holds bytes that hash to `hash` (`ContentHash`).
    static func contents(of path: String, hashTo hash: UInt64) -> Bool {
        FileBytes.read(path).map(ContentHash.of) == hash
    }

    /// The generated files a build with these inputs (`PageInputs.generatedFiles`) made, in
    /// `generated/`, to link into the output (5 MB at 10,000 products, read and written again before);
    /// nil unless its `inputs` file names these inputs and each file is the size and time it records
    /// (a file edited in the output through its link is not used).
    ///
    ///     identity <TAB> inputs hash
    ///     name <TAB> size <TAB> hash (`ContentHash`) <TAB> modification time (nanoseconds since 1970)
    func generatedFiles(for inputs: UInt64, names: [String]) -> [LinkedFile]? {
        guard let record = try? String(contentsOfFile: folder + "/generated/inputs", encoding: .utf8) else { return nil }
        let lines = record.split(separator: "\n")
        guard lines.first == Self.identity + "\t" + String(inputs, radix: 16), lines.count == names.count + 1 else { return nil }
        var files: [LinkedFile] = []
        for (name, line) in zip(names, lines.dropFirst()) {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            let source = folder + "/generated/" + name
            guard fields.count == 4, fields[0] == name, let size = Int(fields[1]), let hash = UInt64(fields[2], radix: 16),
                  let modified = Int64(fields[3]), let stamp = OutputManifest.stat(source), stamp.size == size
            else { return nil }
            // Its time as recorded, or else its contents, as for pages' copies (`intactCopyTime`).
            guard Self.isRecordedTime(stamp.modified, modified) || Self.contents(of: source, hashTo: hash) else { return nil }
            files.append(LinkedFile(path: name, source: source, size: size, hash: hash, copy: false))
        }
        return files
    }

    /// Keeps the generated files a build with these inputs made in `generated/` (`generatedFiles`);
    /// none (the build linked them from there) keeps what is there. Made again with the same inputs,
    /// they replace the kept ones: those were not usable (edited through a link, say).
    static func keepGenerated(_ files: [(String, [UInt8])], for inputs: UInt64, in folder: String) {
        guard !files.isEmpty else { return }
        let generated = folder + "/generated"
        unlink(generated + "/inputs")
        OutputTree.makeFolders(generated)
        var record = Self.identity + "\t" + String(inputs, radix: 16) + "\n"
        for (name, bytes) in files {
            let path = generated + "/" + name
            guard (try? Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)) != nil,
                  let stamp = OutputManifest.stat(path)
            else { return }
            record += "\(name)\t\(bytes.count)\t\(String(ContentHash.of(bytes), radix: 16))\t\(stamp.modified)\n"
        }
        // Written last: a record names only files already in place.
        try? Data(record.utf8).write(to: URL(fileURLWithPath: generated + "/inputs"), options: .atomic)
    }

    /// Notes a page this build rendered, with the hash of each input it read.
    func record(_ page: Rendered, inputs: PageInputs) {
        recorded.append((page, page.reads.sorted().map { ($0, inputs.value($0)) }))
    }

    /// Drops what this build rendered: the build failed, so none of it reached the output.
    func forgetRecorded() { recorded = [] }

    /// Copies the pages this build rendered from the committed output into `pages/`, forgets pages the
    /// site no longer has, and writes the index. Returns a note when the cache could not be written
    /// (the build itself succeeded; the next one only renders more).
    /// `replaced`: pages' files a static file replaced in the output, whose output file is not the
    /// page (of the same size, it would pass for it): not kept.
    func save(outFolder: String, keeping files: Set<String>, replaced: Set<String> = [], writeIndex: Bool = true) -> String? {
        if keyNumbers == nil, recorded.count < 256 { numberKeys(recorded.flatMap { $0.1.map { InputKey(key: $0.0, value: $0.1) } }) }
        for (rendered, reads) in recorded {
            let target = copyPath(rendered.file)
            unlink(target)
            // Whatever the cache held for the file is gone now: forgotten unless kept anew below.
            if pages.removeValue(forKey: rendered.file) != nil { unwritten.insert(rendered.file) }
            guard !replaced.contains(rendered.file) else { continue }
            let source = outFolder + "/" + rendered.file
            if let slash = rendered.file.lastIndex(of: "/") {
                OutputTree.makeFolders(folder + "/pages/" + rendered.file[..<slash])
            }
            guard OutputTree.linkOrCopy(source, to: target) else { continue }
            guard let stamp = OutputManifest.stat(target), stamp.size == rendered.size else { continue }
            pages[rendered.file] = Page(
                job: rendered.job, hash: rendered.hash, size: rendered.size, modified: stamp.modified,
                reads: reads.map { number(of: InputKey(key: $0.0, value: $0.1)) })
            unwritten.insert(rendered.file)
        }
        let retimed = self.retimed.withLock { moved in defer { moved = [:] }; return moved }
        for (file, modified) in retimed where pages[file] != nil {
            pages[file]?.modified = modified
            unwritten.insert(file)
        }
        recorded = []
        for file in pages.keys where !files.contains(file) {
            pages[file] = nil
            unwritten.insert(file)
            unlink(copyPath(file))
        }
        indexIsStale = indexIsStale || !unwritten.isEmpty
        guard writeIndex else { return nil }
        return flush()
    }

    /// Takes `kept` as the keys, once the index is written whole with only those.
    func replaceKeys(_ kept: [InputKey]) {
        keys = kept
        keyNumbers = nil
        partialNumbers = nil
    }

    /// Numbers only `wanted` (the keys a few pages read), found by their hashes: a build that
    /// rendered one page need not file all 30,000 keys of a large shop by name (a twentieth of CI's
    /// one-edit build, perf).
    private func numberKeys(_ wanted: [InputKey]) {
        var byValue: [UInt64: [InputKey]] = [:]
        for key in wanted { byValue[key.value, default: []].append(key) }
        var numbers: [InputKey: Int32] = [:]
        for (number, key) in keys.enumerated() {
            guard let candidates = byValue[key.value], candidates.contains(key), numbers[key] == nil else { continue }
            numbers[key] = Int32(number)
        }
        for key in wanted where numbers[key] == nil {
            keys.append(key)
            numbers[key] = Int32(keys.count - 1)
        }
        partialNumbers = numbers
    }

    /// The number of `key` in `keys`, added when no page read it before.
    private func number(of key: InputKey) -> Int32 {
        if let known = partialNumbers?[key] { return known }
        if keyNumbers == nil {
            var numbers: [InputKey: Int32] = [:]
            numbers.reserveCapacity(keys.count)
            for (number, key) in keys.enumerated() where numbers[key] == nil { numbers[key] = Int32(number) }
            keyNumbers = numbers
        }
        if let known = keyNumbers![key] { return known }
        keys.append(key)
        keyNumbers![key] = Int32(keys.count - 1)
        return Int32(keys.count - 1)
    }

    /// Writes the index when it no longer says what `pages/` holds. A copy the index does not
    /// describe yet is only rendered again by the next build (its size or hash does not match).
    func flush() -> String? {
        guard indexIsStale || !FileManager.default.fileExists(atPath: index) else { return nil }
        indexIsStale = false
        do {
            try write(changed: unwritten)
            unwritten = []
            return nil
        } catch {
            return "could not write the build cache \(index): \(error.localizedDescription)"
        }
    }

    /// The program that writes and reads the cache: its version and build (`ProgramIdentity`).
    static var identity: String { "sitegen \(SiteGenVersion.current) \(ProgramIdentity.current)" }
}
