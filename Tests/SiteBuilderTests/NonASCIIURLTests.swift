import Foundation
@testable import SiteBuilder
import Testing

/// A page whose slug is outside ASCII: every URL the build writes is a valid URI (percent-encoded
/// UTF-8) and the file sits where a server looks for that URI.
@Suite struct NonASCIIURLTests {
    func site() throws -> ExampleSite {
        let site = try ExampleSite()
        try site.write("content/pages/über-uns.md", "---\ntitle: Über uns\nmenu: footer\n---\n\nSee [Tokyo](/東京/) and [us](/%C3%BCber-uns/).\n")
        try site.write("content/pages/tokyo.md", "---\ntitle: 東京\nslug: 東京\nmenu: header\n---\n\nこんにちは。 ![Crème](</assets/images/crème brûlée.svg>)\n")
        try site.write("assets/images/crème brûlée.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
        try site.write("assets/extra.css", ".a { background: url(\"/assets/images/crème brûlée.svg\") }\n.b { background: url(/assets/images/cr%C3%A8me%20br%C3%BBl%C3%A9e.svg) }\n")
        try site.edit(
            "catalog.txt", replacing: "image: /assets/images/products/homeschool-digital-planner.svg",
            with: "image: /assets/images/crème brûlée.svg")
        return site
    }

    /// Every `href`, `src`, `content` URL, sitemap `loc` and search-index `url` in the output.
    func urls(in site: ExampleSite) -> [(file: String, url: String)] {
        var found: [(String, String)] = []
        for file in site.outputFiles() where file.hasSuffix(".html") || file.hasSuffix(".xml") || file.hasSuffix(".json") {
            let text = site.read(file)
            for match in text.matches(of: /(?:href|src)="([^"]*)"|<loc>([^<]*)<\/loc>|"(?:url|item|@id)":"([^"]*)"|<link>([^<]*)<\/link>|property="og:url" content="([^"]*)"/) {
                let url = match.output.1 ?? match.output.2 ?? match.output.3 ?? match.output.4 ?? match.output.5
                if let url { found.append((file, String(url))) }
            }
        }
        return found
    }

    @Test func everyURLIsPercentEncodedAndEveryFileIsWhereItsURLLeads() throws {
        let site = try site()
        try site.build()
        #expect(site.exists("über-uns/index.html"), "written under the decoded name, where a server maps /%C3%BCber-uns/")
        #expect(site.exists("東京/index.html"))
        let found = urls(in: site)
        #expect(found.count > 1000)
        for (file, url) in found {
            #expect(url.unicodeScalars.allSatisfy { $0.isASCII && $0.value > 0x20 }, "\(file): \(url) is not a valid URI")
        }
        let home = site.read("index.html")
        #expect(home.contains("href=\"/%E6%9D%B1%E4%BA%AC/\""), "header menu")
        #expect(home.contains("href=\"/%C3%BCber-uns/\""), "footer menu")
        let page = site.read("über-uns/index.html")
        #expect(page.contains("<link rel=\"canonical\" href=\"https://mustardseed.example/%C3%BCber-uns/\">"))
        #expect(page.contains("href=\"/%E6%9D%B1%E4%BA%AC/\""), "a raw UTF-8 link in Markdown is encoded and resolves")
        #expect(site.read("sitemap.xml").contains("<loc>https://mustardseed.example/%C3%BCber-uns/</loc>"))
        #expect(site.read("search-index.json").contains("\"/%E6%9D%B1%E4%BA%AC/\""))
        let image = try #require(site.outputFiles().first { $0.hasPrefix("assets/images/crème brûlée.") }, "the asset keeps its name")
        let url = "/" + SitePaths.encoded(image)
        #expect(url.hasPrefix("/assets/images/cr%C3%A8me%20br%C3%BBl%C3%A9e."))
        #expect(site.read("products/homeschool-digital-planner/index.html").contains("src=\"\(url)\""), "a catalog image")
        #expect(site.read("東京/index.html").contains("src=\"\(url)\""), "an image in Markdown")
        let css = try #require(site.outputFiles().first { $0.hasPrefix("assets/extra.") })
        #expect(site.read(css).components(separatedBy: url).count == 3, "both CSS forms, quoted with spaces and percent-encoded")
    }

    @Test(arguments: [("über uns", "it contains a space"), ("a/b", "it contains '/'"), ("..", "it is empty or a dot path"), ("50%", "it contains '%'"), ("x?y", "it contains '?'")])
    func aSlugThatIsNotOnePathSegmentIsRefusedByFileAndLine(slug: String, problem: String) throws {
        let site = try ExampleSite()
        try site.write("content/pages/bad.md", "---\ntitle: Bad\nslug: \"\(slug)\"\n---\n\nText.\n")
        let error = try #require(site.buildError())
        #expect(error.names("content/pages/bad.md", line: 3, "'\(slug)' cannot be a page's URL: \(problem)"), "\(error)")
    }
}
