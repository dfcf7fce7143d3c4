import Crypto
import Foundation
import ShopCore
import SiteCore

/// The site's assets with content hashes in their names, and the map from plain to hashed URL.
///
/// Files in the site's `assets/` replace built-in ones of the same path. `/assets/style.css`
/// becomes `/assets/style.3f9a0c1be2.css`; CSS `url(/assets/…)` references are rewritten first,
/// so a changed image changes the stylesheet's name too. Files in `static/` are copied as they are.
/// Raster images (`ImagePipeline.rasterFormats`) are not held in memory: the output copies them
/// from the site's file, and the images step makes their resized copies from it.
struct AssetPipeline: Sendable {
    /// `/assets/style.css` → `/assets/style.3f9a0c1be2.css`.
    let urls: [String: String]
    /// Files to write, by output path relative to the output folder.
    let files: [(path: String, bytes: [UInt8])]
    /// Raster images, copied from the site's files.
    var linked: [LinkedFile] = []
    /// Each raster image's file and the SHA-256 of its bytes (64 hex digits), by plain URL
    /// (`/assets/images/products/ark.jpg`).
    var rasters: [String: (file: String, digest: String)] = [:]
    /// Each SVG image's own size in pixels (`SVGSize`), by plain URL, for pages to reserve its box.
    var svgSizes: [String: (width: Int, height: Int)] = [:]

    static func build(siteFolder: String) throws(BuildError) -> AssetPipeline {
        var sources: [String: (origin: String, bytes: [UInt8])] = [:]
        var urls: [String: String] = [:]
        for (path, bytes) in BuiltInTheme.assets {
            sources[path] = ("(built-in theme)/" + path, bytes)
        }
        var linked: [LinkedFile] = []
        var rasters: [String: (file: String, digest: String)] = [:]
        let all = filesUnder(siteFolder + "/assets")
        let isRaster = { (path: String) in ImagePipeline.rasterFormats[(path as NSString).pathExtension.lowercased()] != nil }
        // Raster images are read and hashed on every core (a shop's covers can be gigabytes), then let go.
        let rasterPaths = all.filter(isRaster)
        let digests = parallelMap(rasterPaths) { path -> (size: Int, digest: [UInt8])? in
            guard let data = FileManager.default.contents(atPath: siteFolder + "/assets/" + path) else { return nil }
            return (data.count, Array(SHA256.hash(data: data)))
        }
        for (path, read) in zip(rasterPaths, digests) {
            guard let (size, digest) = read else { throw BuildError(file: "assets/" + path, message: "cannot read the asset") }
            let hashed = fingerprinted(path, digest: digest)
            urls["/assets/" + path] = "/assets/" + SitePaths.encoded(hashed)
            rasters["/assets/" + path] = (siteFolder + "/assets/" + path, digest.hexadecimal)
            let hash = digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            linked.append(LinkedFile(path: "assets/" + hashed, source: siteFolder + "/assets/" + path, size: size, hash: hash, copy: true))
            sources[path] = nil
        }
        for path in all where !isRaster(path) {
            guard let data = FileManager.default.contents(atPath: siteFolder + "/assets/" + path) else {
                throw BuildError(file: "assets/" + path, message: "cannot read the asset")
            }
            sources[path] = ("assets/" + path, [UInt8](data))
        }
        var files: [(String, [UInt8])] = []
        var svgSizes: [String: (width: Int, height: Int)] = [:]
        var diagnostics: [Diagnostic] = []
        let ordered = sources.keys.sorted { ($0.hasSuffix(".css") ? 1 : 0, $0) < ($1.hasSuffix(".css") ? 1 : 0, $1) }
        for path in ordered {
            guard let source = sources[path] else { continue }
            var bytes = source.bytes
            // Only the built-in script is minified: a site's scripts ship exactly as written.
            if path.hasSuffix(".js"), source.origin.hasPrefix("(built-in theme)/") { bytes = JSMinifier.minify(bytes) }
            if path.hasSuffix(".css") {
                let (rewritten, missing) = rewriteCSS(bytes, urls: urls)
                bytes = rewritten
                for (url, line) in missing {
                    diagnostics.append(Diagnostic(
                        file: source.origin, line: line, message: "missing asset \(url)",
                        hint: "put the file at assets\(url.dropFirst("/assets".count))"))
                }
            }
            if path.hasSuffix(".svg"), let size = SVGSize.of(bytes) { svgSizes["/assets/" + path] = size }
            let hashed = fingerprinted(path, bytes: bytes)
            // The URL is a URI (`crème brûlée.svg` → `cr%C3%A8me%20br%C3%BBl%C3%A9e.svg`); the file keeps its name.
            urls["/assets/" + path] = "/assets/" + SitePaths.encoded(hashed)
            files.append(("assets/" + hashed, bytes))
        }
        for path in filesUnder(siteFolder + "/static") {
            guard let data = FileManager.default.contents(atPath: siteFolder + "/static/" + path) else {
                throw BuildError(file: "static/" + path, message: "cannot read the file")
            }
            files.append((path, [UInt8](data)))
        }
        guard diagnostics.isEmpty else { throw BuildError(diagnostics) }
        var pipeline = AssetPipeline(urls: urls, files: files)
        pipeline.linked = linked
        pipeline.rasters = rasters
        pipeline.svgSizes = svgSizes
        return pipeline
    }

