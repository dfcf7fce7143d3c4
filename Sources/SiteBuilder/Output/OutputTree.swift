import Foundation
import ShopCore
import Glibc
import Synchronization
import SiteCore

/// The output folder, changed only when a whole build succeeded.
///
/// New and changed files are written into a staging folder beside the output; unchanged files (same
/// hash, size and modification time as the last build recorded) are not written at all, so their
/// inodes and times stay as they were. `commit` moves the staged files into place and removes files
/// the previous build made that this one did not; `discard` leaves the output exactly as it was.
final class OutputTree: Sendable {
    let target: String
    let staging: String
    let manifestPath: String
    private let previous: OutputManifest
    private let state = Mutex(State())
    /// The staging folder, open: pages are linked and folders made relative to it (`linkat`,
    /// `mkdirat`), so the kernel does not walk the whole path for each of 10,000 pages.
    private let stagingFolder: Int32

    private struct State {
        var written: [String: OutputManifest.Entry] = [:]
        var unchanged: [String: OutputManifest.Entry] = [:]
        var stagedFolders: Set<String> = []
        /// Pages `prestage` linked from the build cache, as the manifest will record them, until claimed.
        var prestaged: [String: OutputManifest.Entry] = [:]
    }

    init(target: String) throws(BuildError) {
        self.target = (target as NSString).standardizingPath
        let parent = (self.target as NSString).deletingLastPathComponent
        staging = Self.beside(self.target, "staging-\(getpid())")
        manifestPath = Self.beside(self.target, "sitegen-manifest")
        previous = FileManager.default.fileExists(atPath: self.target) ? OutputManifest(path: manifestPath) : OutputManifest()
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            Self.removeAbandonedStaging(beside: self.target)
            if FileManager.default.fileExists(atPath: staging) { try FileManager.default.removeItem(atPath: staging) }
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: false)
        } catch {
            throw BuildError(file: self.target, message: "cannot prepare the output folder: \(error.localizedDescription)")
        }
        stagingFolder = open(staging, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard stagingFolder >= 0 else {
            throw BuildError(file: self.target, message: "cannot prepare the output folder: cannot open \(staging): \(String(cString: strerror(errno)))")
        }
    }

    deinit { close(stagingFolder) }

    /// Removes staging folders a killed build left beside the output (`.NAME.staging-PID` whose process is gone).
    static func removeAbandonedStaging(beside target: String) {
        let parent = (target as NSString).deletingLastPathComponent
        let prefix = "." + (target as NSString).lastPathComponent + ".staging-"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? [] where name.hasPrefix(prefix) {
            guard let pid = Int32(name.dropFirst(prefix.count)), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(atPath: parent + "/" + name)
        }
    }

    /// `.NAME.SUFFIX` beside the output folder NAME, where the build keeps its staging folder, manifest
    /// and record of inputs.
    static func beside(_ target: String, _ suffix: String) -> String {
        let target = (target as NSString).standardizingPath
        return (target as NSString).deletingLastPathComponent + "/." + (target as NSString).lastPathComponent + "." + suffix
    }

    /// Files written and files kept from the previous build.
    var counts: (written: Int, unchanged: Int) { state.withLock { ($0.written.count, $0.unchanged.count) } }

    /// Stages `bytes` as `relative` (e.g. `products/x/index.html`) unless the output already holds
    /// them; returns their hash (`ContentHash`).
    @discardableResult
    func write(_ relative: String, _ bytes: [UInt8]) throws(BuildError) -> UInt64 {
        let hash = ContentHash.of(bytes)
        if keepIfIntact(relative, hash: hash, size: bytes.count) { return hash }
        stageFolder(of: relative)
        try Self.writeFile(staging + "/" + relative, bytes, name: relative)
        state.withLock {
            $0.prestaged[relative] = nil
            $0.written[relative] = OutputManifest.Entry(hash: hash, size: bytes.count, modified: 0)
        }
        return hash
    }

    /// Takes a page from the build cache: keeps the output's file when it is that page already, else
    /// stages a hard link to (or a copy of) the cache's copy. False when the cache's copy is not intact.
    func reuse(_ relative: String, page: BuildCache.Page, from cache: BuildCache) -> Bool {
        if keepIfIntact(relative, hash: page.hash, size: page.size) { return true }
        guard let copyTime = cache.intactCopyTime(relative, page) else { return false }
        stageFolder(of: relative)
        // A hard link is the copy's file, so its time is known: `commit` need not look it up.
        let modified: Int64
        if linkat(cache.pagesFolder, relative, stagingFolder, relative, 0) == 0 {
            modified = copyTime
        } else if (try? FileManager.default.copyItem(atPath: cache.copyPath(relative), toPath: staging + "/" + relative)) != nil {
            modified = 0
        } else {
            return false
        }
        state.withLock { $0.written[relative] = OutputManifest.Entry(hash: page.hash, size: page.size, modified: modified) }
        return true
    }

    /// Stages `file` (a hard link to its source, or a copy) unless the output already holds it as
    /// the last build recorded it.
    /// - Throws: `BuildError` naming the file when it can be neither linked nor copied.
    func place(_ file: LinkedFile) throws(BuildError) {
        if keepIfIntact(file.path, hash: file.hash, size: file.size) { return }
        stageFolder(of: file.path)
        let staged = staging + "/" + file.path
        // Never over what is staged there (a page `prestage` linked from the cache).
        unlink(staged)
        let placed = file.copy
            ? (try? FileManager.default.copyItem(atPath: file.source, toPath: staged)) != nil
            : Self.linkOrCopy(file.source, to: staged)
        guard placed else { throw BuildError(file: file.path, message: "cannot copy \(file.source) into the output") }
        state.withLock {
            $0.prestaged[file.path] = nil
            $0.written[file.path] = OutputManifest.Entry(hash: file.hash, size: file.size, modified: 0)
        }
    }

    /// True when the output holds nothing the last build recorded (a fresh CI checkout): then the
    /// build cache's pages can be staged before the build knows which it keeps (`prestage`).
    var isEmpty: Bool { previous.entries.isEmpty }

    /// Links every intact copy in `cache` into the staging folder, for a build into an empty output
    /// (CI's case), while the build joins its content and works out its model on the other core: at
    /// 10,000 pages linking was a fifth of a one-edit build, and those steps leave a core idle (perf).
    /// `claimPrestaged` takes the pages the build keeps, a page rendered or a file placed at a path
    /// replaces its link, and `dropUnclaimed` removes the rest. Nothing else may stage files meanwhile.
    /// `pages`: the cache's pages as its index has them (`BuildCache.pagesOnceRead`).
    func prestage(_ pages: [String: BuildCache.Page], from cache: BuildCache) {
        var linked: [String: OutputManifest.Entry] = [:]
        linked.reserveCapacity(pages.count)
        for (file, page) in pages {
            guard let time = cache.intactCopyTime(file, page) else { continue }
            // The folder first: a page's folder is its own (`products/x/index.html`), so linking
            // first failed for nearly every page, a tenth of the work (perf).
            stageFolder(of: file)
            // `withCString`: passing the `String` made a copy of it for each call.
            if file.withCString({ linkat(cache.pagesFolder, $0, stagingFolder, $0, 0) }) == 0 {
                // As `claimPrestaged` will file it (a cached page's record is the same there).
                linked[file] = OutputManifest.Entry(hash: page.hash, size: page.size, modified: time)
                continue
            }
            // No folder is left that no file needs.
            let failure = errno
            removeEmptyStagedFolders(of: file)
            // Another file system, or links not allowed: no page can be linked; the render step copies.
            if failure != ENOENT { break }
        }
        state.withLock { $0.prestaged = linked }
    }

    /// Takes the pages `prestage` linked for these cached pages; returns the positions of those it
    /// did not link, for `reuse`. `rendered`: the files of the build's other pages, which it renders
    /// (their links stay until a rendered page replaces them). Looked up on every core, and when
    /// every link is a page the build keeps or renders (CI's one-edit build), filed all at once:
    /// filing 10,000 one by one, under the lock, was a tenth of the build's last quarter (perf).
    /// `distinct`: no two pages share a file (the catalog's store refuses two records with one slug, so
    /// they do not; counting, as the fast path does, would be wrong if they did); otherwise the links
    /// are taken one by one, a second page of a file being missed.
    func claimPrestaged(_ pages: [BuildCache.PlacedCopy], rendered: [String], distinct: Bool) -> [Int] {
        let (missed, renderedLinked, linkedCount) = lookUpPrestaged(pages, rendered: rendered)
        guard linkedCount > 0 else { return Array(pages.indices) }
        var missedAgain: [Int] = []
        state.withLock { state in
            if distinct, pages.count - missed.count + renderedLinked.count == state.prestaged.count {
                // Taken out whole (no copy of the table is left to share it), the rendered pages' links put back.
                var all = state.prestaged
                state.prestaged = [:]
                for file in renderedLinked { state.prestaged[file] = all.removeValue(forKey: file) }
                if state.written.isEmpty {
                    state.written = all
                } else {
                    state.written.merge(all) { $1 }
                }
                return
            }
            var claimed = [Bool](repeating: true, count: pages.count)
            for position in missed { claimed[position] = false }
            state.written.reserveCapacity(state.written.count + pages.count)
            for (position, placed) in pages.enumerated() where claimed[position] {
                if let entry = state.prestaged.removeValue(forKey: placed.file) {
                    state.written[placed.file] = entry
                } else {
                    missedAgain.append(position)
                }
            }
        }
        return missedAgain.isEmpty ? missed : (missed + missedAgain).sorted()
    }

    /// Which of `pages` were not linked (positions), which of `rendered` were, and how many links there are.
    private func lookUpPrestaged(
        _ pages: [BuildCache.PlacedCopy], rendered: [String]
    ) -> (missed: [Int], renderedLinked: [String], linkedCount: Int) {
        let prestaged = state.withLock { $0.prestaged }
        guard !prestaged.isEmpty else { return ([], [], 0) }
        let found = parallelMap(pages) { prestaged[$0.file] != nil }
        var missed: [Int] = []
        for (position, found) in found.enumerated() where !found { missed.append(position) }
        return (missed, rendered.filter { prestaged[$0] != nil }, prestaged.count)
    }

    /// Removes the links `prestage` made that no page took or replaced (a page the site no longer has).
    func dropUnclaimed() {
        let left = state.withLock { state in
            defer { state.prestaged = [:] }
            return state.prestaged
        }
        for file in left.keys {
            unlinkat(stagingFolder, file, 0)
            removeEmptyStagedFolders(of: file)
        }
    }

    /// Removes `file`'s folder in the staging folder and the ones above it while they are empty.
    private func removeEmptyStagedFolders(of file: String) {
        var folder = (file as NSString).deletingLastPathComponent
        while !folder.isEmpty, unlinkat(stagingFolder, folder, AT_REMOVEDIR) == 0 {
            _ = state.withLock { $0.stagedFolders.remove(folder) }
            folder = (folder as NSString).deletingLastPathComponent
        }
    }

    /// Notes each file as unchanged without looking at it, when the last build wrote it with this
    /// hash: for the preview, whose kept context knows no input of these pages changed. Returns the
    /// positions in `files` of those it did not (the output no longer holds them as recorded).
    func keepAsRecorded(_ files: [(file: String, hash: UInt64)]) -> [Int] {
        var missed: [Int] = []
        state.withLock { state in
            state.unchanged.reserveCapacity(state.unchanged.count + files.count)
            for (position, (relative, hash)) in files.enumerated() {
                if let old = previous.entries[relative], old.hash == hash { state.unchanged[relative] = old } else { missed.append(position) }
            }
        }
        return missed
    }

    /// True (and noted as unchanged) when the output holds `relative` as the last build wrote it, with this hash and size.
    /// What this build staged at that path before (a page a static file replaces) is dropped: the
    /// last file placed at a path is the one the output gets, as in a build into an empty folder.
    private func keepIfIntact(_ relative: String, hash: UInt64, size: Int) -> Bool {
        guard let old = previous.entries[relative], old.hash == hash, old.size == size,
              let current = OutputManifest.stat(target + "/" + relative), current.size == old.size, current.modified == old.modified
        else { return false }
        let wasStaged = state.withLock { state in
            state.unchanged[relative] = old
            return state.written.removeValue(forKey: relative) != nil
        }
        if wasStaged { unlink(staging + "/" + relative) }
        return true
    }

    private func stageFolder(of relative: String) {
        // Looked for as a byte: by characters, the slash cost a tenth of linking 10,000 cached pages' own work (perf).
        let utf8 = relative.utf8
        guard let slash = utf8.lastIndex(of: UInt8(ascii: "/")) else { return }
        let folder = String(Substring(utf8[..<slash]))
        let isNew = state.withLock { $0.stagedFolders.insert(folder).inserted }
        if isNew { Self.makeFolders(folder, in: stagingFolder) }
    }

    /// `mkdir -p` of `relative` in the open folder `parent` (`AT_FDCWD`: the current folder, or none
    /// for an absolute path).
    private static func makeFolders(_ relative: String, in parent: Int32) {
        if relative.withCString({ mkdirat(parent, $0, 0o755) }) == 0 || errno == EEXIST { return }
        guard errno == ENOENT, let slash = relative.lastIndex(of: "/"), slash > relative.startIndex else { return }
        makeFolders(String(relative[..<slash]), in: parent)
        mkdirat(parent, relative, 0o755)
    }

    /// Makes `target` a hard link to `source` (the same file, no bytes copied), or a copy of it when
    /// they are on different file systems; false when neither could be made.
    static func linkOrCopy(_ source: String, to target: String) -> Bool {
        link(source, target) == 0 || (try? FileManager.default.copyItem(atPath: source, toPath: target)) != nil
    }

    /// `mkdir -p` with the system call (FileManager's took most of staging 10,000 cached pages).
    static func makeFolders(_ path: String) { makeFolders(path, in: AT_FDCWD) }

    /// Moves the staged files into the output, removes what the last build made and this one did not
    /// (unless `partial`: a rebuild of some pages keeps every other file), and records the new manifest.
    /// Returns the manifest's write, for the caller to run (on another core while it records the rest
    /// of the build, say) before it reports the build done.
    /// - Throws: `BuildError` naming the file that could not be moved into place; the write throws
    ///   `BuildError` naming the manifest when it cannot be written.
    func commit(partial: Bool = false) throws(BuildError) -> @Sendable () throws(BuildError) -> Void {
        let (written, unchanged) = state.withLock { ($0.written, $0.unchanged) }
        let manager = FileManager.default
        if !manager.fileExists(atPath: target) {
            guard rename(staging, target) == 0 else { throw commitError(target) }
        } else {
            var folders: Set<String> = []
            for relative in written.keys.sorted() {
                if let slash = relative.lastIndex(of: "/") {
                    let folder = String(relative[..<slash])
                    if folders.insert(folder).inserted {
                        Self.makeFolders(target + "/" + folder)
                    }
                }
                guard rename(staging + "/" + relative, target + "/" + relative) == 0 else { throw commitError(relative) }
            }
            for relative in previous.entries.keys where !partial && written[relative] == nil && unchanged[relative] == nil {
                unlink(target + "/" + relative)
                Self.removeEmptyFolders(of: relative, under: target)
            }
            try? manager.removeItem(atPath: staging)
        }
        var manifest = OutputManifest()
        manifest.entries = partial ? previous.entries.merging(unchanged) { $1 } : unchanged
        // Into an empty output (CI's case) the written files are the manifest: taken whole, not filed one by one.
        if manifest.entries.isEmpty {
            manifest.entries = written
        } else {
            manifest.entries.merge(written) { $1 }
        }
        // Each written file's new time, looked up on every core, unless known already (a hard link to a
        // build cache copy: 10,000 of them after a one-edit build into an empty folder).
        let target = self.target
        let unknown = written.filter { $0.value.modified == 0 }
        let times = parallelMap(Array(unknown)) { relative, entry in
            (relative, OutputManifest.Entry(hash: entry.hash, size: entry.size, modified: OutputManifest.stat(target + "/" + relative)?.modified ?? 0))
        }
        for (relative, entry) in times { manifest.entries[relative] = entry }
        let manifestPath = self.manifestPath
        return { [manifest] () throws(BuildError) in
            do {
                try manifest.write(to: manifestPath)
            } catch {
                throw BuildError(file: manifestPath, message: "cannot record the build manifest: \(error.localizedDescription)")
            }
        }
    }

    /// Throws the staged files away; the output stays exactly as it was.
    func discard() {
        try? FileManager.default.removeItem(atPath: staging)
    }

    private func commitError(_ file: String) -> BuildError {
        BuildError(file: target + "/" + file, message: "cannot move the new file into place: \(String(cString: strerror(errno)))")
    }

    private static func removeEmptyFolders(of relative: String, under root: String) {
        var folder = (relative as NSString).deletingLastPathComponent
        while !folder.isEmpty, rmdir(root + "/" + folder) == 0 {
            folder = (folder as NSString).deletingLastPathComponent
        }
    }

    private static func writeFile(_ path: String, _ bytes: [UInt8], name: String) throws(BuildError) {
        // Never through a link: a staged path may already be a hard link to a build cache copy
        // (a page and a static file at one path), which writing in place would change.
        unlink(path)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw BuildError(file: name, message: "cannot write the output file: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, bytes.count - offset) }
            guard count > 0 else {
                throw BuildError(file: name, message: "cannot write the output file: \(String(cString: strerror(errno)))")
            }
            offset += count
        }
    }
}
