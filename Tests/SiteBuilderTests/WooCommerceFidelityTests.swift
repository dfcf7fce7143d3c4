import Foundation
import ShopCore
@testable import SiteBuilder
import Testing

/// The WooCommerce export read the way WooCommerce writes it: the cases in `shared/cases/woo-*`.
@Suite struct WooCommerceFidelityTests {
    static let cases = "/work/shared/cases/"

    /// Imports a case's `products.csv` into a copy of the example shop; returns the shop and catalog.
    func imported(_ name: String) throws -> (ExampleSite, Catalog, ImportReport) {
        let site = try ExampleSite()
        let report = try CatalogCommands(siteFolder: site.folder).importCSV(Self.cases + name + "/products.csv", format: .woocommerce)
        let catalog = try CatalogText.parse(try site.source("catalog.txt"), file: "catalog.txt").0
        return (site, catalog, report)
    }

    @Test func anEscapedCommaStaysInsideItsCategoryAndTagName() throws {
        let (site, catalog, _) = try imported("woo-escaped-comma-category")
        let niche = try #require(catalog.niches.first { $0.title == "Cards, Tags & Labels" })
        #expect(niche.slug == "cards-tags-labels")
        #expect(!catalog.niches.contains { $0.slug == "cards" || $0.title.hasSuffix("\\") })
        let card = try #require(catalog.products.first { $0.sku == "CARD-501" })
        let tags = try #require(catalog.products.first { $0.sku == "CARD-502" })
        #expect(card.niche == niche.slug && tags.niche == niche.slug, "both products in the one niche")
        #expect(card.tags.contains("birthday"))
        #expect(card.tags.contains("gift-wrap"), "`gift\\, wrap` is one tag")
        #expect(!card.tags.contains("gift") && !card.tags.contains("wrap"))
        #expect(!card.tags.contains("tags-labels") && !card.tags.contains("labels"), "no tag from a fragment of the category name")
        try site.build()
        #expect(site.read("shop/cards-tags-labels/index.html").contains("Cards, Tags &amp; Labels"))
    }

    @Test func descriptionLineBreaksBecomeRealAndTheDescriptionIsVisible() throws {
        let (site, catalog, _) = try imported("woo-description-newlines")
        let planner = try #require(catalog.products.first { $0.sku == "DESC-521" })
        #expect(planner.summary == "Plan a week of meals. Print on A4 or Letter.")
        #expect(!planner.summary.contains("\\n"))
        #expect(planner.description.contains("Plan seven days of meals on one page.\n\nIncludes a shopping list."))
        #expect(!planner.description.contains("\\n<p>") && !planner.description.contains("</p>"))
        #expect(planner.description.hasSuffix("ends in \\n-week.pdf."), "a literal backslash-n keeps one backslash")

        try site.build()
        let html = site.read("products/weekly-meal-planner/index.html")
        #expect(html.contains("<p>Includes a shopping list.</p>"), "the description is on the page")
        #expect(html.contains("ends in \\n-week.pdf."))
        #expect(!html.contains("raw HTML omitted"))
        #expect(html.contains("<meta name=\"description\" content=\"Plan a week of meals. Print on A4 or Letter.\">"))
        let product = try #require(jsonLD("Product", in: html))
        #expect(product["description"] as? String == "Plan a week of meals. Print on A4 or Letter.")
        let visible = html.replacingOccurrences(of: "ends in \\n-week", with: "")
        #expect(!visible.contains("\\n"), "no other \\n escape anywhere on the page")
    }

    @Test func accentedNamesGiveASCIISlugsOfTheSameWords() throws {
        let (site, catalog, _) = try imported("woo-slug-accents")
        let slugs = Dictionary(uniqueKeysWithValues: catalog.products.map { ($0.sku, $0.slug) })
        #expect(slugs["ACC-551"] == "ebene-wrap-dress-pattern")
        #expect(slugs["ACC-552"] == "fjallraven-style-tote")
        #expect(slugs["ACC-553"] == "creme-brulee-recipe-cards")
        #expect(catalog.niches.contains { $0.slug == "decor-couture" && $0.title == "Décor & Couture" })
        try site.build()
        #expect(site.read("products/creme-brulee-recipe-cards/index.html").contains("Crème Brûlée Recipe Cards"))
    }

