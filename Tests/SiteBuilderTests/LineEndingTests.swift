import Foundation
import SiteBuilder
import Testing

/// A Windows checkout (`core.autocrlf=true`) or an editor that writes a byte-order mark must not
/// change the site: every text input reads the same with LF, CR LF, a lone CR and a UTF-8 BOM, and
/// errors name the same lines.
@Suite struct LineEndingTests {
    /// How a file's text is rewritten.
    enum Style: String, CaseIterable {
        case crlf, bomCRLF, bomLF, cr

        func apply(_ text: String) -> String {
            let lf = text.replacingOccurrences(of: "\r\n", with: "\n")
            switch self {
            case .crlf: return lf.replacingOccurrences(of: "\n", with: "\r\n")
            case .bomCRLF: return "\u{FEFF}" + lf.replacingOccurrences(of: "\n", with: "\r\n")
            case .bomLF: return "\u{FEFF}" + lf
            case .cr: return lf.replacingOccurrences(of: "\n", with: "\r")
            }
        }
    }

    /// Rewrites every text input of the site (Markdown, YAML, catalog text, templates) in `style`.
    static func convert(_ site: ExampleSite, to style: Style) throws {
        let enumerator = FileManager.default.enumerator(atPath: site.folder)
        while let path = enumerator?.nextObject() as? String {
            guard [".md", ".yaml", ".txt", ".mustache"].contains(where: path.hasSuffix), !path.hasPrefix("public/") else { continue }
            try site.write(path, style.apply(try site.source(path)))
        }
    }

    @Test(arguments: Style.allCases)
    func theExampleShopBuildsByteForByteTheSame(style: Style) throws {
        let lf = try ExampleSite()
        try lf.build()
        let other = try ExampleSite()
        try Self.convert(other, to: style)
        try other.build()
        let files = lf.outputFiles()
        #expect(other.outputFiles() == files)
        var differing: [String] = []
        for file in files where FileManager.default.contents(atPath: lf.out + "/" + file) != FileManager.default.contents(atPath: other.out + "/" + file) {
            differing.append(file)
        }
        #expect(differing.isEmpty, "\(style): \(differing.prefix(10))")
        #expect(!other.read("products/noahs-ark-coloring-pages/index.html").contains("\r"))
    }

    /// `cases/crlf-line-endings`: an unknown SKU in a shortcode is the same error, on the same line.
    @Test(arguments: Style.allCases)
    func aShortcodeErrorIsTheSameWhateverTheLineEndings(style: Style) throws {
        let page = "---\ntitle: Our picks\n---\n\nSome words first.\n\n{{< product \"NO-SUCH-SKU\" >}}\n"
        let lf = try ExampleSite()
        try lf.write("content/pages/picks.md", page)
        let other = try ExampleSite()
        try other.write("content/pages/picks.md", style.apply(page))
        let expected = try #require(lf.buildError())
        let error = try #require(other.buildError(), "\(style) built")
        #expect(error.names("content/pages/picks.md", line: 7, "NO-SUCH-SKU"), "\(error)")
        #expect(error.diagnostics == expected.diagnostics)
    }

    /// A broken file of each kind gives the same errors, on the same lines, in every style.
    static let brokenFiles: [(path: String, text: String, line: Int)] = [
        ("site.yaml", "title: Shop\nproducts_per_page: many\n", 2),
        ("catalog.txt", "shop\n  currency: USD\n\nniche kids\n  title: Kids\n  colour: red\n", 6),
        ("templates/page.mustache", "{{<base}}{{$main}}\n<p>\n{{#page}}\n</p>\n{{/main}}{{/base}}\n", 5),
        ("content/pages/about.md", "---\ntitle: About\ncolour: red\n---\nHello\n", 3),
    ]

    @Test(arguments: Style.allCases)
    func everyKindOfFileReportsTheSameErrorOnTheSameLine(style: Style) throws {
        for broken in Self.brokenFiles {
            let lf = try ExampleSite()
            try lf.write(broken.path, broken.text)
            let other = try ExampleSite()
            try other.write(broken.path, style.apply(broken.text))
            let expected = try #require(lf.buildError(), "\(broken.path) built")
            #expect(expected.diagnostics.contains { $0.file.hasSuffix(broken.path) && $0.line == broken.line }, "\(expected)")
            #expect(other.buildError()?.diagnostics == expected.diagnostics, "\(style) \(broken.path)")
        }
    }

    /// CSV exports: the same rows, the same cells (line ends inside a quoted cell included), the same
    /// row numbers in the report.
    @Test(arguments: Style.allCases)
    func csvImportsReadTheSame(style: Style) throws {
        let csv = "sku,title,niche,price,summary\nA-1,One,kids-bible,4.99,\"Two lines:\nhere\"\nA-2,Two,no-such-niche,4.99,x\n"
        func imported(_ text: String) throws -> (String, String) {
            let site = try ExampleSite()
            try site.write("import.csv", text)
            let report = try CatalogCommands(siteFolder: site.folder).importCSV(site.folder + "/import.csv", format: .csv)
            return ("\(report)", try site.source("catalog.txt"))
        }
        let (lfReport, lfCatalog) = try imported(csv)
        let (report, catalog) = try imported(style.apply(csv))
        #expect(report == lfReport)
        #expect(catalog == lfCatalog)
        #expect(!catalog.contains("\r"))
    }
}
