import Glibc
import SiteCore

/// Which input files were touched, from Linux's inotify, so the preview looks at those files only
/// instead of every input at each look (a full `InputFingerprints.scan` stats every file: about
/// 100 ms at 10,000 products, and the preview looked every 150 ms). Hugo's server watches the same
/// way (fsnotify) and has `--poll` for file systems that send no events; so does `sitegen serve`.
///
/// It watches the folders `InputFingerprints` walks, recursively, and every folder from the site
/// folder down to each of them and to `site.yaml` and the catalog. `drain()` returns the paths
/// touched since the last call, relative to the site folder, or nil when it cannot tell (the
/// kernel's queue overflowed, a folder appeared, went or moved): the caller then scans everything.
/// It gives up (`start` gives nil, or `isBroken` turns true) when inotify is not available, the watch
/// limit is reached, or an input is a symbolic link (an edit of its target elsewhere sends no
/// event): the caller then polls. It is made for one `SiteConfig`; another needs another watcher.
final class InputWatcher {
    private let descriptor: Int32
    private let siteFolder: String
    /// The folders watched recursively, relative to the site folder (`content`, `templates`, …).
    private let roots: [String]
    /// Single files watched through their folder: site.yaml and the catalog.
    private let singles: Set<String>
    /// The folders from the site folder ("") down to each root and single file, not inputs themselves.
    private let holders: Set<String>
    /// The folder each watch stands for, relative to the site folder ("" for the site folder).
    private var folders: [Int32: String] = [:]
    /// The watches of `holders`.
    private var holderWatches: Set<Int32> = []
    /// Set when events were lost or a folder changed: the next `drain()` says to look at everything.
    private var lost = false
    /// True once a new folder or file could not be watched (a symbolic link, the watch limit): the
    /// watcher can no longer tell what changed, and the caller should poll.
    private(set) var isBroken = false

    private static let fileEvents = UInt32(IN_MODIFY | IN_CLOSE_WRITE | IN_ATTRIB | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO)
    private static let selfEvents = UInt32(IN_DELETE_SELF | IN_MOVE_SELF)
    private static let arrivals = UInt32(IN_CREATE | IN_MOVED_TO)

    static func start(siteFolder: String, config: SiteConfig) -> InputWatcher? {
        let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { return nil }
        let watcher = InputWatcher(
            descriptor: descriptor, siteFolder: siteFolder, roots: InputFingerprints.folders + [config.filesFolder],
            singles: ["site.yaml", config.catalogText, config.catalogDatabase])
        return watcher.watchAll() ? watcher : nil
    }

    private init(descriptor: Int32, siteFolder: String, roots: [String], singles: Set<String>) {
        self.descriptor = descriptor
        self.siteFolder = siteFolder
        self.roots = roots
        self.singles = singles
        var holders: Set<String> = [""]
        for path in Array(singles) + roots {
            let parts = path.split(separator: "/")
            for end in parts.indices.dropLast() { holders.insert(parts[...end].joined(separator: "/")) }
        }
        // A folder inside a root is watched with it (the files folder may be under static/, say).
        self.holders = holders.filter { holder in !roots.contains { holder == $0 || holder.hasPrefix($0 + "/") } }
    }

    deinit { close(descriptor) }

    /// Watches the holders, every root (recursively) and checks the single files; false when a watch
    /// could not be added or an input is a symbolic link. Adding a watch again is harmless (inotify
    /// gives the same descriptor), so this also mends the watches after lost events.
    private func watchAll() -> Bool {
        for holder in holders {
            let path = holder.isEmpty ? siteFolder : siteFolder + "/" + holder
            var info = stat()
            // A holder not there yet: its creation is seen by the holder above it.
            guard lstat(path, &info) == 0 else { continue }
            let wd = inotify_add_watch(descriptor, path, Self.fileEvents | Self.selfEvents | UInt32(IN_ONLYDIR))
            guard wd >= 0 else { return false }
            folders[wd] = holder
            holderWatches.insert(wd)
        }
        for single in singles where isLink(single) { return false }
        for root in roots where !watchTree(root) { return false }
        return true
    }

