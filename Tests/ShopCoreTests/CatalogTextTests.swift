import ShopCore
import Testing

@Suite struct CatalogTextTests {
    @Test func exampleCatalogRoundTripsByteForByte() throws {
        let text = try exampleCatalogText()
        let (catalog, _) = try CatalogText.parse(text, file: "catalog.txt")
        let dumped = CatalogText.dump(catalog)
        let (again, _) = try CatalogText.parse(dumped, file: "dump")
        #expect(again == catalog)
        #expect(CatalogText.dump(again) == dumped)
        #expect(catalog.products.count >= 36)
        #expect(catalog.niches.count == 6)
        #expect(catalog.bundles.count == 10)
        #expect(catalog.plans.count == 5)
        #expect(catalog.leadMagnets.count == 4)
    }

    @Test func multiLineValuesSurviveTheRoundTrip() throws {
        var catalog = smallCatalog()
        catalog.products[0].description = "First paragraph.\n\n## Heading\n- item"
        let (parsed, _) = try CatalogText.parse(CatalogText.dump(catalog), file: "x")
        #expect(parsed.products.first { $0.sku == "K-1" }?.description == "First paragraph.\n\n## Heading\n- item")
    }

    @Test func theSourceMapLocatesRecords() throws {
        let text = "shop\n  currency: USD\n\nniche kids\n  title: Kids\n"
        let (_, map) = try CatalogText.parse(text, file: "c.txt")
        #expect(map.line(of: "niche", "kids") == 4)
    }

    @Test(arguments: [
        ("niche kids\n  title: Kids\n  colour: red\n", 3, "unknown field 'colour'"),
        ("niche kids\n  position: 1\n", 1, "field 'title': is missing"),
        ("niche kids\n  title: Kids\n\nproduct P-1\n  slug: p\n  title: P\n  niche: kids\n  price: 4.999 USD\n", 8, "'4.999' is not a valid USD amount"),
        ("product P-1\n  slug: p\n  title: P\n  niche: kids\n  price: 4.99 EUR\n", 5, "price is in EUR but the shop sells in USD"),
        ("product P-1\n  slug: p\n  title: P\n  niche: kids\n  price: 4.99 XYZ\n", 5, "'XYZ' is not an ISO 4217 currency code"),
        ("product P-1\n  slug: p\n  title: P\n  niche: kids\n  price: -1.00 USD\n", 5, "is negative"),
        ("shop\n  currency: DOLLARS\n", 2, "'DOLLARS' is not an ISO 4217 currency code"),
        ("widget W-1\n  title: W\n", 1, "unknown record kind 'widget'"),
        ("niche kids extra\n  title: Kids\n", 1, "expected a record header"),
        ("  title: orphan\n", 1, "indented line before any record header"),
        ("bundle b\n  sku: B\n  title: B\n  discount: 130%\n", 4, "is not a percentage from 0 to 100"),
        ("product P-1\n  slug: p\n  title: P\n  niche: kids\n  price: 1.00 USD\n  released: 2025-13-01\n", 6, "is not a date"),
        ("niche kids\n  title: Kids\n\nniche home\n  title: Home\n\nniche kids\n  title: Again\n", 7, "niche kids: defined twice; the first is on line 1"),
        ("coupon save10\n  percent-off: 10%\n\ncoupon SAVE10\n  percent-off: 20%\n", 4, "coupon SAVE10: defined twice; the first is on line 1"),
        ("plan pro\n  sku: P\n  title: P\n  price: 5.00 USD\n  grants: all\n\nplan pro\n  sku: Q\n  title: Q\n  price: 9.00 USD\n  grants: all\n", 7,
         "plan pro: defined twice; the first is on line 1"),
    ])
    func errorsNameTheFileLineAndField(text: String, line: Int, message: String) {
        #expect {
            try CatalogText.parse(text, file: "catalog.txt")
        } throws: { error in
            guard let error = error as? CatalogTextError else { return false }
            return error.file == "catalog.txt" && error.line == line && error.message.contains(message)
        }
    }

    /// Records are parsed on every core: the problem thrown is still the first in the text.
    @Test func theFirstBadRecordInTheTextIsTheOneReported() {
        var text = "shop\n  currency: USD\n\nniche kids\n  title: Kids\n"
        for number in 1...2_000 {
            let price = number == 700 || number == 1_900 ? "4.999 USD" : "4.99 USD"
            text += "\nproduct P-\(number)\n  slug: p-\(number)\n  title: P\n  niche: kids\n  price: \(price)\n"
        }
        #expect(throws: CatalogTextError.self) { try CatalogText.parse(text, file: "big.txt") }
        do {
            _ = try CatalogText.parse(text, file: "big.txt")
        } catch {
            #expect(error.file == "big.txt")
            #expect(error.message.contains("product P-700"))
            #expect(error.line == 6 + 6 * 699 + 5)
        }
    }

    /// `Product` keeps its fields in a shared box: a change to a copy must not show in the original.
    @Test func aChangedCopyOfAProductLeavesTheOriginalAsItWas() throws {
        let original = try #require(smallCatalog().products.first)
        var copy = original
        #expect(copy == original)
        copy.title = "Changed"
        copy.tags.append("new")
        #expect(original.title != "Changed")
        #expect(!original.tags.contains("new"))
        #expect(copy.title == "Changed" && copy.tags.last == "new")
        #expect(copy != original)
        var back = copy
        back.title = original.title
        back.tags = original.tags
        #expect(back == original)
        #expect(back.hashValue == original.hashValue)
        #expect(Set([original, back]).count == 1)
    }
}
