import CheckoutKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The admin API's keys and roles over HTTP, on both backends: every action as every role. An
/// allowed action answers as it should; a forbidden one answers 403 naming the role and the action,
/// and writes nothing (the order, the customer's entitlements, the endpoints and the audit log are
/// the same after it).
@Suite struct AdminRoleTests {
    struct Keys {
        let owner: HTTPFields
        let support: HTTPFields
        let analyst: HTTPFields
    }

    static func bearer(_ secret: String) -> HTTPFields { [.authorization: "Bearer \(secret)"] }

    static func keys(_ checkout: TestCheckout) async throws -> Keys {
        let credentials = try await StaffCredentials(checkout.configuration.storageLocation, clock: checkout.time.clock)
        let owner = try await credentials.createKey(name: "owner laptop", role: .owner).secret
        let support = try await credentials.createKey(name: "helpdesk", role: .support).secret
        let analyst = try await credentials.createKey(name: "reports", role: .analyst).secret
        await credentials.close()
        return Keys(owner: bearer(owner), support: bearer(support), analyst: bearer(analyst))
    }

    /// What must not change when a forbidden request is refused.
    func snapshot(_ client: any TestClientProtocol, _ keys: Keys, order: String) async throws -> [String] {
        [
            try await client.json(.get, "/api/admin/orders/\(order)", headers: keys.owner).text,
            try await client.json(.get, "/api/admin/customers/roles%40example.com", headers: keys.owner).text,
            try await client.json(.get, "/api/admin/webhooks", headers: keys.owner).text,
            try await client.json(.get, "/api/admin/audit?limit=200", headers: keys.owner).text,
        ]
    }

