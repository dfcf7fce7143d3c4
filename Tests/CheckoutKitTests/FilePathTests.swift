@testable import CheckoutKit
import Crypto
import Foundation
import ShopCore
import Testing

/// A download never leaves the files folder, whatever a link or the catalog says.
@Suite struct FilePathTests {
    let folder: String
    let delivery: Delivery

    init() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("files-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/files/products", withIntermediateDirectories: true)
        try "secret".write(toFile: root + "/outside.txt", atomically: true, encoding: .utf8)
        try "%PDF".write(toFile: root + "/files/products/a.pdf", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: root + "/files/escape.pdf", withDestinationPath: root + "/outside.txt")
        folder = root + "/files"
        let catalog: @Sendable () -> CatalogIndex = { exampleCatalog }
        delivery = Delivery(
            ledger: EntitlementLedger(catalog: catalog, grace: 0),
            links: DownloadLinks(secret: SymmetricKey(size: .bits256), publicURL: { "" }, lifetime: 60, catalog: catalog),
            limit: 5, filesFolder: folder)
    }

    @Test func aFileInsideTheFolderResolves() {
        #expect(delivery.filePath("products/a.pdf") == folder + "/products/a.pdf")
    }

    @Test(arguments: ["../outside.txt", "products/../../outside.txt", "/etc/passwd", "", "products//a.pdf", "./products/a.pdf", "products\\..\\a.pdf"])
    func escapesAreRefused(file: String) {
        #expect(delivery.filePath(file) == nil)
    }

    @Test func aSymlinkPointingOutsideIsRefused() {
        #expect(delivery.filePath("escape.pdf") == nil)
    }

    @Test func signedLinksRoundTripAndRefuseTampering() throws {
        let key = SymmetricKey(size: .bits256)
        let link = DownloadLink(email: "a@example.com", entitlement: Entitlement(item: "product:X", cause: "order:o:l"), file: "x.pdf", expires: 100)
        let token = link.token(secret: key)
        #expect(try DownloadLink.verify(token, secret: key, now: 100) == link)
        #expect(throws: DownloadLink.Problem.expired) { try DownloadLink.verify(token, secret: key, now: 101) }
        #expect(throws: DownloadLink.Problem.badSignature) { try DownloadLink.verify(token, secret: SymmetricKey(size: .bits256), now: 0) }
        #expect(throws: DownloadLink.Problem.malformed) { try DownloadLink.verify("abc", secret: key, now: 0) }
    }
}