    @Test(arguments: [
        ("Crème Brûlée", "creme-brulee"), ("Fjällräven", "fjallraven"), ("Straße", "strasse"), ("Æsop Œuvre", "aesop-oeuvre"),
        ("Łódź", "lodz"), ("Søren Ørsted", "soren-orsted"), ("Noah's Ark", "noahs-ark"), ("Clothing > T-Shirts!", "clothing-t-shirts"),
        ("Москва", "moskva"), ("  --  ", ""),
    ])
    func slugsFoldLettersToASCII(name: String, slug: String) {
        #expect(Slug.make(name) == slug)
    }

    @Test func listCellsSplitOnlyOnUnescapedCommas() {
        #expect(WooCommerceCell.list("Cards\\, Tags & Labels > Birthday, Gifts > For Her") == ["Cards, Tags & Labels > Birthday", "Gifts > For Her"])
        #expect(WooCommerceCell.list("printable, gift\\, wrap") == ["printable", "gift, wrap"])
        #expect(WooCommerceCell.list("") == [])
        #expect(WooCommerceCell.list("Fish &amp; Chips, 'x") == ["Fish & Chips", "'x"])
        #expect(WooCommerceCell.text("'=SUM(A1)") == "=SUM(A1)", "the exporter's formula guard is removed")
        #expect(WooCommerceCell.text("'plain") == "'plain")
    }

    @Test func namesAndSummariesDecodeEntitiesOnce() throws {
        let site = try ExampleSite()
        let csv = """
            ID,Type,SKU,Name,Published,Short description,Description,Regular price,Categories
            1,simple,ENT-1,Salt &amp; Pepper &#8211; Set,1,Fish &amp;amp; chips &lt;3,"<p>A &amp; B</p><script>alert(1)</script><p onclick=""x()"">Safe <a href=""javascript:alert(1)"">link</a> and <a href=""https://example.com/a"" onmouseover=""x()"">real</a></p>",2.00,Kitchen &amp; Home

            """
        try site.write("entities.csv", csv)
        _ = try CatalogCommands(siteFolder: site.folder).importCSV(site.folder + "/entities.csv", format: .woocommerce)
        let catalog = try CatalogText.parse(try site.source("catalog.txt"), file: "catalog.txt").0
        let product = try #require(catalog.products.first { $0.sku == "ENT-1" })
        #expect(product.title == "Salt & Pepper – Set")
        #expect(product.summary == "Fish &amp; chips <3", "decoded once: the author wrote &amp;")
        #expect(catalog.niches.contains { $0.title == "Kitchen & Home" && $0.slug == "kitchen-home" })
        #expect(product.description == "A & B\n\nSafe link and [real](https://example.com/a)")
        try site.build()
        let html = site.read("products/\(product.slug)/index.html")
        #expect(html.contains("Salt &amp; Pepper – Set"))
        #expect(html.contains("Fish &amp;amp; chips &lt;3"), "the text the author wrote, escaped once for HTML")
        #expect(!html.contains("alert(") && !html.contains("onclick") && !html.contains("onmouseover"))
        #expect(jsonLD("Product", in: html)?["name"] as? String == "Salt & Pepper – Set")
    }

