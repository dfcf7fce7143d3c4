import Foundation

/// Reads every `href="…"` and `src="…"` in a rendered page: points `/assets/…` at fingerprinted files
/// and reports links to the site itself that lead nowhere.
struct LinkRewriter: Sendable {
    /// Plain asset URL → fingerprinted URL.
    let assetURLs: [String: String]
    /// Every file the build writes, as `/path/file` (pages as `/x/index.html`).
    let outputs: Set<String>
    /// The site's own origin, e.g. `https://shop.example`, so absolute links to it are checked too.
    let origin: String
    private let originBytes: [UInt8]

    init(assetURLs: [String: String], outputs: Set<String>, origin: String) {
        self.assetURLs = assetURLs
        self.outputs = outputs
        self.origin = origin
        originBytes = Array((origin + "/").utf8)
    }

    enum Problem: Hashable, Sendable {
        case missingAsset(String)
        case brokenLink(String)

        var url: String {
            switch self {
            case let .missingAsset(url), let .brokenLink(url): return url
            }
        }
    }

    /// Returns the page with asset URLs rewritten, and every problem found.
    func process(_ bytes: [UInt8], pagePath: String) -> ([UInt8], [Problem]) {
        var problems: [Problem] = []
        var output: [UInt8] = []
        var copied = 0
        var index = 1
        let count = bytes.count
        bytes.withUnsafeBufferPointer { bytes in
            while index < count - 6 {
                // Attribute values we check start after ` href="` or ` src="`.
                let before = bytes[index - 1]
                guard before == 32 || before == 10 else {
                    index += 1
                    continue
                }
                var valueStart = -1
                if bytes[index] == 104, bytes[index + 1] == 114, bytes[index + 2] == 101, bytes[index + 3] == 102,
                   bytes[index + 4] == 61, bytes[index + 5] == 34 {
                    valueStart = index + 6
                } else if bytes[index] == 115, bytes[index + 1] == 114, bytes[index + 2] == 99, bytes[index + 3] == 61,
                          bytes[index + 4] == 34 {
                    valueStart = index + 5
                }
                guard valueStart >= 0 else {
                    index += 1
                    continue
                }
                var valueEnd = valueStart
                while valueEnd < count, bytes[valueEnd] != 34 { valueEnd += 1 }
                index = valueEnd
                // Links elsewhere (scheme:, //host, #fragment, mailto:) need no string at all.
                let first = valueStart < valueEnd ? bytes[valueStart] : 0
                if first == 35 || (first == 47 && valueStart + 1 < valueEnd && bytes[valueStart + 1] == 47) { continue }
                if first != 47 && !Self.isRelative(bytes, valueStart, valueEnd) && !Self.hasPrefix(bytes, valueStart, valueEnd, originBytes) {
                    continue
                }
                let value = String(decoding: UnsafeBufferPointer(rebasing: bytes[valueStart..<valueEnd]), as: UTF8.self)
                let unescaped = value.utf8.contains(38) ? Self.unescapeEntities(value) : value
                guard let target = internalTarget(unescaped, pagePath: pagePath) else { continue }
                if target.hasPrefix("/assets/") {
                    if let hashed = assetURLs[target] {
                        if output.isEmpty { output.reserveCapacity(count + 512) }
                        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<valueStart]))
                        output.append(contentsOf: hashed.utf8)
                        copied = valueEnd
                    } else if !outputs.contains(target) {
                        problems.append(.missingAsset(unescaped))
                    }
                } else if !exists(target) {
                    problems.append(.brokenLink(unescaped))
                }
            }
            if copied > 0 { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied...])) }
        }
        return (copied == 0 ? bytes : output, problems)
    }

    /// A relative URL: no scheme before its first `/`, `?` or `#`.
    static func isRelative(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var index = start
        while index < end {
            switch bytes[index] {
            case 58: return false
            case 47, 63, 35: return true
            default: index += 1
            }
        }
        return true
    }

    static func hasPrefix(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ prefix: [UInt8]) -> Bool {
        guard end - start >= prefix.count else { return false }
        for offset in 0..<prefix.count where bytes[start + offset] != prefix[offset] { return false }
        return true
    }

    /// The site path a URL leads to, without query or fragment, or nil for links elsewhere.
    func internalTarget(_ url: String, pagePath: String) -> String? {
        var url = Substring(url)
        if url.hasPrefix(origin), url.dropFirst(origin.count).first == "/" { url = url.dropFirst(origin.count) }
        if let cut = url.utf8.firstIndex(where: { $0 == 63 || $0 == 35 }) { url = url[..<cut] }
        if url.isEmpty || url.hasPrefix("//") { return nil }
        if url.first == "/" { return Self.percentDecoded(String(url)) }
        if let colon = url.utf8.firstIndex(of: 58), !url[..<colon].utf8.contains(47) { return nil }
        let directory = pagePath.hasSuffix("/") ? pagePath : String(pagePath[...(pagePath.lastIndex(of: "/") ?? pagePath.startIndex)])
        return Self.percentDecoded(Self.normalize(directory + url))
    }

    func exists(_ path: String) -> Bool {
        if path.hasSuffix("/") { return outputs.contains(path + "index.html") }
        return outputs.contains(path) || outputs.contains(path + "/index.html")
    }

    /// Resolves `.` and `..` segments of an absolute path.
    static func normalize(_ path: String) -> String {
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            if segment == "." { continue }
            if segment == ".." {
                if !segments.isEmpty { segments.removeLast() }
                continue
            }
            segments.append(segment)
        }
        return "/" + segments.joined(separator: "/")
    }

    static func percentDecoded(_ path: String) -> String {
        guard path.utf8.contains(37) else { return path }
        return path.removingPercentEncoding ?? path
    }

    static func unescapeEntities(_ value: String) -> String {
        value.replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&quot;", with: "\"")
    }
}
