import Foundation
import SiteBuilder
import Testing

@Suite struct MarkdownTests {
    @Test func rendersGitHubFlavouredMarkdown() {
        let html = MarkdownRenderer(allowRawHTML: false).render("""
            | a | b |
            |---|---|
            | 1 | 2 |

            ~~gone~~ and www.example.com

            - [x] done
            - [ ] todo
            """).html
        #expect(html.contains("<table>"))
        #expect(html.contains("<del>gone</del>"))
        #expect(html.contains("<a href=\"http://www.example.com\">"))
        #expect(html.contains("type=\"checkbox\" checked=\"\" disabled=\"\""))
    }

    @Test func rawHTMLIsFilteredUnlessTheSiteOptsIn() {
        let markdown = "Hello <b>bold</b>\n\n<script>alert(1)</script>\n"
        let safe = MarkdownRenderer(allowRawHTML: false).render(markdown).html
        #expect(!safe.contains("<b>"))
        #expect(!safe.contains("<script>"))
        let opted = MarkdownRenderer(allowRawHTML: true).render(markdown).html
        #expect(opted.contains("<b>bold</b>"))
        #expect(!opted.contains("<script>"), "the GFM tag filter still escapes script")
        #expect(opted.contains("&lt;script>"))
    }

    @Test func reportsLinksWithTheirLines() {
        let rendered = MarkdownRenderer(allowRawHTML: false).render("Intro\n\nSee [a](/a/) and\n![img](/assets/x.png)\n")
        #expect(rendered.links == [MarkdownLink(url: "/a/", line: 3), MarkdownLink(url: "/assets/x.png", line: 4)])
    }

    @Test func rawHTMLOptInFromSiteConfig() throws {
        let site = try ExampleSite()
        try site.write("content/pages/raw.md", "---\ntitle: Raw\n---\nHello <kbd>Ctrl</kbd>\n")
        try site.build()
        #expect(!site.read("raw/index.html").contains("<kbd>"))
        try site.edit("site.yaml", replacing: "language: en\n", with: "language: en\nmarkdown:\n  raw_html: true\n")
        try site.build()
        #expect(site.read("raw/index.html").contains("<kbd>Ctrl</kbd>"))
    }
}
