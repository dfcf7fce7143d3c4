import Foundation
import ShopCore
@testable import SiteBuilder
import Testing
import TestSupport
@testable import SiteCore

/// sitegen's readers of files people and other programs write (front matter, site.yaml, CSV and
/// WooCommerce exports), over generated inputs (seeded, so any failure reproduces). Each reads the
/// input or reports an error naming the file and a line inside it; none may trap.
@Suite struct InputFuzzTests {
    static func contentFiles() throws -> [String] {
        let folder = repositoryRoot + "/content"
        let paths = try FileManager.default.subpathsOfDirectory(atPath: folder).filter { $0.hasSuffix(".md") }.sorted()
        return try paths.prefix(12).map { try String(contentsOfFile: folder + "/" + $0, encoding: .utf8) }
    }

    /// An error's line must exist in the file (or be the line just past its end).
    static func expectLocated(_ error: BuildError, file: String, text: String) {
        // Lines as YAML counts them: LF, CR LF, a lone CR, NEL, LS and PS each end one.
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").unicodeScalars
            .filter { ["\n", "\r", "\u{85}", "\u{2028}", "\u{2029}"].contains($0) }.count + 1
        for diagnostic in error.diagnostics {
            #expect(diagnostic.file == file, "\(diagnostic)")
            if let line = diagnostic.line { #expect((1...lines + 1).contains(line), "\(diagnostic) in a file of \(lines) lines") }
        }
    }

    @Test func frontMatterIsReadOrLocated() throws {
        let inputs = FuzzInputs(
            seeds: try Self.contentFiles() + FuzzInputs.regressions("front-matter") + ["---\n---\n", "---\n", "---\r\n---\r\n", "\u{FEFF}---\ntitle: x\n---\n", "---\n- a\n---\n"],
            dictionary: ["---\n", "---", "\n", ": ", "- ", "\"", "'", "[", "{", "&a", "*a", "!!binary", "|", ">", "#", "\t", "title", "sku"],
            count: 2_500, seed: 21)
        for text in inputs.strings {
            do {
                let file = try ContentFile(path: "content/fuzz.md", text: text)
                #expect(file.bodyLine >= 1)
            } catch {
                Self.expectLocated(error, file: "content/fuzz.md", text: text)
            }
        }
    }

    @Test func siteYAMLIsReadOrLocated() throws {
        let example = try String(contentsOfFile: repositoryRoot + "/site.yaml", encoding: .utf8)
        let inputs = FuzzInputs(
            seeds: FuzzInputs.regressions("site-yaml") + [example, "products_per_page: 99999999999999999999\n", "title: [a\n", "markdown:\n  raw_html: maybe\n"],
            dictionary: ["title: ", "base_url: ", "products_per_page: ", "markdown:\n  raw_html: ", "\n", ": ", "-", "9223372036854775808"],
            count: 1_500, seed: 22)
        for text in inputs.strings {
            do {
                _ = try SiteConfig.parse(text, file: "site.yaml")
            } catch {
                Self.expectLocated(error, file: "site.yaml", text: text)
            }
        }
    }

    /// Imported WordPress HTML: never a trap, and nothing active survives into the Markdown.
    @Test func wordPressHTMLConvertsWithoutActiveContent() throws {
        let inputs = FuzzInputs(
            seeds: FuzzInputs.regressions("html") + [
                "<p>One</p>\n<p>Two &amp; <strong>three</strong></p>", "<ul><li>a<ul><li>b</li></ul></li><li>c</ul>",
                "<a href=\"https://x.example/\" onclick=\"steal()\">x</a><img src=x onerror=alert(1)>", "<pre><code>a < b</code></pre>",
            ],
            dictionary: [
                "<p>", "</p>", "<br>", "<ul>", "<li>", "</li>", "</ul>", "<ol>", "<strong>", "</strong>", "<em>", "<a href=\"", "javascript:",
                "\">", "</a>", "<script>", "</script>", "<style>", "<!--", "-->", "<pre>", "</pre>", "<code>", "&amp;", "&#", ";", "\n",
                "<blockquote>", "<h2>", "</h2>", " onclick=\"", "<img src=\"", "<", ">", "*", "_", "\\", "`",
                "&#1;", "&#2;", "&#x2;", "\u{1}", "\u{2}", "&lt;img src=x onerror=alert(1)&gt;", "<code>", "</code>", "title=\"a > b\"",
            ],
            count: 3_000, seed: 24)
        for html in inputs.strings {
            let markdown = HTMLToMarkdown.convert(html)
            // Rendered as a site with `raw_html: true` would: nothing the converter lets through may be live.
            let rendered = MarkdownRenderer(allowRawHTML: true).render(markdown).html
            #expect(!rendered.lowercased().contains("<script"), "\(html)")
            #expect(!rendered.lowercased().contains("href=\"javascript:"), "\(html)")
            // Text may mention `onclick=` (escaped); a tag may not carry it.
            #expect(rendered.firstMatch(of: /<[a-zA-Z][^>]*\son[a-z]+\s*=/) == nil, "\(html)")
            _ = HTMLToMarkdown.plainText(html)
        }
    }

    @Test func csvExportsImportOrNameTheirRow() throws {
        let woo = (try? String(contentsOfFile: "/work/shared/fixtures/woocommerce-sample-products.csv", encoding: .utf8)) ?? ""
        let wooRows = woo.split(separator: "\n", omittingEmptySubsequences: false)
        let shop = "sku,title,niche,price,files,product,variant\nA-1,\"One, two\",kids,4.99,a.pdf|b.pdf,,\nA-1-A4,A4,kids,5.99,,A-1,A4\n"
        let inputs = FuzzInputs(
            seeds: FuzzInputs.regressions("csv") + [shop, wooRows.prefix(8).joined(separator: "\n"), wooRows.prefix(30).joined(separator: "\n"), "\"", "a,b\n\"c"],
            dictionary: [",", "\"", "\"\"", "\n", "\r\n", "|", "\\,", "\\n", "variable", "variation", "grouped", "simple", "id:", "99999999999999999999.99"],
            count: 600, seed: 23)
        let catalog = CatalogIndex.example
        for text in inputs.strings {
            do {
                let table = try CSVTable(text: text, file: "fuzz.csv")
                let (imported, report) = WooCommerceImport.apply(table, file: "fuzz.csv", to: catalog, today: "2026-12-01")
                #expect(imported.products.count >= catalog.products.count)
                #expect(report.skipped.allSatisfy { (2...table.rows.count + 1 + text.count).contains($0.row) })
            } catch {
                #expect(error.file == "fuzz.csv")
            }
        }
        // The shop's own CSV format, through the file the command reads.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("csv-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (index, text) in inputs.strings.prefix(400).enumerated() {
            let path = folder.appendingPathComponent("\(index).csv").path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            do {
                _ = try ShopCSVImport.run(file: path, into: catalog)
            } catch {
                #expect(error.file == path)
            }
        }
    }
}

extension CatalogIndex {
    /// The example shop's catalog, parsed.
    static var example: Catalog {
        let text = (try? String(contentsOfFile: repositoryRoot + "/catalog.txt", encoding: .utf8)) ?? ""
        return (try? CatalogText.parse(text, file: "catalog.txt").0) ?? Catalog()
    }
}
