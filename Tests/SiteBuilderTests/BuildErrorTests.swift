import Foundation
import SiteBuilder
import SiteCore
import Testing

/// Every error an editor can cause names the file and line, and the build fails.
@Suite struct BuildErrorTests {
    @Test func badYAMLInFrontMatter() throws {
        let site = try ExampleSite()
        try site.write("content/pages/broken.md", "---\ntitle: Broken\ndescription: \"unterminated\n---\nBody\n")
        let error = try #require(site.buildError())
        #expect(error.diagnostics.contains { $0.file == "content/pages/broken.md" && $0.message.contains("invalid YAML") && $0.line != nil })
    }

    @Test func frontMatterThatNeverEnds() throws {
        let site = try ExampleSite()
        try site.write("content/pages/open.md", "---\ntitle: Open\nBody\n")
        let error = try #require(site.buildError())
        #expect(error.names("content/pages/open.md", line: 1, "never ends"))
    }

    @Test func unknownFrontMatterKey() throws {
        let site = try ExampleSite()
        try site.write("content/pages/typo.md", "---\ntitle: Typo\nmenuu: footer\n---\nBody\n")
        let error = try #require(site.buildError())
        #expect(error.names("content/pages/typo.md", line: 3, "unknown key 'menuu'"))
    }

    @Test func unknownSKU() throws {
        let site = try ExampleSite()
        try site.edit("content/products/noahs-ark-coloring-pages.md", replacing: "sku: KB-NOAH-COLORING", with: "sku: KB-NOAH-COLOURING")
        let error = try #require(site.buildError())
        let source = try site.source("content/products/noahs-ark-coloring-pages.md")
        #expect(error.names("content/products/noahs-ark-coloring-pages.md", line: line(of: "sku:", in: source), "'KB-NOAH-COLOURING' is not a product SKU"))
        #expect(error.diagnostics.first?.hint?.contains("KB-NOAH-COLORING") == true)
    }

    @Test func unknownSKUInAnEmbeddedCard() throws {
        let site = try ExampleSite()
        try site.write("content/pages/picks.md", "---\ntitle: Picks\n---\nIntro\n\n{{< product \"NOPE-1\" >}}\n")
        let error = try #require(site.buildError())
        #expect(error.names("content/pages/picks.md", line: 6, "unknown product SKU 'NOPE-1'"))
    }

    @Test func aShortcodeWithinAParagraphIsAnErrorNotText() throws {
        let site = try ExampleSite()
        try site.write("content/pages/picks.md", "---\ntitle: Picks\n---\nIntro\n\nOur pick: {{< product \"KB-NOAH-COLORING\" >}} today.\n")
        let error = try #require(site.buildError())
        #expect(error.names("content/pages/picks.md", line: 6, "a shortcode must stand on a line of its own"))
    }

    @Test func aShortcodeInCodeIsShownAsText() throws {
        let site = try ExampleSite()
        try site.write("content/pages/howto.md", """
            ---
            title: How to embed
            ---
            Write `{{< product "SKU" >}}` on a line of its own, like this:

            ```
            {{< product "KB-NOAH-COLORING" >}}
            ```
            """)
        try site.build()
        let html = site.read("howto/index.html")
        #expect(html.contains("<code>{{&lt; product &quot;SKU&quot; &gt;}}</code>") || html.contains("<code>{{&lt; product \"SKU\" &gt;}}</code>"), "\(html)")
        #expect(html.contains("{{&lt; product &quot;KB-NOAH-COLORING&quot; &gt;}}\n</code></pre>") || html.contains("{{&lt; product \"KB-NOAH-COLORING\" &gt;}}\n</code></pre>"))
        #expect(!html.contains("class=\"card\""), "no card embedded from code")
        // Code spans of two backticks, HTML comments and indented code may show a shortcode too.
        try site.write("content/pages/howto.md", "---\ntitle: How to embed\n---\nWrite ``{{< product `SKU` >}}``.\n\n<!-- {{< product \"X\" >}}\n-->\n\n    see {{< product \"X\" >}}\n\n````\n```\n{{< product \"X\" >}}\n````\n")
        try site.build()
        // A shortcode commented out is not embedded (its SKU may be gone), a code span may wrap onto
        // the next line, and a comment closed on an indented line is closed.
        try site.write("content/pages/howto.md", "---\ntitle: How to embed\n---\n<!--\n{{< product \"GONE-1\" >}}\n-->\n\nWrite `{{< product\n\"SKU\" >}}` to embed.\n\n<!--\n    old text -->\n\nNothing else.\n")
        try site.build()
        #expect(!site.read("howto/index.html").contains("class=\"card\""))
        // A backtick no other closes is text, not the start of code: the shortcode after it is embedded.
        try site.write("content/pages/howto.md", "---\ntitle: How to embed\n---\nThe frame is 5` wide.\n{{< product \"KB-NOAH-COLORING\" >}}\nAnd that is all.\n\nHere `this` is code.\n")
        try site.build()
        let embedded = site.read("howto/index.html")
        #expect(embedded.contains("class=\"card\"") && !embedded.contains("{{&lt;"), "\(embedded)")
        #expect(embedded.contains("5` wide") && embedded.contains("<code>this</code>"))
        try site.write("content/pages/howto.md", "---\ntitle: How to embed\n---\n<!--\n    old text -->\n\nSee {{< product \"KB-NOAH-COLORING\" >}} here.\n")
        let error = try #require(site.buildError())
        #expect(error.names("content/pages/howto.md", line: 7, "a shortcode must stand on a line of its own"))
    }

