import CheckoutKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The console and admin API in a multi-shop deployment: each shop has its own keys, staff, orders
/// and audit log, reached on its own host; one shop's key or staff is a stranger to the other.
@Suite struct AdminShopsTests {
    @Test func aKeyAndStaffOfOneShopAreStrangersToTheOther() async throws {
        let shops = try TestShops()
        let alpha = try await StaffCredentials(shops.configuration.storageLocation, shop: "alpha", clock: shops.time.clock)
        let key = try await alpha.createKey(name: "alpha reports", role: .owner).secret
        try await alpha.addStaff(email: "staff@alpha.example", role: .support)
        await alpha.close()
        try await shops.run { clients, _, control in
            let bearer: HTTPFields = [.authorization: "Bearer \(key)"]
            let order = try await clients["alpha"]!.buy([("HS-DIGITAL-PLANNER", 1)], email: "both@example.com")
            _ = try await clients["beta"]!.buy([("KB-NOAH-COLORING-A4", 1)], email: "both@example.com")
            let mine = try await clients["alpha"]!.json(.get, "/api/admin/orders", headers: bearer)
            #expect(mine.status == .ok && (mine["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [order.id], "only alpha's order")
            let elsewhere = try await clients["beta"]!.json(.get, "/api/admin/orders", headers: bearer)
            #expect(elsewhere.status == .unauthorized, "alpha's key at beta")
            let betaOwner: HTTPFields = [.authorization: "Bearer \(TestShops.adminToken("beta"))"]
            let betaAudit = try await clients["beta"]!.json(.get, "/api/admin/audit", headers: betaOwner)
            #expect((betaAudit["data"] as? [[String: Any]])?.isEmpty == true, "alpha's key and staff are in alpha's audit log only")

            let asked = try await clients["beta"]!.execute(
                uri: "/admin/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "email=staff%40alpha.example"))
            #expect(asked.status == .seeOther)
            await (try #require(try await control.shop("beta"))).sendPendingMail()
            #expect(!shops.emails("beta").contains { $0.subject.contains("console") }, "beta sends alpha's staff no link")
            _ = try await clients["alpha"]!.execute(
                uri: "/admin/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "email=staff%40alpha.example"))
            await (try #require(try await control.shop("alpha"))).sendPendingMail()
            #expect(shops.emails("alpha").contains { $0.to == "staff@alpha.example" && $0.subject.contains("console") })
        }
    }

    @Test func anErasureInOneShopLeavesThePersonInTheOther() async throws {
        let shops = try TestShops()
        try await shops.run { clients, _, _ in
            let alpha: HTTPFields = [.authorization: "Bearer \(TestShops.adminToken("alpha"))"]
            let beta: HTTPFields = [.authorization: "Bearer \(TestShops.adminToken("beta"))"]
            _ = try await clients["alpha"]!.buy([("HS-DIGITAL-PLANNER", 1)], email: "both@example.com")
            let kept = try await clients["beta"]!.buy([("KB-NOAH-COLORING-A4", 1)], email: "both@example.com")
            let erased = try await clients["alpha"]!.json(.post, "/api/admin/customers/both%40example.com/erase", [:], headers: alpha)
            #expect(erased.status == .ok && (erased["orders"] as? [String])?.count == 1, "\(erased.text)")
            #expect(try await clients["alpha"]!.json(.get, "/api/admin/customers/both%40example.com", headers: alpha).status == .notFound)
            let there = try await clients["beta"]!.json(.get, "/api/admin/customers/both%40example.com", headers: beta)
            #expect(there.status == .ok && there.text.contains(kept.id), "beta's customer is untouched: \(there.text)")
            let order = try await clients["beta"]!.json(.get, "/api/orders/\(kept.id)?token=\(kept.token)")
            #expect(order.status == .ok && order["status"] as? String == "paid")
        }
    }
}