    @Test(arguments: [
        ("<p>One</p><p>Two</p>", "One\n\nTwo"),
        ("First line\nsecond line\n\nNew paragraph", "First line\\\nsecond line\n\nNew paragraph"),
        ("<h2>Contents</h2><ul><li>Cover</li><li>Pages <strong>40</strong><ul><li>Inner</li></ul></li></ul>",
         "## Contents\n\n- Cover\n- Pages **40**\n  - Inner"),
        ("<ol><li>a</li><li>b</li></ol>", "1. a\n2. b"),
        ("<blockquote><p>Quote</p></blockquote>", "> Quote"),
        ("<pre>let x = 1\n  y</pre>", "```\nlet x = 1\n  y\n```"),
        ("<p><em> lean </em>and<b></b> <code>a*b</code></p>", "*lean* and `a*b`"),
        ("<p>2024. A year</p><p># not a heading</p>", "2024\\. A year\n\n\\# not a heading"),
        ("<span style=\"color:red\">red *text*</span><br>next", "red \\*text\\*\\\nnext"),
        ("<img src=\"https://cdn.example/a.png\" alt=\"Cover\" onerror=\"x()\"><img src=\"data:image/png;base64,AAAA\" alt=\"inline\">",
         "![Cover](https://cdn.example/a.png)inline"),
        ("<style>p{}</style><!-- note --><iframe src=\"x\">frame</iframe>Text", "Text"),
        ("a < b && c", "a &lt; b && c"),
        ("https://x.example/a\\&lt;img src=x onerror=alert(1)&gt;", "https://x.example/a\\\\&lt;img src=x onerror=alert(1)>"),
        ("<table><thead><tr><th>Size</th><th>Pages</th></tr></thead><tbody><tr><td>A4</td><td>12</td></tr></tbody></table>",
         "Size · Pages\n\nA4 · 12"),
        ("<code>&#2;&lt;img src=x onerror=alert(1)&gt;</code>", "`\u{FFFD}<img src=x onerror=alert(1)>`"),
        ("<img src=\"data:text/html,<script>alert(6)</script>\" alt=\"i6\"> <span title=\"a > b\">t</span>", "i6 t"),
        ("<a href=\"https://ok.example/x\\\">a8</a> <img src=\"https://ok.example/i.png\" alt=\"two\n\nlines\">",
         "[a8](https://ok.example/x%5C) ![two lines](https://ok.example/i.png)"),
        ("<a href=\"/old-shop/page\">old page</a> <a href=\"mailto:me@example.com\">mail</a>", "old page [mail](mailto:me@example.com)"),
    ])
    func wordPressHTMLBecomesMarkdown(html: String, markdown: String) {
        #expect(HTMLToMarkdown.convert(html) == markdown)
    }

    /// Deep nesting and many stray `<` stay fast and shallow (a stack overflow, a quadratic scan before).
    @Test func pathologicalHTMLConvertsWithoutCrashingOrStalling() {
        let deep = String(repeating: "<div><span>", count: 5_000) + "core" + String(repeating: "</span></div>", count: 5_000)
        #expect(HTMLToMarkdown.convert(deep) == "core")
        let strays = String(repeating: "x<y ", count: 20_000)
        let convertedStrays = HTMLToMarkdown.convert(strays)
        let straysKept = convertedStrays.hasPrefix("x&lt;y x&lt;y") && convertedStrays.count > 100_000
        #expect(straysKept, "every stray < kept as text")
    }

    @Test func variationsWithoutAPositionKeepTheFileOrder() throws {
        let csv = """
            ID,Type,SKU,Name,Regular price,Parent,Position,Attribute 1 value(s)
            1,variable,SHIRT,Shirt,,,0,
            2,variation,SHIRT-M,M,5.00,SHIRT,0,M
            3,variation,SHIRT-A,A,5.00,SHIRT,0,A
            4,variation,SHIRT-Z,Z,5.00,SHIRT,0,Z

            """
        let (catalog, _) = WooCommerceImport.apply(try CSVTable(text: csv, file: "x.csv"), file: "x.csv", to: Catalog(), today: "2026-12-01")
        #expect(catalog.variants.sorted { $0.position < $1.position }.map(\.sku) == ["SHIRT-M", "SHIRT-A", "SHIRT-Z"])
    }

    @Test func descriptionMarkdownRendersBackToTheSameText() {
        let html = "<p>Price: 5 * 3 = 15 &amp; [more] _under_</p>"
        let markdown = HTMLToMarkdown.convert(html)
        let rendered = MarkdownRenderer(allowRawHTML: false).render(markdown).html
        #expect(rendered.contains("Price: 5 * 3 = 15 &amp; [more] _under_"), "escapes keep the author's characters: \(rendered)")
    }