    @Test func brokenInternalLinkInMarkdown() throws {
        let site = try ExampleSite()
        try site.write("content/pages/links.md", "---\ntitle: Links\n---\nSee [the shop](/shop/).\n\n{{< product \"KB-NOAH-COLORING\" >}}\n\nAnd [this](/products/no-such-thing/).\n")
        let error = try #require(site.buildError())
        #expect(error.names("content/pages/links.md", line: 8, "broken link /products/no-such-thing/"))
        #expect(error.diagnostics.count == 1)
    }

    @Test func brokenLinkInATemplate() throws {
        let site = try ExampleSite()
        try site.write("templates/footer.mustache", "<footer>\n<a href=\"/about/\">About</a>\n<a href=\"/abuot/\">Typo</a>\n</footer>\n")
        let error = try #require(site.buildError())
        #expect(error.names("templates/footer.mustache", line: 3, "broken link /abuot/"))
        #expect(error.diagnostics.count == 1, "reported once, not once per page")
    }

    @Test func templateSyntaxError() throws {
        let site = try ExampleSite()
        try site.write("templates/page.mustache", "{{<base}}\n{{$main}}\n<h1>{{page.title}}</h1>\n{{#content}}\n{{{content}}}\n{{/main}}\n{{/base}}\n")
        let error = try #require(site.buildError())
        #expect(error.diagnostics.contains { $0.file == "templates/page.mustache" && $0.line != nil && $0.message.contains("template error") })
    }

    @Test func templateNamingAMissingPartial() throws {
        let site = try ExampleSite()
        try site.write("templates/page.mustache", "{{<base}}\n{{$main}}\n{{>sidebar}}\n{{/main}}\n{{/base}}\n")
        let error = try #require(site.buildError())
        #expect(error.names("templates/page.mustache", line: 3, "partial 'sidebar' does not exist"))
    }

    @Test func missingAssetInATemplate() throws {
        let site = try ExampleSite()
        try site.write("templates/footer.mustache", "<footer>\n<img src=\"/assets/images/missing.png\" alt=\"\">\n</footer>\n")
        let error = try #require(site.buildError())
        #expect(error.names("templates/footer.mustache", line: 2, "missing asset /assets/images/missing.png"))
    }

    @Test func missingAssetInCSS() throws {
        let site = try ExampleSite()
        try site.write("assets/extra.css", "body {\n  background: url(/assets/images/paper.png);\n}\n")
        let error = try #require(site.buildError())
        #expect(error.names("assets/extra.css", line: 2, "missing asset /assets/images/paper.png"))
    }

    @Test func missingProductImage() throws {
        let site = try ExampleSite()
        try site.edit("catalog.txt", replacing: "image: /assets/images/products/noahs-ark-coloring-pages.svg", with: "image: /assets/images/products/noah.svg")
        let error = try #require(site.buildError())
        let record = line(of: "product KB-NOAH-COLORING", in: try site.source("catalog.txt"))
        #expect(error.names("catalog.txt", line: record, "image /assets/images/products/noah.svg is not an asset"))
    }