    @Test func everyRoleCanDoWhatItMayAndNothingElse() async throws {
        let checkout = try TestCheckout()
        let keys = try await Self.keys(checkout)
        let endpoints = try await checkout.endpoints()
        let endpoint = try await endpoints.add(url: "http://127.0.0.1:9/hooks", events: ["order.paid"])
        await endpoints.close()
        try await checkout.run { client, control in
            let order = try await client.buy([("HS-DIGITAL-PLANNER", 1), ("KB-NOAH-COLORING-A4", 1)], email: "roles@example.com")
            _ = try await client.json(.post, "/api/leads", ["email": "lead@example.com", "magnet": "scripture-memory-cards"])
            let detail = try await client.json(.get, "/api/admin/orders/\(order.id)", headers: keys.owner)
            let lines = try #require(detail["lines"] as? [[String: Any]]).compactMap { $0["id"] as? String }
            let delivery = try #require(try await client.json(.get, "/api/admin/webhooks/\(endpoint.id)/deliveries", headers: keys.owner)["data"] as? [[String: Any]]).first?["id"] as? String ?? ""

            // (name, method, path, body, roles allowed)
            let actions: [(String, HTTPRequest.Method, String, [String: Any]?, Set<String>)] = [
                ("list orders", .get, "/api/admin/orders", nil, ["owner", "support", "analyst"]),
                ("show an order", .get, "/api/admin/orders/\(order.id)", nil, ["owner", "support", "analyst"]),
                ("list subscriptions", .get, "/api/admin/subscriptions", nil, ["owner", "support", "analyst"]),
                ("dashboard", .get, "/api/admin/dashboard", nil, ["owner", "support", "analyst"]),
                ("dashboard CSV", .get, "/api/admin/dashboard.csv?panel=revenue", nil, ["owner", "support", "analyst"]),
                ("list customers", .get, "/api/admin/customers", nil, ["owner", "support"]),
                ("show a customer", .get, "/api/admin/customers/roles@example.com", nil, ["owner", "support"]),
                ("list leads", .get, "/api/admin/leads", nil, ["owner", "support"]),
                ("export leads", .get, "/api/admin/leads.csv", nil, ["owner", "support"]),
                ("read the audit log", .get, "/api/admin/audit", nil, ["owner", "support"]),
                ("list endpoints", .get, "/api/admin/webhooks", nil, ["owner", "support"]),
                ("list deliveries", .get, "/api/admin/webhooks/\(endpoint.id)/deliveries", nil, ["owner", "support"]),
                ("list API keys", .get, "/api/admin/keys", nil, ["owner"]),
                ("resend a receipt", .post, "/api/admin/orders/\(order.id)/receipt", [:], ["owner", "support"]),
                ("grant an entitlement", .post, "/api/admin/customers/roles@example.com/entitlements",
                 ["sku": "HS-ANNUAL-PLANNER", "action": "grant", "reason": "goodwill"], ["owner", "support"]),
                ("redeliver", .post, "/api/admin/webhooks/\(endpoint.id)/deliveries/\(delivery)/redeliver", [:], ["owner"]),
                ("rotate a secret", .post, "/api/admin/webhooks/\(endpoint.id)/rotate", [:], ["owner"]),
                ("create an endpoint", .post, "/api/admin/webhooks", ["url": "https://ops.example/hooks", "events": ["order.paid"]], ["owner"]),
                ("refund a line", .post, "/api/admin/orders/\(order.id)/refunds", ["line_id": lines[0], "reason": "asked"], ["support"]),
                ("delete an endpoint", .delete, "/api/admin/webhooks/\(endpoint.id)", nil, ["owner"]),
            ]
            // Forbidden first, for every role, while every target exists.
            for (role, headers) in [("analyst", keys.analyst), ("support", keys.support), ("owner", keys.owner)] {
                for (name, method, path, body, allowed) in actions where !allowed.contains(role) && !(role == "owner" && name == "refund a line") {
                    let before = try await snapshot(client, keys, order: order.id)
                    let reply = try await client.json(method, path, body, headers: headers)
                    #expect(reply.status == .forbidden, "\(role): \(name): \(reply.status) \(reply.text)")
                    #expect(reply.errorCode == "forbidden")
                    #expect(reply.errorMessage?.contains("the \(role) role may not") == true, "\(reply.text)")
                    #expect(try await snapshot(client, keys, order: order.id) == before, "\(role): \(name) wrote something")
                }
            }
            // Then each allowed action, by the least role allowed to do it.
            for (name, method, path, body, allowed) in actions {
                let role = ["analyst", "support", "owner"].first { allowed.contains($0) } ?? "owner"
                let headers = role == "analyst" ? keys.analyst : role == "support" ? keys.support : keys.owner
                let reply = try await client.json(method, path, body, headers: headers)
                #expect((200..<300).contains(reply.status.code), "\(role): \(name): \(reply.status) \(reply.text)")
            }
            await control.sendPendingMail()
            #expect(checkout.emails().filter { $0.to == "roles@example.com" && $0.subject.contains("order") }.count == 2, "the receipt, and the one resent")
            let after = try await client.json(.get, "/api/admin/orders/\(order.id)", headers: keys.owner)
            #expect((after["lines"] as? [[String: Any]])?.first?["refunded"] as? Bool == true)
            let actions2 = try #require(try await client.json(.get, "/api/admin/audit?limit=100", headers: keys.owner)["data"] as? [[String: Any]])
            let written = Set(actions2.compactMap { $0["action"] as? String })
            #expect(written.isSuperset(of: [
                "order.refund", "order.resend_receipt", "entitlement.grant", "webhook_endpoint.create", "webhook_endpoint.rotate_secret",
                "webhook_endpoint.delete", "webhook_delivery.redeliver", "api_key.create",
            ]), "\(written.sorted())")
        }
    }

    @Test func anAnalystSeesNoAddressesAndNoCredentialIsRefusedWithItsReason() async throws {
        let checkout = try TestCheckout()
        let keys = try await Self.keys(checkout)
        try await checkout.run { client, _ in
            let order = try await client.buy([("HS-DIGITAL-PLANNER", 1)], email: "private.person@example.com")
            let list = try await client.json(.get, "/api/admin/orders", headers: keys.analyst)
            let first = try #require((list["data"] as? [[String: Any]])?.first)
            #expect(first["email"] as? String == "p•••@•••.com")
            let detail = try await client.json(.get, "/api/admin/orders/\(order.id)", headers: keys.analyst)
            #expect(detail["email"] as? String == "p•••@•••.com" && detail["timeline"] == nil && detail["deliveries"] == nil)
            #expect(!detail.text.contains("private.person"))

            let none = try await client.json(.get, "/api/admin/orders")
            #expect(none.status == .unauthorized && none.errorMessage?.contains("checkout admin keys create") == true)
            let wrong = try await client.json(.get, "/api/admin/orders", headers: Self.bearer("sk_admin_made-up"))
            #expect(wrong.status == .unauthorized)
        }
    }

    @Test func aRevokedKeyStopsAtOnceAndKeysRecordTheirLastUse() async throws {
        let checkout = try TestCheckout()
        let credentials = try await StaffCredentials(checkout.configuration.storageLocation, clock: checkout.time.clock)
        let (key, secret) = try await credentials.createKey(name: "temporary", role: .support)
        #expect(secret.hasPrefix("sk_admin_") && secret.count > 40)
        try await checkout.run { client, _ in
            #expect(try await client.json(.get, "/api/admin/orders", headers: Self.bearer(secret)).status == .ok)
            let listed = try #require(try await credentials.keys().first { $0.id == key.id })
            #expect(listed.lastUsedAt == Int(checkout.time.now.timeIntervalSince1970), "last use recorded")
            try await credentials.revokeKey(key.id)
            #expect(try await client.json(.get, "/api/admin/orders", headers: Self.bearer(secret)).status == .unauthorized)
        }
        let unknown = await #expect(throws: CheckoutError.self) { try await credentials.revokeKey("key_nope") }
        #expect(unknown?.message.contains("key_nope") == true)
        #expect(try await credentials.audit().map(\.action).prefix(2) == ["api_key.revoke", "api_key.create"])
        await credentials.close()
    }

    @Test func theAuditLogHasNoRouteThatChangesIt() async throws {
        let checkout = try TestCheckout()
        let keys = try await Self.keys(checkout)
        try await checkout.run { client, _ in
            let entries = try #require(try await client.json(.get, "/api/admin/audit", headers: keys.owner)["data"] as? [[String: Any]])
            let id = try #require(entries.first?["id"] as? String)
            for method in [HTTPRequest.Method.put, .patch, .delete, .post] {
                let reply = try await client.json(method, "/api/admin/audit/\(id)", ["action": "nothing"], headers: keys.owner)
                #expect([.notFound, .methodNotAllowed].contains(reply.status), "\(method) \(reply.status)")
            }
            let again = try #require(try await client.json(.get, "/api/admin/audit", headers: keys.owner)["data"] as? [[String: Any]])
            #expect(again.count == entries.count && again.first?["action"] as? String == entries.first?["action"] as? String)
        }
    }

    /// `checkout admin …` as an operator runs it: a key shown once and listed with its role, staff
    /// added and removed, the audit log; every refusal names what it refuses.
    @Test func theCommandLineManagesKeysStaffAndShowsTheAuditLog() async throws {
        let checkout = try TestCheckout()
        let db = try await checkout.createdDatabaseArguments("admin-cli")
        let created = try await runCheckout(["admin", "keys", "create", "--role", "support", "--name", "helpdesk"] + db)
        #expect(created.status == 0 && created.output.contains("secret (shown once; store it now): sk_admin_"), "\(created.errors)")
        let id = try #require(created.output.split(separator: " ").dropFirst().first.map(String.init))
        let listed = try await runCheckout(["admin", "keys", "list"] + db)
        #expect(listed.output.contains("\(id)  support  helpdesk") && !listed.output.contains("sk_admin_"))
        #expect(try await runCheckout(["admin", "keys", "revoke", id] + db).status == 0)
        let again = try await runCheckout(["admin", "keys", "revoke", id] + db)
        #expect(again.status != 0 && again.errors.contains(id))
        let role = try await runCheckout(["admin", "keys", "create", "--role", "boss"] + db)
        #expect(role.status != 0 && role.errors.contains("boss"))
        #expect(try await runCheckout(["admin", "staff", "add", "Jane@Example.com", "--role", "analyst"] + db).status == 0)
        #expect(try await runCheckout(["admin", "staff", "list"] + db).output.contains("jane@example.com  analyst"))
        let bad = try await runCheckout(["admin", "staff", "add", "not-an-email", "--role", "owner"] + db)
        #expect(bad.status != 0 && bad.errors.contains("not-an-email"))
        #expect(try await runCheckout(["admin", "staff", "remove", "jane@example.com"] + db).status == 0)
        let gone = try await runCheckout(["admin", "staff", "remove", "jane@example.com"] + db)
        #expect(gone.status != 0 && gone.errors.contains("jane@example.com"))
        let audit = try await runCheckout(["admin", "audit"] + db)
        for action in ["api_key.create", "api_key.revoke", "staff.set", "staff.remove"] { #expect(audit.output.contains(action), "\(action)") }
        let zero = try await runCheckout(["admin", "audit", "--limit", "0"] + db)
        #expect(zero.status != 0 && zero.errors.contains("--limit 0"))
    }
}
