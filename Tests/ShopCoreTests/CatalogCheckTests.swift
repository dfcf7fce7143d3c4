import ShopCore
import Testing

@Suite struct CatalogCheckTests {
    func issues(_ catalog: Catalog, files: Set<String>? = nil) -> [CatalogIssue] {
        var check = CatalogCheck(catalog: catalog, source: nil, fallbackLocation: "db", availableFiles: files)
        return check.run()
    }

    @Test func theExampleCatalogIsClean() throws {
        let (catalog, map) = try CatalogText.parse(try exampleCatalogText(), file: "catalog.txt")
        var check = CatalogCheck(catalog: catalog, source: map)
        #expect(check.run().isEmpty)
    }

    @Test func smallCatalogIsClean() {
        #expect(issues(smallCatalog()).isEmpty)
    }

    @Test func unknownNicheIsReportedWithTheRecordAndField() {
        var catalog = smallCatalog()
        catalog.products[2].niche = "kidz"
        let found = issues(catalog)
        #expect(found.count == 1)
        #expect(found.first?.record == "product K-3")
        #expect(found.first?.field == "niche")
        #expect(found.first?.message.contains("'kidz' is not a niche") == true)
    }

    @Test func skusAreUniqueAcrossProductsVariantsBundlesAndPlans() {
        var catalog = smallCatalog()
        catalog.bundles[0].sku = "K-2"
        #expect(issues(catalog).contains { $0.record == "bundle coloring" && $0.message.contains("also used by product K-2") })
    }

    @Test func aBundleMustMatchAtLeastTwoProducts() {
        var catalog = smallCatalog()
        catalog.bundles[0].rule = BundleRule(niches: ["kids"], tags: ["puzzle"])
        #expect(issues(catalog).contains { $0.record == "bundle coloring" && $0.message.contains("matches 1 active product") })
    }

    @Test func aPlanMustGrantSomething() {
        var catalog = smallCatalog()
        catalog.plans[0].niches = []
        #expect(issues(catalog).contains { $0.record == "plan kids-club" && $0.field == "grants" })
    }

    @Test func missingFilesAndPathEscapesAreReported() {
        var catalog = smallCatalog()
        catalog.products[0].files = ["../secret.pdf", "missing.pdf"]
        let found = issues(catalog, files: ["free/cards.pdf"])
        #expect(found.contains { $0.message.contains("'../secret.pdf' leaves the files folder") })
        #expect(found.contains { $0.message.contains("'missing.pdf' is not in the files folder") })
    }

    @Test func couponsTakeExactlyOneKindOfDiscount() {
        var catalog = smallCatalog()
        catalog.coupons[0].amountOff = Money(amount: 100, currency: .usd)
        #expect(issues(catalog).contains { $0.record == "coupon TEN" })
    }

    @Test func textCatalogIssuesNameTheLine() throws {
        let text = "niche kids\n  title: Kids\n\nproduct P-1\n  slug: p\n  title: P\n  niche: toys\n  price: 1.00 USD\n"
        let (catalog, map) = try CatalogText.parse(text, file: "catalog.txt")
        var check = CatalogCheck(catalog: catalog, source: map)
        let found = check.run()
        #expect(found.first?.location == "catalog.txt:4")
    }

    /// A coupon's code is upper-cased as it is read; its issues still name the line it was written on in lower case.
    @Test func aCouponWrittenInLowerCaseIsLocated() throws {
        let text = "niche kids\n  title: Kids\n\ncoupon save10\n  percent-off: 10%\n  amount-off: 1.00 USD\n"
        let (catalog, map) = try CatalogText.parse(text, file: "catalog.txt")
        var check = CatalogCheck(catalog: catalog, source: map)
        let found = check.run()
        #expect(found.map(\.location) == ["catalog.txt:4"])
        #expect(found.first?.record == "coupon SAVE10")
    }
}