    @Test func aSaleIsImportedWithItsDatesAndAnEndedOneIsLeftOut() throws {
        let header = "ID,Type,SKU,Name,Sale price,Regular price,Date sale price starts,Date sale price ends\n"
        let rows = """
            1,simple,ON,On,5.00,9.00,2026-11-01,2026-12-31 23:59:59
            2,simple,OVER,Over,5.00,9.00,2026-01-01,2026-02-01
            3,simple,LATER,Later,5.00,9.00,2027-01-01 00:00:00,2027-01-02 18:30:00
            4,simple,OPEN,Open,5.00,9.00,,
            5,simple,ONLY,Only,5.00,,,

            """
        let table = try CSVTable(text: header + rows, file: "sale.csv")
        let (catalog, report) = WooCommerceImport.apply(table, file: "sale.csv", to: Catalog(), today: "2026-12-01")
        let products = Dictionary(uniqueKeysWithValues: catalog.products.map { ($0.sku, $0) })
        #expect(products.mapValues(\.price.amount) == ["ON": 900, "OVER": 900, "LATER": 900, "OPEN": 900, "ONLY": 500])
        let five = Money(amount: 500, currency: .usd)
        #expect(products["ON"]?.sale == Sale(price: five, starts: "2026-11-01", ends: "2026-12-31"), "WooCommerce's 23:59:59 end is the day")
        #expect(products["OVER"]?.sale == nil, "ended before the import")
        #expect(products["LATER"]?.sale == Sale(price: five, starts: "2027-01-01", ends: "2027-01-02 18:30"))
        #expect(products["OPEN"]?.sale == Sale(price: five))
        #expect(products["ONLY"]?.sale == nil, "without a regular price the sale price is the price")
        #expect(report.notes.contains { $0.contains("1 rows had a sale that ended before today") })
        #expect(report.notes.contains { $0.contains("3 rows have a sale price: imported as scheduled sales") })
    }

    @Test func aManagedStockBecomesTheStockLimit() throws {
        let csv = "ID,Type,SKU,Name,Regular price,Stock\n1,simple,FIVE,Five,9.00,5\n2,simple,FREE,Free,9.00,\n3,simple,OVER,Over,9.00,-2\n"
        let (catalog, _) = WooCommerceImport.apply(try CSVTable(text: csv, file: "stock.csv"), file: "stock.csv", to: Catalog(), today: "2026-12-01")
        let stock = Dictionary(uniqueKeysWithValues: catalog.products.map { ($0.sku, $0.stock ?? -1) })
        #expect(stock == ["FIVE": 5, "FREE": -1, "OVER": 0], "empty: not managed, no limit (-1 here); oversold: none left")
    }

    @Test func everyColumnTheExporterWritesIsUsedOrReportedWithItsReason() throws {
        let table = try CSVTable(path: Self.cases + "woo-description-newlines/products.csv")
        for column in table.header {
            #expect(WooCommerceColumns.use(of: column) != nil, "\(column) has a known use")
        }
        for column in ["GTIN, UPC, EAN, or ISBN", "Low stock amount", "Brands", "Download 3 ID", "Attribute 4 default", "Weight (kg)", "Meta: _x"] {
            #expect(WooCommerceColumns.use(of: column) != nil, "\(column) has a known use")
        }
        let site = try ExampleSite()
        try site.write("x.csv", "ID,Type,SKU,Name,Regular price,Purchase note,Mystery\n1,simple,X-1,X,1.00,Thanks for buying,42\n")
        let report = try CatalogCommands(siteFolder: site.folder).importCSV(site.folder + "/x.csv", format: .woocommerce)
        #expect(report.description.contains("Purchase note: write it in the product's Markdown"))
        #expect(report.description.contains("Mystery: not a column WooCommerce's exporter writes"))
    }

    @Test func outOfStockAndHiddenProductsComeInAsDrafts() throws {
        let csv = "ID,Type,SKU,Name,Published,Visibility in catalog,In stock?,Regular price\n1,simple,A,A,1,hidden,1,1.00\n2,simple,B,B,1,visible,0,1.00\n3,simple,C,C,1,visible,1,1.00\n"
        let (catalog, report) = WooCommerceImport.apply(try CSVTable(text: csv, file: "x.csv"), file: "x.csv", to: Catalog(), today: "2026-12-01")
        let statuses = Dictionary(uniqueKeysWithValues: catalog.products.map { ($0.sku, $0.status) })
        #expect(statuses == ["A": .draft, "B": .draft, "C": .active])
        #expect(report.notes.contains { $0.contains("A is hidden from the catalog") })
        #expect(report.notes.contains { $0.contains("B is out of stock") })
    }

    @Test func remoteFilesBuildAndAMalformedFileURLIsNamed() throws {
        let site = try ExampleSite()
        try site.edit("catalog.txt", replacing: "files: products/homeschool-digital-planner.pdf", with: "files: https://cdn.example/files/planner.pdf")
        try site.build()
        try site.edit("catalog.txt", replacing: "files: https://cdn.example/files/planner.pdf", with: "files: https://cdn.example/files/my planner.pdf")
        let error = try #require(site.buildError())
        #expect(error.description.contains("'https://cdn.example/files/my planner.pdf' has spaces"), "\(error)")
        #expect(error.description.contains("catalog.txt:"), "located in the catalog: \(error)")
    }

