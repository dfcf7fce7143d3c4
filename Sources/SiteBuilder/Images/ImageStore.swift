import Foundation
import Glibc
import SiteCore

/// The images a build made (resized copies, Open Graph cards), each entry under the key of what it
/// was made from: `images/KEY/` in the build cache, or a temporary folder for a build without one.
///
/// An entry is a folder of files and an `info` file, written last, that lists each file's name,
/// width, height and size in bytes (tab-separated). An entry whose `info` is missing or whose files
/// are not the sizes it lists is made again, never trusted. Entries are made in `KEY.making-PID`
/// and renamed into place, so a killed build leaves no half entry under a key.
final class ImageStore: Sendable {
    /// One file of an entry.
    struct File: Sendable, Hashable {
        let name: String
        let width: Int
        let height: Int
        let size: Int
    }

    let folder: String
    /// True for a build without a cache: the folder is removed when the store is released.
    let temporary: Bool

    init(folder: String, temporary: Bool) {
        self.folder = folder
        self.temporary = temporary
        OutputTree.makeFolders(folder)
    }

    /// A store in a new temporary folder, for a build without a cache.
    static func temporary() -> ImageStore {
        ImageStore(folder: NSTemporaryDirectory() + "sitegen-images-\(getpid())-\(UUID().uuidString)", temporary: true)
    }

    func path(_ key: String, _ name: String) -> String { folder + "/" + key + "/" + name }

    /// The entry's files, when it is complete and intact.
    func entry(_ key: String) -> [File]? {
        guard let data = FileManager.default.contents(atPath: path(key, "info")) else { return nil }
        var files: [File] = []
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 4, let width = Int(fields[1]), let height = Int(fields[2]), let size = Int(fields[3]),
                  OutputManifest.stat(path(key, String(fields[0])))?.size == size
            else { return nil }
            files.append(File(name: String(fields[0]), width: width, height: height, size: size))
        }
        return files.isEmpty ? nil : files
    }

    /// Makes the entry: `make` writes its files into the folder it is given and returns each file's
    /// name, width and height. Replaces an incomplete entry under the key.
    /// - Throws: what `make` throws (a `Diagnostic` naming the source image).
    func make(_ key: String, _ make: (String) throws(Diagnostic) -> [(name: String, width: Int, height: Int)]) throws(Diagnostic) -> [File] {
        let making = folder + "/" + key + ".making-\(getpid())-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.removeItem(atPath: making)
        OutputTree.makeFolders(making)
        defer { try? FileManager.default.removeItem(atPath: making) }
        let made = try make(making)
        let files = made.map { item in
            File(name: item.name, width: item.width, height: item.height, size: OutputManifest.stat(making + "/" + item.name)?.size ?? -1)
        }
        let info = files.map { "\($0.name)\t\($0.width)\t\($0.height)\t\($0.size)\n" }.joined()
        _ = FileManager.default.createFile(atPath: making + "/info", contents: Data(info.utf8))
        let target = folder + "/" + key
        try? FileManager.default.removeItem(atPath: target)
        guard rename(making, target) == 0 else {
            throw Diagnostic(file: target, message: "cannot keep the image in the build cache: \(String(cString: strerror(errno)))")
        }
        return files
    }

    /// Removes every entry not in `keys` (images the site no longer uses), and abandoned `.making-` folders.
    func sweep(keeping keys: Set<String>) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where !keys.contains(name) {
            try? FileManager.default.removeItem(atPath: folder + "/" + name)
        }
    }

    /// A temporary store goes with the build that made it (the output keeps its links or copies).
    deinit {
        if temporary { try? FileManager.default.removeItem(atPath: folder) }
    }
}