    /// `images/logo.svg` → `images/logo.<10 hex digits of SHA-256>.svg`.
    static func fingerprinted(_ path: String, bytes: [UInt8]) -> String {
        fingerprinted(path, digest: Array(SHA256.hash(data: bytes)))
    }

    /// `images/logo.svg` → `images/logo.<the first 10 hex digits of digest>.svg`.
    static func fingerprinted(_ path: String, digest: [UInt8]) -> String {
        let digest = digest.prefix(5).hexadecimal
        let name = (path as NSString).lastPathComponent
        let folder = String(path.dropLast(name.count))
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return path + "." + digest }
        return folder + name[..<dot] + "." + digest + name[dot...]
    }

    /// Replaces `/assets/…` URLs in CSS with their fingerprinted names; reports the ones with no asset.
    static func rewriteCSS(_ bytes: [UInt8], urls: [String: String]) -> ([UInt8], [(String, Int)]) {
        let text = String(decoding: bytes, as: UTF8.self)
        var output = ""
        var missing: [(String, Int)] = []
        var rest = Substring(text)
        while let start = rest.range(of: "/assets/") {
            output += rest[..<start.lowerBound]
            // A quoted url("…") may hold spaces; a bare one ends at a space or `)`.
            let quote = start.lowerBound > text.startIndex ? text[text.index(before: start.lowerBound)] : " "
            let stops: String = quote == "\"" || quote == "'" ? "\(quote)\n?#" : "\"') \n\t?#"
            let end = rest[start.lowerBound...].firstIndex { stops.contains($0) } ?? rest.endIndex
            let url = String(rest[start.lowerBound..<end])
            if let hashed = urls[url] ?? url.removingPercentEncoding.flatMap({ urls[$0] }) {
                output += hashed
            } else {
                let line = text[..<start.lowerBound].reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
                missing.append((url, line))
                output += url
            }
            rest = rest[end...]
        }
        output += rest
        return (Array(output.utf8), missing)
    }

    /// Regular files under `folder`, relative to it, sorted; none when it does not exist. A link to a
    /// folder is followed, as the input scan follows it (`InputFingerprints`): FileManager's
    /// enumerator does not go into one, so its files were left out of the output without a word.
    /// `depth` bounds a walk through a link that loops back on itself.
    static func filesUnder(_ folder: String, depth: Int = 0) -> [String] {
        // The enumerator lists nothing under a path that is itself a link (`files` linked to a
        // disk elsewhere, say): it is given the folder the link leads to.
        let real = URL(fileURLWithPath: folder).resolvingSymlinksInPath().path
        guard depth < 32, let enumerator = FileManager.default.enumerator(atPath: real) else { return [] }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix(".") { continue }
            let path = real + "/" + relative
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if !isDirectory.boolValue {
                files.append(relative)
            } else if (try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType) == .typeSymbolicLink {
                files += filesUnder(path, depth: depth + 1).map { relative + "/" + $0 }
            }
        }
        return files.sorted()
    }
}