    @Test func reimportingKeepsEveryURL() throws {
        let site = try ExampleSite.empty()
        let commands = try CatalogCommands(siteFolder: site.folder)
        let fixture = "/work/shared/fixtures/woocommerce-sample-products.csv"
        func urls() throws -> [String] {
            let catalog = try CatalogStore(path: site.folder + "/catalog.sqlite").load()
            return catalog.products.map { "\($0.sku) \($0.slug)" } + catalog.bundles.map { "\($0.sku) \($0.slug)" }
        }
        _ = try commands.importCSV(fixture, format: .woocommerce)
        let first = try urls()
        _ = try commands.importCSV(fixture, format: .woocommerce)
        #expect(try urls() == first, "same file, same URLs: no slug gets a -2")
        #expect(first.count == 17)
    }

    /// What a loosely written export holds is imported in a state that builds, each fix noted by SKU.
    @Test func aLooseExportImportsInAStateThatBuilds() throws {
        let site = try ExampleSite()
        let long = String(repeating: "Very Long Name ", count: 20)
        let csv = """
            ID,Type,SKU,Name,Published,Regular price,Sale price,Categories,Images,Grouped products,Parent,Download 1 URL,Download 2 URL
            1,simple,'=CMD,Formula SKU,1,5.00,,Misc,javascript:alert(1),,,"https://cdn.example/my file, v2.pdf",/etc/passwd
            2,simple,NEG,Negative,1,-5.00,,Misc,,,,,
            3,simple,COMMA,Comma price,1,"4,99",,Misc,,,,,
            4,simple,SALE-UP,Sale above regular,1,5.00,9.00,Misc,https://old.example/a b.png,,,,
            5,simple,LONG,\(long),0,3.00,,Misc,,,,,
            6,grouped,GRP,Group,1,,,Misc,,"CMD, NOPE",,,
            7,variation,ORPHAN,Orphan,1,2.00,,,,,NO-PARENT,,

            """
        try site.write("loose.csv", csv)
        let report = try CatalogCommands(siteFolder: site.folder).importCSV(site.folder + "/loose.csv", format: .woocommerce)
        let catalog = try CatalogText.parse(try site.source("catalog.txt"), file: "catalog.txt").0
        let products = Dictionary(uniqueKeysWithValues: catalog.products.map { ($0.sku, $0) })
        let formula = try #require(products["=CMD"], "the exporter's formula guard is dropped from the SKU too")
        #expect(formula.files == ["https://cdn.example/my%20file%2C%20v2.pdf"], "spaces and the comma encoded; /etc/passwd left out")
        #expect(formula.image == "", "a javascript: image is left out")
        #expect(report.notes.contains { $0.contains("=CMD: Download 2 URL '/etc/passwd' is not an http(s) URL") })
        #expect(report.notes.contains { $0.contains("=CMD: image 'javascript:alert(1)'") })
        #expect(report.skipped.contains { $0.row == 3 && $0.reason == "Regular price '-5.00' is negative" })
        #expect(report.skipped.contains { $0.row == 4 && $0.reason == "Regular price '4,99' is not a price like 4.99" })
        #expect(products["SALE-UP"]?.price.amount == 500, "a sale price above the regular price is no sale")
        #expect(products["SALE-UP"]?.image == "https://old.example/a%20b.png")
        let longSlug = try #require(products["LONG"]?.slug)
        #expect(longSlug.count <= 80 && longSlug.hasPrefix("very-long-name-very") && !longSlug.hasSuffix("-"))
        #expect(report.notes.contains { $0.contains("LONG is not published in WooCommerce (Published 0)") })
        #expect(report.skipped.contains { $0.row == 7 && $0.reason.contains("fewer than two products") }, "GRP keeps only =CMD")
        #expect(report.notes.contains { $0.contains("bundle GRP leaves out CMD, NOPE") })
        #expect(report.skipped.contains { $0.row == 8 && $0.identifier == "ORPHAN" })
        try site.build()
    }

    @Test func htmlEntitiesDecodeNamedAndNumericReferencesOnce() {
        #expect(HTMLEntities.decode("&amp;amp; &eacute; &#233; &#xE9; &hellip; &bogus; &#0; & alone") == "&amp; é é é … &bogus; &#0; & alone")
    }
}
