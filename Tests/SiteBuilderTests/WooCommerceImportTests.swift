import Foundation
import ShopCore
import SiteBuilder
import Testing

@Suite struct WooCommerceImportTests {
    static let fixtures = ["woocommerce-sample-products.csv", "woocommerce-sample-products-bom-crlf.csv"]

    @Test(arguments: fixtures)
    func importsWooCommercesSampleExportAndBuildsEveryProduct(fixture: String) throws {
        let site = try ExampleSite.empty()
        let commands = try CatalogCommands(siteFolder: site.folder)
        let report = try commands.importCSV("/work/shared/fixtures/" + fixture, format: .woocommerce)
        #expect(report.products == 16, "12 simple + 2 variable + 2 downloadable")
        #expect(report.variants == 7)
        #expect(report.bundles == 1, "the grouped product")
        #expect(report.skipped.count == 1)
        #expect(report.skipped.first?.identifier.contains("WordPress Pennant") == true)
        #expect(report.skipped.first?.reason.contains("external product") == true)
        #expect(report.description.contains("skipped 1 row"))
        #expect(report.notes.contains { $0.contains("active products have no downloadable files") && $0.contains("woo-hoodie-with-logo") })

        let summary = try site.build()
        let catalog = try CatalogStore(path: site.folder + "/catalog.sqlite").load()
        #expect(catalog.products.count == 16)
        for product in catalog.products where product.status == .active {
            let html = site.read("products/\(product.slug)/index.html")
            #expect(html.contains(product.title.replacingOccurrences(of: "'", with: "&#39;")), "no page for \(product.sku)")
            #expect(jsonLD("Product", in: html)?["sku"] as? String == product.sku)
        }
        #expect(summary.pages > 16)
        let hoodie = try #require(catalog.products.first { $0.sku == "woo-hoodie" })
        #expect(catalog.variants.filter { $0.product == "woo-hoodie" }.count == 4)
        #expect(hoodie.price.amount == 4500, "the lowest variation's regular price")
        let index = CatalogIndex(catalog)
        let now = ShopTime(instant: Int(Date().timeIntervalSince1970))
        let prices = index.variants(of: hoodie).map { index.unitPrice(of: hoodie, variant: $0, at: now).unit.amount }
        #expect(prices.min() == 4200, "a variation's sale price, imported as its sale: \(prices)")
        let album = try #require(catalog.products.first { $0.sku == "woo-album" })
        #expect(album.files.count == 2)
        let bundle = try #require(catalog.bundles.first { $0.sku == "logo-collection" })
        #expect(bundle.rule.skus == ["woo-hoodie-with-logo", "woo-tshirt", "woo-beanie"])
        #expect(site.exists("bundles/\(bundle.slug)/index.html"))
    }

    @Test func importingTwiceReplacesRatherThanDuplicates() throws {
        let site = try ExampleSite.empty()
        let commands = try CatalogCommands(siteFolder: site.folder)
        _ = try commands.importCSV("/work/shared/fixtures/woocommerce-sample-products.csv", format: .woocommerce)
        _ = try commands.importCSV("/work/shared/fixtures/woocommerce-sample-products.csv", format: .woocommerce)
        let catalog = try CatalogStore(path: site.folder + "/catalog.sqlite").load()
        #expect(catalog.products.count == 16)
        #expect(catalog.variants.count == 7)
    }

    @Test func aFileThatIsNotAWooCommerceExportIsRefusedByName() throws {
        let site = try ExampleSite.empty()
        try site.write("products.csv", "sku,title\nA,B\n")
        #expect {
            try CatalogCommands(siteFolder: site.folder).importCSV(site.folder + "/products.csv", format: .woocommerce)
        } throws: { error in
            let text = String(describing: error)
            return text.contains("products.csv") && text.contains("column 'ID' is missing")
        }
    }

    @Test func theProjectsOwnCSVFormatImportsProductsAndVariants() throws {
        let site = try ExampleSite()
        try site.write("new.csv", "sku,title,niche,price,tags,product,variant\nKB-NEW,New Coloring Book,kids-bible,3.50,coloring|new,,\nKB-NEW-A4,,,,,KB-NEW,A4\nBAD-1,Bad,nowhere,1.00,,,\n")
        let report = try CatalogCommands(siteFolder: site.folder).importCSV(site.folder + "/new.csv", format: .csv)
        #expect(report.products == 1)
        #expect(report.variants == 1)
        #expect(report.skipped.first?.row == 4)
        #expect(report.skipped.first?.reason.contains("niche 'nowhere'") == true)
        #expect(try site.source("catalog.txt").contains("product KB-NEW\n"), "the text catalog is rewritten")
        try site.build()
        #expect(site.exists("products/new-coloring-book/index.html"))
    }
}
