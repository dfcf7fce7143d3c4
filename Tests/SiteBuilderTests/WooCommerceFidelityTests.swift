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
        ("a < b && c", "a \\< b && c"),
        ("<a href=\"/old-shop/page\">old page</a> <a href=\"mailto:me@example.com\">mail</a>", "old page [mail](mailto:me@example.com)"),
    ])
    func wordPressHTMLBecomesMarkdown(html: String, markdown: String) {
        #expect(HTMLToMarkdown.convert(html) == markdown)
    }

    @Test func descriptionMarkdownRendersBackToTheSameText() {
        let html = "<p>Price: 5 * 3 = 15 &amp; [more] _under_</p>"
        let markdown = HTMLToMarkdown.convert(html)
        let rendered = MarkdownRenderer(allowRawHTML: false).render(markdown).html
        #expect(rendered.contains("Price: 5 * 3 = 15 &amp; [more] _under_"), "escapes keep the author's characters: \(rendered)")
    }

    @Test func aSaleIsThePriceOnlyWhileItsDatesIncludeTheImportDay() throws {
        let header = "ID,Type,SKU,Name,Sale price,Regular price,Date sale price starts,Date sale price ends\n"
        let rows = """
            1,simple,ON,On,5.00,9.00,2026-11-01,2026-12-31
            2,simple,OVER,Over,5.00,9.00,2026-01-01,2026-02-01
            3,simple,LATER,Later,5.00,9.00,2027-01-01 00:00:00,
            4,simple,OPEN,Open,5.00,9.00,,

            """
        let table = try CSVTable(text: header + rows, file: "sale.csv")
        let (catalog, report) = WooCommerceImport.apply(table, file: "sale.csv", to: Catalog(), today: "2026-12-01")
        let prices = Dictionary(uniqueKeysWithValues: catalog.products.map { ($0.sku, $0.price.amount) })
        #expect(prices == ["ON": 500, "OVER": 900, "LATER": 900, "OPEN": 500])
        #expect(report.notes.contains { $0.contains("2 rows had a sale price outside its dates") })
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

    @Test func htmlEntitiesDecodeNamedAndNumericReferencesOnce() {
        #expect(HTMLEntities.decode("&amp;amp; &eacute; &#233; &#xE9; &hellip; &bogus; &#0; & alone") == "&amp; é é é … &bogus; &#0; & alone")
    }
}
