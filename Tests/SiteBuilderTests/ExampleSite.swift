import Foundation
import SiteBuilder
import SiteCore
import Testing

/// The repository root, which is the example shop's site folder.
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// A copy of the example shop in a fresh temporary folder, to build and break freely.
///
/// The shop's products have 1600 px JPEG covers (`scripts/make-covers.py`), whose copies and cards
/// take seconds to make the first time. Most tests are about other things and build many fresh
/// copies, so by default the copy shows each product's SVG artwork instead (the covers' source);
/// `rasterCovers: true` keeps the shop as it ships (`ImagePipelineTests`, the browser journeys).
struct ExampleSite {
    let folder: String
    var out: String { folder + "/public" }

    init(
        copying parts: [String] = ["site.yaml", "catalog.txt", "content", "assets", "files", "templates", "static"],
        rasterCovers: Bool = false
    ) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("site-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for part in parts where FileManager.default.fileExists(atPath: repositoryRoot + "/" + part) {
            try FileManager.default.copyItem(atPath: repositoryRoot + "/" + part, toPath: folder + "/" + part)
        }
        guard !rasterCovers, parts.contains("catalog.txt"), parts.contains("assets") else { return }
        let covers = folder + "/assets/images/products"
        for name in Self.files(under: covers) where name.hasSuffix(".jpg") {
            try FileManager.default.removeItem(atPath: covers + "/" + name)
        }
        let catalog = try String(contentsOfFile: folder + "/catalog.txt", encoding: .utf8)
        let svg = catalog.replacing(/(image: \/assets\/images\/products\/[^\s]+)\.jpg\n/) { $0.output.1 + ".svg\n" }
        try svg.write(toFile: folder + "/catalog.txt", atomically: true, encoding: .utf8)
    }

    /// The site's inputs copied aside (for `restoreInputs`).
    func snapshotInputs() throws -> String {
        let aside = folder + "/.inputs-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: aside, withIntermediateDirectories: true)
        for part in Self.inputs where FileManager.default.fileExists(atPath: folder + "/" + part) {
            try FileManager.default.copyItem(atPath: folder + "/" + part, toPath: aside + "/" + part)
        }
        return aside
    }

    /// Puts the inputs back as `snapshotInputs` copied them.
    func restoreInputs(from aside: String) throws {
        for part in Self.inputs {
            try? FileManager.default.removeItem(atPath: folder + "/" + part)
            if FileManager.default.fileExists(atPath: aside + "/" + part) {
                try FileManager.default.copyItem(atPath: aside + "/" + part, toPath: folder + "/" + part)
            }
        }
    }

    static let inputs = ["site.yaml", "catalog.txt", "content", "assets", "files", "templates", "static"]

    /// An empty site folder.
    static func empty() throws -> ExampleSite { try ExampleSite(copying: []) }

    @discardableResult
    func build(out: String? = nil) throws(BuildError) -> SiteBuild.Summary {
        try SiteBuild(siteFolder: folder, outFolder: out ?? self.out).run()
    }

    /// The build's error, or nil when it succeeded.
    func buildError() -> BuildError? {
        do {
            _ = try build()
            return nil
        } catch {
            return error
        }
    }

    func read(_ path: String, in out: String? = nil) -> String {
        (try? String(contentsOfFile: (out ?? self.out) + "/" + path, encoding: .utf8)) ?? ""
    }

    func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: out + "/" + path) }

    func write(_ relative: String, _ text: String) throws {
        let path = folder + "/" + relative
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    func source(_ relative: String) throws -> String {
        try String(contentsOfFile: folder + "/" + relative, encoding: .utf8)
    }

    /// Replaces the first occurrence of `old` in a site file.
    func edit(_ relative: String, replacing old: String, with new: String) throws {
        let text = try source(relative)
        guard let range = text.range(of: old) else { throw TestSetupError("'\(old)' is not in \(relative)") }
        try write(relative, text.replacingCharacters(in: range, with: new))
    }

    /// Every file under the output folder, relative to it, sorted.
    func outputFiles(in out: String? = nil) -> [String] { Self.files(under: out ?? self.out) }

    /// Every file under `root`, relative to it, sorted.
    static func files(under root: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        var files: [String] = []
        while let path = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(path)
            }
        }
        return files.sorted()
    }

    /// Every folder under `root`, relative to it, sorted.
    static func folders(under root: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        var folders: [String] = []
        while let path = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory), isDirectory.boolValue {
                folders.append(path)
            }
        }
        return folders.sorted()
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The JSON-LD objects in a page.
func jsonLD(in html: String) -> [[String: Any]] {
    var objects: [[String: Any]] = []
    var rest = Substring(html)
    let open = "<script type=\"application/ld+json\">"
    while let start = rest.range(of: open), let end = rest.range(of: "</script>", range: start.upperBound..<rest.endIndex) {
        let json = rest[start.upperBound..<end.lowerBound]
        if let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] { objects.append(object) }
        rest = rest[end.upperBound...]
    }
    return objects
}

/// The first JSON-LD object of a schema.org type.
func jsonLD(_ type: String, in html: String) -> [String: Any]? {
    jsonLD(in: html).first { $0["@type"] as? String == type }
}

extension BuildError {
    /// Whether some diagnostic names `file` (and `line`, when given) and says `message`.
    func names(_ file: String, line: Int? = nil, _ message: String) -> Bool {
        diagnostics.contains { $0.file == file && (line == nil || $0.line == line) && $0.message.contains(message) }
    }
}

/// The 1-based line of the first occurrence of `text` in `source`.
func line(of text: String, in source: String) -> Int? {
    guard let range = source.range(of: text) else { return nil }
    return source[..<range.lowerBound].reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
}

/// Expects the folder `actual` to hold the same files as `expected`, byte for byte.
func expectSameFiles(_ actual: String, _ expected: String, _ what: String) throws {
    let files = ExampleSite.files(under: expected)
    #expect(ExampleSite.files(under: actual) == files, "\(what): the same files")
    // An empty folder left behind (a page the site no longer has) is a difference too.
    #expect(ExampleSite.folders(under: actual) == ExampleSite.folders(under: expected), "\(what): the same folders")
    for file in files {
        let a = FileManager.default.contents(atPath: actual + "/" + file)
        let b = FileManager.default.contents(atPath: expected + "/" + file)
        #expect(a == b, "\(what): \(file) differs from a clean build's")
    }
}
