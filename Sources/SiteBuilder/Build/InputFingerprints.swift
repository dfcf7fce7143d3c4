import Foundation
import Glibc
import SiteCore

/// Size and modification time of every file a build reads, to tell what changed since the last build.
struct InputFingerprints: Equatable, Sendable {
    struct Stamp: Equatable, Sendable {
        let size: Int
        let modified: Int64
    }

    /// Stamps by path relative to the site folder.
    var files: [String: Stamp] = [:]

    /// The folders a build reads from, besides the files folder named in `site.yaml`.
    static let folders = ["content", "templates", "assets", "static"]

    static func scan(siteFolder: String, config: SiteConfig) -> InputFingerprints {
        var result = InputFingerprints()
        for single in ["site.yaml", config.catalogText] {
            if let stamp = stamp(siteFolder + "/" + single) { result.files[single] = stamp }
        }
        if result.files[config.catalogText] == nil, let stamp = stamp(siteFolder + "/" + config.catalogDatabase) {
            result.files[config.catalogDatabase] = stamp
        }
        for folder in folders + [config.filesFolder] {
            walk(siteFolder + "/" + folder, relative: folder, into: &result.files)
        }
        return result
    }

    /// These stamps with `touched` (paths relative to the site folder, from `InputWatcher`) looked at
    /// again, and which of them changed: what `scan` would give when only those files changed. A
    /// touched input counts as changed even when its size and time look the same (two writes within
    /// the kernel's clock tick), unless it neither was nor is there (an editor's scratch file).
    func restamping(_ touched: Set<String>, siteFolder: String, config: SiteConfig) -> (fingerprints: InputFingerprints, changed: Set<String>) {
        var result = self
        var changed = Set<String>()
        let roots = Self.folders + [config.filesFolder]
        for path in touched {
            let isInput: Bool
            switch path {
            case "site.yaml", config.catalogText: isInput = true
            // The database is an input only for a shop without catalog text (the build itself writes it).
            case config.catalogDatabase: isInput = files[config.catalogText] == nil
            default:
                // Hidden names are skipped below a root, as `walk` skips them; the root itself may be `../files`.
                isInput = roots.contains { root in
                    path.hasPrefix(root + "/") && !path.dropFirst(root.count + 1).split(separator: "/").contains { $0.hasPrefix(".") }
                }
            }
            guard isInput else { continue }
            let now = Self.stamp(siteFolder + "/" + path)
            guard now != nil || files[path] != nil else { continue }
            result.files[path] = now
            changed.insert(path)
        }
        return (result, changed)
    }

    /// Paths added, removed or changed between two scans.
    func changes(since previous: InputFingerprints) -> Set<String> {
        var changed = Set<String>()
        for (path, stamp) in files where previous.files[path] != stamp { changed.insert(path) }
        for path in previous.files.keys where files[path] == nil { changed.insert(path) }
        return changed
    }

    /// Size and time of a file, following symbolic links (a content file may be a link to another);
    /// `path` relative to the open folder `folder`, when given.
    private static func stamp(_ path: String, in folder: Int32 = AT_FDCWD) -> Stamp? {
        var info = stat()
        // `withCString`: passing the `String` made a copy of it for each of 10,000 calls.
        guard path.withCString({ fstatat(folder, $0, &info, 0) }) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Stamp(size: Int(info.st_size), modified: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
    }

    /// Walks a folder with readdir (far cheaper than FileManager for thousands of files), looking
    /// at each file by its name in the open folder (by its full path, the kernel walks every part
    /// of it: a third of the scan at 10,000 files, perf).
    /// `depth` bounds a walk through a folder link that loops back on itself.
    private static func walk(_ folder: String, relative: String, into files: inout [String: Stamp], depth: Int = 0) {
        guard depth < 32, let directory = opendir(folder) else { return }
        defer { closedir(directory) }
        let descriptor = dirfd(directory)
        while let entry = readdir(directory) {
            let name = withUnsafePointer(to: entry.pointee.d_name) { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
            if name.hasPrefix(".") { continue }
            let child = relative + "/" + name
            var isFolder = entry.pointee.d_type == DT_DIR
            if entry.pointee.d_type == DT_LNK || entry.pointee.d_type == DT_UNKNOWN {
                var info = stat()
                isFolder = fstatat(descriptor, name, &info, 0) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
            }
            if isFolder {
                walk(folder + "/" + name, relative: child, into: &files, depth: depth + 1)
            } else if let stamp = stamp(name, in: descriptor) {
                files[child] = stamp
            }
        }
    }
}
