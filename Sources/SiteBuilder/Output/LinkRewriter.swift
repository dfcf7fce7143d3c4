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
    func process(_ html: String, pagePath: String) -> (String, [Problem]) {
        var problems: [Problem] = []
        var bytes = Array(html.utf8)
        var output: [UInt8] = []
        var copied = 0
        var index = 0
        let count = bytes.count
        output.reserveCapacity(count + 256)
        while index < count - 6 {
            // Attribute values we check start after `href="` or `src="`.
            let byte = bytes[index]
            var valueStart = -1
            if byte == UInt8(ascii: "h"), bytes[index + 1] == UInt8(ascii: "r"), bytes[index + 2] == UInt8(ascii: "e"),
               bytes[index + 3] == UInt8(ascii: "f"), bytes[index + 4] == UInt8(ascii: "="), bytes[index + 5] == UInt8(ascii: "\""),
               index > 0, bytes[index - 1] == UInt8(ascii: " ") || bytes[index - 1] == UInt8(ascii: "\n") {
                valueStart = index + 6
            } else if byte == UInt8(ascii: "s"), bytes[index + 1] == UInt8(ascii: "r"), bytes[index + 2] == UInt8(ascii: "c"),
                      bytes[index + 3] == UInt8(ascii: "="), bytes[index + 4] == UInt8(ascii: "\""),
                      index > 0, bytes[index - 1] == UInt8(ascii: " ") || bytes[index - 1] == UInt8(ascii: "\n") {
                valueStart = index + 5
            }
            guard valueStart >= 0 else {
                index += 1
                continue
            }
            var valueEnd = valueStart
            while valueEnd < count, bytes[valueEnd] != UInt8(ascii: "\"") { valueEnd += 1 }
            let value = String(decoding: bytes[valueStart..<valueEnd], as: UTF8.self)
            let unescaped = value.contains("&") ? Self.unescapeEntities(value) : value
            if let target = internalTarget(unescaped, pagePath: pagePath) {
                if target.hasPrefix("/assets/") {
                    if let hashed = assetURLs[target] {
                        output.append(contentsOf: bytes[copied..<valueStart])
                        output.append(contentsOf: Array(hashed.utf8))
                        copied = valueEnd
                    } else if !outputs.contains(target) {
                        problems.append(.missingAsset(unescaped))
                    }
                } else if !exists(target) {
                    problems.append(.brokenLink(unescaped))
                }
            }
            index = valueEnd
        }
        if copied == 0 { return (html, problems) }
        output.append(contentsOf: bytes[copied...])
        bytes = []
        return (String(decoding: output, as: UTF8.self), problems)
    }

    /// The site path a URL leads to, without query or fragment, or nil for links elsewhere.
    func internalTarget(_ url: String, pagePath: String) -> String? {
        var url = Substring(url)
        if url.hasPrefix(origin + "/") { url = url.dropFirst(origin.count) }
        if let cut = url.firstIndex(where: { $0 == "?" || $0 == "#" }) { url = url[..<cut] }
        if url.isEmpty { return nil }
        if url.hasPrefix("//") { return nil }
        if url.hasPrefix("/") { return Self.percentDecoded(String(url)) }
        if let colon = url.firstIndex(of: ":"), !url[..<colon].contains("/") { return nil }
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
        guard path.contains("%") else { return path }
        return path.removingPercentEncoding ?? path
    }

    static func unescapeEntities(_ value: String) -> String {
        value.replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&quot;", with: "\"")
    }
}
