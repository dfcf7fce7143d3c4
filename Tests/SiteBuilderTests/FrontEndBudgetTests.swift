import Foundation
import Testing

/// What shoppers' browsers get: a small deferred script, labelled controls, light pages.
@Suite struct FrontEndBudgetTests {
    let site: ExampleSite

    init() throws {
        site = try ExampleSite()
        try site.build()
    }

    var scriptPath: String? { site.outputFiles().first { $0.hasPrefix("assets/shop.") && $0.hasSuffix(".js") } }

    @Test func theStorefrontScriptIsSmallDeferredAndValidJavaScript() throws {
        let script = try #require(scriptPath)
        let bytes = try #require(FileManager.default.contents(atPath: site.out + "/" + script))
        // 10 KiB until issue 14 added named prices, sale and tier notes, member prices and live stock.
        #expect(bytes.count < 11 * 1024, "the minified script is \(bytes.count) bytes")
        let html = site.read("products/noahs-ark-coloring-pages/index.html")
        #expect(html.contains("<script src=\"/\(script)\" defer></script>"))
        #expect(html.components(separatedBy: "<script src").count == 2, "one script, no framework")
        let node = Process()
        node.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        node.arguments = ["node", "--check", site.out + "/" + script]
        let output = Pipe()
        node.standardError = output
        try node.run()
        node.waitUntilExit()
        #expect(node.terminationStatus == 0, "node --check: \(String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))")
    }

    @Test func aProductPageWeighsUnder30KBCompressed() throws {
        let page = site.out + "/products/noahs-ark-coloring-pages/index.html"
        let css = try #require(site.outputFiles().first { $0.hasPrefix("assets/style.") })
        let total = try [page, site.out + "/" + css, site.out + "/" + (try #require(scriptPath))].map(gzipSize).reduce(0, +)
        #expect(total < 30 * 1024, "HTML + CSS + JS compressed: \(total) bytes")
    }

    @Test func everyFormControlHasALabel() throws {
        for page in site.outputFiles().filter({ $0.hasSuffix(".html") }) {
            let html = site.read(page)
            for match in html.matches(of: /<(input|select|textarea)\b([^>]*)>/) {
                let attributes = String(match.output.2)
                if attributes.contains("type=\"hidden\"") || attributes.contains("type=\"radio\"") { continue }
                let id = attributes.firstMatch(of: /id="([^"]+)"/).map { String($0.output.1) }
                let labelled = attributes.contains("aria-label") || (id.map { html.contains("for=\"\($0)\"") } ?? false)
                    || html[..<match.range.lowerBound].range(of: "<label", options: .backwards).map {
                        !html[$0.upperBound..<match.range.lowerBound].contains("</label>")
                    } == true
                #expect(labelled, "\(page): unlabelled \(match.output.0)")
            }
        }
    }

    func gzipSize(_ path: String) throws -> Int {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-9", "-c", path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let count = output.fileHandleForReading.readDataToEndOfFile().count
        process.waitUntilExit()
        return count
    }
}
