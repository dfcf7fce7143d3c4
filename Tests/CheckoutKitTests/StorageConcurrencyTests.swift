import Foundation
import GRDB
import Logging
import Testing

@testable import CheckoutKit

@Suite struct StorageConcurrencyTests {
    /// Twenty first starts at once make one download-link key, and each gets it.
    @Test func firstStartsRacingForTheSecretAllGetTheOneStored() async throws {
        let checkout = try TestCheckout()
        let storage = try await checkout.configuration.storageLocation.open(logger: Logger(label: "test"))
        let secrets = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 { group.addTask { try await SecretStore.secret(named: "download-link-key", in: storage) } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(secrets.count == 1)
        #expect(try await SecretStore.secret(named: "download-link-key", in: storage) == secrets.first)
        await storage.close()
    }

    /// Nothing the shop holds points back at it (the test provider's events reach the intake through
    /// the processor, not the shop), so a finished shop frees its database connections.
    @Test func aShopIsFreedWhenNothingUsesItAnyMore() async throws {
        let checkout = try TestCheckout()
        weak var released: Shop?
        do {
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let shop = try await CheckoutApp.makeShop(checkout.configuration, logger: logger)
            released = shop
            #expect(shop.provider.testEvents != nil)
        }
        #expect(released == nil)
    }

    @Test func concurrentWritesCommitTogetherAndAFailingOneRollsBackAlone() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("group-commit-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let database = try CheckoutDatabase(path: folder + "/checkout.sqlite")
        try await database.writeSQL { db in try db.execute(sql: "CREATE TABLE marks (n INTEGER PRIMARY KEY)") }
        struct Refused: Error {}
        let outcomes = await withTaskGroup(of: (Int, Bool).self) { group in
            for n in 0..<200 {
                group.addTask {
                    do {
                        try await database.writeSQL { db in
                            try db.execute(sql: "INSERT INTO marks (n) VALUES (?)", arguments: [n])
                            if n % 10 == 3 { throw Refused() }
                        }
                        return (n, true)
                    } catch {
                        return (n, false)
                    }
                }
            }
            return await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
        }
        let stored = Set(try await database.read { tx in try tx.sql.values("SELECT n FROM marks") as [Int] })
        #expect(stored == Set((0..<200).filter { $0 % 10 != 3 }))
        #expect(outcomes.filter { $0.value }.keys.sorted() == stored.sorted())
    }

    @Test func aLateStoreNeverReplacesANewerCart() {
        let cache = CartCache(generationSize: 4)
        let older = cache.nextVersion(), newer = cache.nextVersion()
        cache.store(StoredCart(id: "cart_a", coupon: "NEW", lines: []), version: newer)
        cache.store(StoredCart(id: "cart_a", coupon: "OLD", lines: []), version: older)
        #expect(cache.cart("cart_a")?.coupon == "NEW")
    }

    @Test func cartsDroppedWithAGenerationAreReadFromTheDatabaseAgain() {
        let cache = CartCache(generationSize: 2)
        let stale = cache.nextVersion()
        for index in 0..<6 {
            cache.store(StoredCart(id: "cart_\(index)", coupon: nil, lines: []), version: cache.nextVersion())
        }
        #expect(cache.cart("cart_0") == nil)
        #expect(cache.cart("cart_5") != nil)
        // A write older than what was dropped cannot be trusted to be the newest, so it is not kept.
        cache.store(StoredCart(id: "cart_0", coupon: "STALE", lines: []), version: stale)
        #expect(cache.cart("cart_0") == nil)
    }
}