    @Test func invalidPriceInTheCatalog() throws {
        let site = try ExampleSite()
        let source = try site.source("catalog.txt")
        let priceLine = try #require(line(of: "  price: 4.99 USD", in: source))
        try site.edit("catalog.txt", replacing: "  price: 4.99 USD", with: "  price: 4.999 USD")
        let error = try #require(site.buildError())
        #expect(error.names("catalog.txt", line: priceLine, "'4.999' is not a valid USD amount"))
    }

    @Test func invalidCurrencyInTheCatalog() throws {
        let site = try ExampleSite()
        let source = try site.source("catalog.txt")
        let priceLine = try #require(line(of: "  price: 4.99 USD", in: source))
        try site.edit("catalog.txt", replacing: "  price: 4.99 USD", with: "  price: 4.99 US")
        let error = try #require(site.buildError())
        #expect(error.names("catalog.txt", line: priceLine, "'US' is not an ISO 4217 currency code"))
    }

    @Test func catalogReferenceToAMissingNiche() throws {
        let site = try ExampleSite()
        try site.edit("catalog.txt", replacing: "  niche: kids-bible\n", with: "  niche: kids-bibel\n")
        let error = try #require(site.buildError())
        #expect(error.diagnostics.contains { $0.file == "catalog.txt" && $0.line != nil && $0.message.contains("'kids-bibel' is not a niche") })
    }

    /// Refused at the text's line, before the database is written (it was SQLite's "UNIQUE constraint failed").
    @Test func aNicheDefinedTwiceInTheCatalog() throws {
        let site = try ExampleSite()
        let source = try site.source("catalog.txt")
        let first = try #require(line(of: "niche kids-bible", in: source))
        let second = try #require(line(of: "niche homeschool", in: source))
        try site.edit("catalog.txt", replacing: "niche homeschool\n", with: "niche kids-bible\n")
        let error = try #require(site.buildError())
        #expect(error.names("catalog.txt", line: second, "niche kids-bible: defined twice; the first is on line \(first)"))
        #expect(!error.description.contains("SQLite"))
    }

    /// Two files of copy for one record: the second (in path order) is named with the first.
    @Test(arguments: [
        ("content/products/zz-second.md", "---\nsku: PD-ACTS-JOURNAL\n---\nAgain\n", "content/products/acts-prayer-journal.md", "product", 2),
        ("content/pages/zz-second.md", "---\ntitle: About again\nslug: about\n---\nAgain\n", "content/pages/about.md", "page", 3),
    ])
    func twoFilesOfCopyForOneRecord(file: String, text: String, first: String, kind: String, keyLine: Int) throws {
        let site = try ExampleSite()
        try site.write(file, text)
        let error = try #require(site.buildError())
        #expect(error.names(file, line: keyLine, "already has copy in \(first)"))
        #expect(error.diagnostics.first { $0.file == file }?.hint == "keep one file per \(kind)")
    }

    /// Checked whether or not the build cache's memo knows the file, and whether or not its line ends are made LF first.
    @Test(arguments: ["\n", "\r\n"]) func contentThatIsNotUTF8(lineEnd: String) throws {
        let site = try ExampleSite()
        try site.build()
        let file = try #require(ExampleSite.files(under: site.folder + "/content/products").first)
        let path = site.folder + "/content/products/" + file
        var bytes = Array("---\nsku: X\n---\nCaf".replacingOccurrences(of: "\n", with: lineEnd).utf8)
        bytes += [0xE9, 0x0A]
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let error = try #require(site.buildError())
        #expect(error.names("content/products/" + file, "cannot read the file as UTF-8 text"))
    }

    /// The manifest is written on another core while the build records the rest: its failure still fails the build, by name.
    @Test func aManifestThatCannotBeWrittenIsNamed() throws {
        let site = try ExampleSite()
        let out = URL(fileURLWithPath: site.out)
        let manifest = out.deletingLastPathComponent().appendingPathComponent("." + out.lastPathComponent + ".sitegen-manifest").path
        try FileManager.default.createDirectory(atPath: manifest + "/in-the-way", withIntermediateDirectories: true)
        let error = try #require(site.buildError())
        #expect(error.names(manifest, "cannot record the build manifest"))
    }

