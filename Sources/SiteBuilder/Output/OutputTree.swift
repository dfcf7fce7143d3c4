import CFileSwap
import Foundation
import Glibc
import Synchronization

/// The output folder, replaced all at once: pages are written into a staging folder beside it,
/// which takes the output's place only when the whole build succeeded.
///
/// A file whose bytes are the same as in the previous output is hard-linked rather than rewritten,
/// so its inode and modification time stay as they were (uploaders and caches see no change).
final class OutputTree: Sendable {
    let target: String
    let staging: String
    private let createdFolders = Mutex<Set<String>>([])
    private let unchangedCount = Atomic<Int>(0)
    private let writtenCount = Atomic<Int>(0)

    init(target: String) throws(BuildError) {
        self.target = (target as NSString).standardizingPath
        let parent = (self.target as NSString).deletingLastPathComponent
        let name = (self.target as NSString).lastPathComponent
        staging = parent + "/.\(name).staging-\(getpid())"
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            if FileManager.default.fileExists(atPath: staging) { try FileManager.default.removeItem(atPath: staging) }
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: false)
        } catch {
            throw BuildError(file: self.target, message: "cannot prepare the output folder: \(error.localizedDescription)")
        }
    }

    /// Files rewritten and files kept from the previous build.
    var counts: (written: Int, unchanged: Int) { (writtenCount.load(ordering: .relaxed), unchangedCount.load(ordering: .relaxed)) }

    /// Writes `bytes` to `relative` (e.g. `products/x/index.html`) in the staging folder.
    func write(_ relative: String, _ bytes: [UInt8]) throws(BuildError) {
        let destination = staging + "/" + relative
        ensureFolder(of: relative)
        let previous = target + "/" + relative
        if Self.sameContent(previous, bytes), link(previous, destination) == 0 {
            unchangedCount.add(1, ordering: .relaxed)
            return
        }
        let descriptor = open(destination, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw BuildError(file: relative, message: "cannot write the output file: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, bytes.count - offset) }
            guard written > 0 else {
                throw BuildError(file: relative, message: "cannot write the output file: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
        writtenCount.add(1, ordering: .relaxed)
    }

    /// Puts the staging folder in place of the output, keeping placeholder files such as `.gitkeep`.
    func commit() throws(BuildError) {
        let manager = FileManager.default
        for keep in [".gitkeep", "README.md"] where manager.fileExists(atPath: target + "/" + keep) {
            if !manager.fileExists(atPath: staging + "/" + keep) { link(target + "/" + keep, staging + "/" + keep) }
        }
        guard manager.fileExists(atPath: target) else {
            guard rename(staging, target) == 0 else { throw commitError() }
            return
        }
        if cfileswap_exchange(staging, target) != 0 {
            // No atomic exchange on this file system: two renames, with the old tree kept until the new one is in place.
            let old = staging + ".old"
            guard rename(target, old) == 0 else { throw commitError() }
            guard rename(staging, target) == 0 else {
                rename(old, target)
                throw commitError()
            }
            try? manager.removeItem(atPath: old)
            return
        }
        try? manager.removeItem(atPath: staging)
    }

    /// Throws the staging folder away; the previous output stays untouched.
    func discard() {
        try? FileManager.default.removeItem(atPath: staging)
    }

    private func commitError() -> BuildError {
        BuildError(file: target, message: "cannot replace the output folder: \(String(cString: strerror(errno)))")
    }

    private func ensureFolder(of relative: String) {
        guard let slash = relative.lastIndex(of: "/") else { return }
        let folder = String(relative[..<slash])
        let isNew = createdFolders.withLock { $0.insert(folder).inserted }
        if isNew { try? FileManager.default.createDirectory(atPath: staging + "/" + folder, withIntermediateDirectories: true) }
    }

    /// Whether the file at `path` holds exactly `bytes`.
    static func sameContent(_ path: String, _ bytes: [UInt8]) -> Bool {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, Int(info.st_size) == bytes.count else { return false }
        var existing = [UInt8](repeating: 0, count: bytes.count)
        var offset = 0
        while offset < bytes.count {
            let count = existing.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + offset, bytes.count - offset) }
            guard count > 0 else { return false }
            offset += count
        }
        return existing == bytes
    }
}
