import Foundation
import ShopCore
import Testing

@Suite struct CatalogStoreTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString)").path

    @Test func storesAndReadsBackTheWholeCatalog() throws {
        let (catalog, _) = try CatalogText.parse(try exampleCatalogText(), file: "catalog.txt")
        let store = try CatalogStore(path: folder + "/catalog.sqlite")
        try store.replace(with: catalog, textDigest: "abc")
        let reopened = try CatalogStore(path: folder + "/catalog.sqlite")
        #expect(try reopened.load() == catalog)
        #expect(try reopened.textDigest() == "abc")
    }

    @Test func theSourceReloadsTheDatabaseOnlyWhenTheTextChanges() throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let textPath = folder + "/catalog.txt"
        try CatalogText.dump(smallCatalog()).write(toFile: textPath, atomically: true, encoding: .utf8)
        let source = CatalogSource(textPath: textPath, databasePath: folder + "/catalog.sqlite")
        #expect(try source.load().catalog == smallCatalog().sorted())
        var changed = smallCatalog()
        changed.products[0].title = "Renamed"
        try CatalogText.dump(changed).write(toFile: textPath, atomically: true, encoding: .utf8)
        _ = try source.load()
        let stored = try CatalogStore(path: folder + "/catalog.sqlite").load()
        #expect(stored.products.first { $0.sku == "K-1" }?.title == "Renamed")
    }

    @Test func aFileThatIsNotADatabaseIsNamedInTheError() throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/broken.sqlite"
        try "this is not sqlite, just text that is long enough to be read as a header".write(toFile: path, atomically: true, encoding: .utf8)
        #expect {
            try CatalogStore(path: path).load()
        } throws: { error in
            (error as? CatalogStoreError)?.path == path
        }
    }
}