    /// Watches `relative` and every folder under it; true when it is not there (its creation is seen
    /// by its holder's watch), false when a watch could not be added or a file in it is a link.
    private func watchTree(_ relative: String) -> Bool {
        let path = siteFolder + "/" + relative
        guard let directory = opendir(path) else { return true }
        defer { closedir(directory) }
        let wd = inotify_add_watch(descriptor, path, Self.fileEvents | Self.selfEvents | UInt32(IN_ONLYDIR))
        guard wd >= 0 else { return false }
        folders[wd] = relative
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
            if name.hasPrefix(".") { continue }
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_DIR): if !watchTree(relative + "/" + name) { return false }
            case Int32(DT_LNK), Int32(DT_UNKNOWN): return false
            default: continue
            }
        }
        return true
    }

    private func isLink(_ relative: String) -> Bool {
        var info = stat()
        return lstat(siteFolder + "/" + relative, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
    }

    /// The input paths touched since the last call (empty: none), or nil when everything must be looked at.
    func drain() -> Set<String>? {
        var touched = Set<String>()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            var offset = 0
            while offset + 16 <= count {
                let (wd, mask, length) = buffer.withUnsafeBytes { raw in
                    (raw.load(fromByteOffset: offset, as: Int32.self), raw.load(fromByteOffset: offset + 4, as: UInt32.self),
                     Int(raw.load(fromByteOffset: offset + 12, as: UInt32.self)))
                }
                let nameBytes = buffer[(offset + 16)..<(offset + 16 + length)].prefix { $0 != 0 }
                offset += 16 + length
                take(wd: wd, mask: mask, name: String(decoding: nameBytes, as: UTF8.self), into: &touched)
            }
        }
        if lost || isBroken {
            lost = false
            return nil
        }
        return touched
    }

    private func take(wd: Int32, mask: UInt32, name: String, into touched: inout Set<String>) {
        if mask & UInt32(IN_Q_OVERFLOW) != 0 {
            // Folders made meanwhile were not seen: every watch is added again.
            if !watchAll() { isBroken = true }
            lost = true
            return
        }
        if mask & UInt32(IN_IGNORED) != 0 {
            folders[wd] = nil
            holderWatches.remove(wd)
            return
        }
        guard let folder = folders[wd] else { return }
        if mask & Self.selfEvents != 0 {
            // A folder moved away (content/ swapped for a copy, say) is no longer an input: its
            // watches, and those of the folders in it, would report edits under its old path.
            // The site folder itself (or the one holding it) moved: the paths no longer lead to it.
            if folder.isEmpty || folder == ".." { isBroken = true }
            if mask & UInt32(IN_MOVE_SELF) != 0, !isBroken {
                for (other, path) in folders where path == folder || path.hasPrefix(folder + "/") {
                    inotify_rm_watch(descriptor, other)
                    folders[other] = nil
                    holderWatches.remove(other)
                }
            }
            lost = true
            return
        }
        let path = folder.isEmpty ? name : folder + "/" + name
        if holderWatches.contains(wd) {
            // Only the single files, the roots and the holders below matter here (the output and
            // the cache may sit beside them).
            if singles.contains(path) {
                if mask & Self.arrivals != 0, isLink(path) { isBroken = true }
                touched.insert(path)
            } else if roots.contains(path) || holders.contains(path) {
                // Made, removed or moved: watched anew, and everything looked at.
                if mask & Self.arrivals != 0, !watchAll() { isBroken = true }
                lost = true
            }
            return
        }
        if name.hasPrefix(".") { return }
        if mask & UInt32(IN_ISDIR) != 0 {
            // A folder made, removed or moved: its files are found by a full look.
            if mask & Self.arrivals != 0, !watchTree(path) { isBroken = true }
            lost = true
            return
        }
        if mask & Self.arrivals != 0, isLink(path) { isBroken = true }
        touched.insert(path)
    }
}
