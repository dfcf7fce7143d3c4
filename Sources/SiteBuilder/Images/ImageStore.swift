import Foundation
import ShopCore
import Glibc
import SiteCore

/// The images a build made (resized copies, Open Graph cards), each entry under the key of what it
/// was made from: `images/KEY/` in the build cache, or a temporary folder for a build without one.
///
/// An entry is a folder of files and an `info` file, written last, that lists each file's name,
/// width, height, size in bytes, modification time (nanoseconds since 1970) and `ContentHash`
/// (tab-separated). A file whose size differs, or whose time differs and whose bytes no longer hash
/// as listed (an output file edited in place: they share one inode), makes the entry made again,
/// never trusted; a file only re-timed (a cache restored by CI's tar, to the second) is taken and
/// its time noted. Entries are made in `KEY.making-PID` and renamed into place, so a killed build
/// leaves no half entry under a key.
final class ImageStore: Sendable {
    /// One file of an entry.
    struct File: Sendable, Hashable {
        let name: String
        let width: Int
        let height: Int
        let size: Int
        var modified: Int64
        let hash: UInt64

        var line: String { "\(name)\t\(width)\t\(height)\t\(size)\t\(modified)\t\(String(hash, radix: 16))\n" }
    }

    let folder: String
    /// True for a build without a cache: the folder is removed when the store is released.
    let temporary: Bool

    /// A store in `folder`. With an `identity` (the sitegen and the libvips that make the images),
    /// a store another sitegen or libvips wrote is emptied first: they may make other bytes from one
    /// image, under the same names.
    init(folder: String, temporary: Bool, identity: String? = nil) {
        self.folder = folder
        self.temporary = temporary
        OutputTree.makeFolders(folder)
        guard let identity else { return }
        let file = folder + "/" + Self.identityFile
        if FileManager.default.contents(atPath: file).map({ String(decoding: $0, as: UTF8.self) }) != identity {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
                try? FileManager.default.removeItem(atPath: folder + "/" + name)
            }
            _ = FileManager.default.createFile(atPath: file, contents: Data(identity.utf8))
        }
    }

    static let identityFile = "identity"

    /// A store in a new temporary folder, for a build without a cache; first removes the folders of
    /// such stores whose build was killed (they can hold gigabytes).
    static func temporary() -> ImageStore {
        let parent = NSTemporaryDirectory()
        for name in (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? [] where name.hasPrefix("sitegen-images-") {
            guard let pid = Int32(name.dropFirst("sitegen-images-".count).prefix { $0 != "-" }), pid != getpid(),
                  kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(atPath: parent + "/" + name)
        }
        return ImageStore(folder: parent + "sitegen-images-\(getpid())-\(UUID().uuidString)", temporary: true)
    }

    func path(_ key: String, _ name: String) -> String { folder + "/" + key + "/" + name }

    /// The entry's files, when it is complete and intact.
    func entry(_ key: String) -> [File]? {
        guard let data = FileManager.default.contents(atPath: path(key, "info")) else { return nil }
        var files: [File] = []
        var retimed = false
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 6, let width = Int(fields[1]), let height = Int(fields[2]), let size = Int(fields[3]),
                  let modified = Int64(fields[4]), let hash = UInt64(fields[5], radix: 16),
                  let stamp = OutputManifest.stat(path(key, String(fields[0]))), stamp.size == size
            else { return nil }
            if stamp.modified != modified {
                guard let bytes = FileManager.default.contents(atPath: path(key, String(fields[0]))),
                      ContentHash.of([UInt8](bytes)) == hash else { return nil }
                retimed = true
            }
            files.append(File(name: String(fields[0]), width: width, height: height, size: size, modified: stamp.modified, hash: hash))
        }
        if retimed { try? Data(files.map(\.line).joined().utf8).write(to: URL(fileURLWithPath: path(key, "info")), options: .atomic) }
        return files.isEmpty ? nil : files
    }

    /// Makes the entry: `make` writes its files into the folder it is given and returns each file's
    /// name, width and height. Replaces an incomplete entry under the key. `file` (the source image,
    /// as the user knows it) is named in errors.
    /// - Throws: what `make` throws (a `Diagnostic` naming the source image).
    func make(_ key: String, file: String, _ make: (String) throws(Diagnostic) -> [(name: String, width: Int, height: Int)]) throws(Diagnostic) -> [File] {
        let making = folder + "/" + key + ".making-\(getpid())-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.removeItem(atPath: making)
        OutputTree.makeFolders(making)
        defer { try? FileManager.default.removeItem(atPath: making) }
        let made = try make(making)
        let files = made.map { item in
            let bytes = FileManager.default.contents(atPath: making + "/" + item.name).map { [UInt8]($0) } ?? []
            return File(
                name: item.name, width: item.width, height: item.height, size: bytes.count, modified: 0, hash: ContentHash.of(bytes))
        }
        let target = folder + "/" + key
        try? FileManager.default.removeItem(atPath: target)
        guard rename(making, target) == 0 else {
            throw Diagnostic(file: file, message: "cannot keep what was made from the image in \(target): \(String(cString: strerror(errno)))")
        }
        // The times the files have in their place, then the list, last: an entry without it is not one.
        let placed = files.map { file in
            var placed = file
            placed.modified = OutputManifest.stat(target + "/" + file.name)?.modified ?? 0
            return placed
        }
        do {
            // Atomic (written aside, then renamed): a half-written list would name too few files.
            try Data(placed.map(\.line).joined().utf8).write(to: URL(fileURLWithPath: target + "/info"), options: .atomic)
        } catch {
            throw Diagnostic(file: file, message: "cannot keep what was made from the image in \(target): \(error.localizedDescription)")
        }
        return placed
    }

    /// Each distinct key's entry: found in the store, or made by `make` (on every core, each key by one
    /// worker, so jobs with the same key — two images with the same bytes — make it once). `make`
    /// writes the files into the folder it is given and returns each file's name, width and height.
    func entries<Job: Sendable>(
        for jobs: [Job], key: (Job) -> String, file: @Sendable @escaping (Job) -> String,
        make: @Sendable @escaping (Job, String) throws(Diagnostic) -> [(name: String, width: Int, height: Int)]
    ) -> [String: Result<(files: [File], made: Bool), Diagnostic>] {
        var distinct: [String: Job] = [:]
        for job in jobs where distinct[key(job)] == nil { distinct[key(job)] = job }
        let keys = distinct.keys.sorted()
        let results = parallelMap(keys.map { ($0, distinct[$0]!) }) { key, job -> Result<(files: [File], made: Bool), Diagnostic> in
            if let files = self.entry(key) { return .success((files, false)) }
            return Result { () throws(Diagnostic) in (try self.make(key, file: file(job)) { folder throws(Diagnostic) in try make(job, folder) }, true) }
        }
        return Dictionary(uniqueKeysWithValues: zip(keys, results))
    }

    /// Removes every entry not in `keys` (images the site no longer uses), and abandoned `.making-` folders.
    func sweep(keeping keys: Set<String>) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where !keys.contains(name) && name != Self.identityFile {
            try? FileManager.default.removeItem(atPath: folder + "/" + name)
        }
    }

    /// A temporary store goes with the build that made it (the output keeps its links or copies).
    deinit {
        if temporary { try? FileManager.default.removeItem(atPath: folder) }
    }
}