    /// Both written at the end of the build: when both fail, both are named (the schedule's failure hid the manifest's).
    @Test func aManifestAndANextPriceChangeThatCannotBeWrittenAreBothNamed() throws {
        let site = try ExampleSite()
        let out = URL(fileURLWithPath: site.out)
        let manifest = out.deletingLastPathComponent().appendingPathComponent("." + out.lastPathComponent + ".sitegen-manifest").path
        try FileManager.default.createDirectory(atPath: manifest + "/in-the-way", withIntermediateDirectories: true)
        let schedule = PriceSchedule.path(outFolder: site.out)
        try FileManager.default.createDirectory(atPath: schedule + "/in-the-way", withIntermediateDirectories: true)
        let error = try #require(site.buildError())
        #expect(error.names(manifest, "cannot record the build manifest"))
        #expect(error.names(schedule, "cannot write the next price change"))
    }

    /// A build that failed to write the next price change is not taken for up to date by the next one.
    @Test func aNextPriceChangeThatCouldNotBeWrittenIsWrittenByTheNextBuild() throws {
        let site = try ExampleSite()
        let schedule = PriceSchedule.path(outFolder: site.out)
        try FileManager.default.createDirectory(atPath: schedule + "/in-the-way", withIntermediateDirectories: true)
        let error = try #require(site.buildError())
        #expect(error.names(schedule, "cannot write the next price change"))
        try FileManager.default.removeItem(atPath: schedule)
        _ = try site.build()
        var isFolder: ObjCBool = true
        #expect(FileManager.default.fileExists(atPath: schedule, isDirectory: &isFolder) && !isFolder.boolValue)
    }

    /// A mistyped `--site` is named, and not made (the build cache once made it, then blamed the catalog).
    /// The preview's session too (it opened the cache before its first build looked at the folder).
    @Test(arguments: [false, true]) func aSiteFolderThatIsNotThereIsNamedAndNotMade(preview: Bool) throws {
        let parent = try ExampleSite.empty().folder
        let missing = parent + "/no-such-site"
        let result = Result { () throws(BuildError) in
            if preview {
                try SiteSession(siteFolder: missing, outFolder: parent + "/out", watches: false).rebuild()
            } else {
                _ = try SiteBuild(siteFolder: missing).run()
            }
        }
        guard case let .failure(error) = result else {
            Issue.record("a build of a missing site folder succeeded")
            return
        }
        #expect(error.names(missing, "the site folder does not exist"))
        #expect(!FileManager.default.fileExists(atPath: missing))
    }

    @Test func contentOutsideTheKnownFolders() throws {
        let site = try ExampleSite()
        try site.write("content/blog/post.md", "---\ntitle: Post\n---\nHi\n")
        let error = try #require(site.buildError())
        #expect(error.names("content/blog/post.md", "not a place content can go"))
    }

    @Test func badSiteConfig() throws {
        let site = try ExampleSite()
        let source = try site.source("site.yaml")
        try site.edit("site.yaml", replacing: "base_url: https://mustardseed.example", with: "base_url: mustardseed")
        let error = try #require(site.buildError())
        #expect(error.names("site.yaml", line: line(of: "base_url", in: source), "'mustardseed' is not an http(s) URL"))
        // Paths are relative to the site folder: an absolute one was looked for inside it, and the
        // check that the catalog's files exist was skipped without a word.
        try site.write("site.yaml", source + "files: /srv/shop-files\n")
        let absolute = try #require(site.buildError())
        #expect(absolute.names("site.yaml", line: source.split(separator: "\n", omittingEmptySubsequences: false).count, "'/srv/shop-files' is not relative to the site folder"))
        #expect(absolute.description.contains("../shop-files"))
    }

    @Test func aPageCannotTakeAShopURL() throws {
        let site = try ExampleSite()
        try site.write("content/pages/cart.md", "---\ntitle: Cart\n---\nHi\n")
        let error = try #require(site.buildError())
        #expect(error.names("content/pages/cart.md", "cannot take the URL /cart/"))
    }

    @Test func allErrorsAreReportedAtOnce() throws {
        let site = try ExampleSite()
        try site.write("content/pages/one.md", "---\ntitle: One\nbad: key\n---\n")
        try site.write("content/pages/two.md", "---\ntitle: Two\nworse: key\n---\n")
        let error = try #require(site.buildError())
        #expect(error.diagnostics.count == 2)
        #expect(error.description.contains("build failed: 2 errors"))
    }
}
