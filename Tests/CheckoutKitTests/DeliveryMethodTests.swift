import CheckoutKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TestSupport

/// Licence keys, webhook fulfilment and manual delivery, end to end over HTTP on both backends: each
/// paid line's delivery, its status and history, what the thank-you page, receipt and account show,
/// and the `delivery.*` events.
@Suite struct DeliveryMethodTests {
    static let app = "HS-MEMORY-APP"
    static let admin: HTTPFields = [.authorization: "Bearer \(TestCheckout.adminToken)"]

    /// The deliveries the thank-you page reads for an order.
    func deliveries(_ client: any TestClientProtocol, _ order: (id: String, token: String)) async throws -> [[String: Any]] {
        try await client.json(.get, "/api/orders/\(order.id)?token=\(order.token)")["deliveries"] as? [[String: Any]] ?? []
    }

    func keyPool(_ checkout: TestCheckout) async throws -> LicenseKeyPool {
        try await LicenseKeyPool(checkout.configuration.storageLocation, clock: checkout.time.clock)
    }

    @Test func keysFromThePoolAreShownEverywhereAndRevokedWithARefund() async throws {
        let receiver = WebhookReceiver()
        try await receiver.application.test(.live) { hook in try await keysShownAndRevoked(hook: try #require(hook.port)) }
    }

    func keysShownAndRevoked(hook: Int) async throws {
        let checkout = try TestCheckout()
        let pool = try await keyPool(checkout)
        let imported = try await pool.importKeys(sku: Self.app, text: "# family licences\nKEY-ONE\nKEY-TWO\n\nKEY-THREE\nKEY-ONE\n", file: "keys.txt")
        #expect(imported.added == 3 && imported.duplicates == 1 && imported.delivered == 0 && imported.available == 3)
        await pool.close()
        let endpoints = try await checkout.endpoints()
        _ = try await endpoints.add(url: "http://localhost:\(hook)/hooks", events: ["delivery.delivered", "delivery.revoked"])
        try await checkout.run { client, control in
            let order = try await client.buy([(Self.app, 2), ("HS-DIGITAL-PLANNER", 1)], email: "keys@example.com")
            let found = try await deliveries(client, order)
            let key = try #require(found.first { $0["sku"] as? String == Self.app })
            #expect(key["method"] as? String == "license-key" && key["status"] as? String == "delivered")
            #expect(key["keys"] as? [String] == ["KEY-ONE", "KEY-TWO"], "one key per unit, oldest first")
            let history = (key["history"] as? [[String: Any]] ?? []).compactMap { $0["status"] as? String }
            #expect(history == ["pending", "delivered"])
            #expect(found.first { $0["sku"] as? String == "HS-DIGITAL-PLANNER" }?["status"] as? String == "delivered")

            await control.sendPendingMail()
            let receipt = try #require(checkout.emails().first { $0.to == "keys@example.com" && $0.subject.contains("order") })
            #expect(receipt.body.contains("Your licence keys") && receipt.body.contains("KEY-ONE") && receipt.body.contains("KEY-TWO"))
            let cookie = try await client.signIn("keys@example.com", checkout: checkout, control: control)
            let account = try await client.account(cookie)
            let accountKeys = ((account["orders"] as? [[String: Any]])?.first?["deliveries"] as? [[String: Any]])?.flatMap { $0["keys"] as? [String] ?? [] }
            #expect(accountKeys == ["KEY-ONE", "KEY-TWO"])
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains("checkout_license_keys_available{sku=\"HS-MEMORY-APP\"} 1"), "one key left in the pool")

            let line = try #require(key["line_id"] as? String)
            let refunded = try await client.json(.post, "/api/admin/orders/\(order.id)/refunds", ["line_id": line], headers: Self.admin)
            #expect(refunded.status == .ok, "\(refunded.text)")
            let after = try await deliveries(client, order).first { $0["sku"] as? String == Self.app }
            #expect(after?["status"] as? String == "revoked")
            let types = try await endpoints.deliveries().map(\.eventType)
            #expect(types.filter { $0 == "delivery.revoked" }.count == 1 && types.contains("delivery.delivered"), "\(types)")
        }
        await endpoints.close()
    }

    @Test func anEmptyPoolMakesKeysFromThePattern() async throws {
        try await TestCheckout().run { client in
            let order = try await client.buy([(Self.app, 2)], email: "pattern@example.com")
            let keys = try #require(try await deliveries(client, order).first?["keys"] as? [String])
            #expect(keys.count == 2 && Set(keys).count == 2)
            #expect(keys.allSatisfy { $0.wholeMatch(of: /MSP-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}/) != nil }, "\(keys)")
        }
    }

    @Test func withNoPatternAPurchaseWaitsForKeysAndAnImportDeliversIt() async throws {
        let checkout = try TestCheckout { $0.replacingOccurrences(of: "  license-pattern: MSP-XXXX-XXXX-XXXX\n", with: "") }
        try await checkout.run { client in
            let order = try await client.buy([(Self.app, 1)], email: "waits@example.com")
            #expect(try await deliveries(client, order).first?["status"] as? String == "pending")
            let pool = try await keyPool(checkout)
            let imported = try await pool.importKeys(sku: Self.app, text: "LATE-KEY\nSPARE-KEY\n", file: "keys.txt")
            await pool.close()
            #expect(imported.delivered == 1 && imported.available == 1)
            let delivered = try #require(try await deliveries(client, order).first)
            #expect(delivered["status"] as? String == "delivered" && delivered["keys"] as? [String] == ["LATE-KEY"])
        }
    }

    @Test func theKeysCommandImportsAFileAndNamesABadOne() async throws {
        let checkout = try TestCheckout()
        let database = try await checkout.createdDatabaseArguments("keys")
        let file = checkout.folder + "/keys.txt"
        try "AAA-1\nAAA-2\n".write(toFile: file, atomically: true, encoding: .utf8)
        let program = try productsFolder().appendingPathComponent("checkout").path
        let site = ["--site", checkout.folder + "/site"]
        let imported = try await runProgram(program, ["keys", "import", "--sku", Self.app, file] + site + database)
        #expect(imported.status == 0, "\(imported.output)")
        #expect(imported.output.contains("added 2 keys to HS-MEMORY-APP (0 skipped") && imported.output.contains("2 keys available"))
        let missing = try await runProgram(program, ["keys", "import", "--sku", Self.app, checkout.folder + "/nope.txt"] + site + database)
        #expect(missing.status != 0 && missing.output.contains("no file at \(checkout.folder)/nope.txt"), "\(missing.output)")
        for (sku, says) in [("NOPE-SKU", "'NOPE-SKU' is not a product"), ("KB-NOAH-COLORING", "'KB-NOAH-COLORING' is not delivered by licence key")] {
            let wrong = try await runProgram(program, ["keys", "import", "--sku", sku, file] + site + database)
            #expect(wrong.status != 0 && wrong.output.contains(says) && wrong.output.contains("HS-MEMORY-APP"), "\(wrong.output)")
        }
    }

    @Test func anEmptyKeyFileIsRefusedNamingIt() async throws {
        let checkout = try TestCheckout()
        let pool = try await keyPool(checkout)
        await #expect { _ = try await pool.importKeys(sku: Self.app, text: "# nothing yet\n\n", file: "empty.txt") } throws: {
            ($0 as? CheckoutError)?.message.contains("empty.txt holds no keys") == true
        }
        await pool.close()
    }

    @Test func theShopMarksAManualDeliveryDelivered() async throws {
        try await TestCheckout().run { client in
            let order = try await client.buy([("HS-NAME-CHORE-CHART", 1)], email: "manual@example.com")
            let pending = try #require(try await deliveries(client, order).first)
            #expect(pending["method"] as? String == "manual" && pending["status"] as? String == "pending")
            let id = try #require(pending["id"] as? String)
            let path = "/api/admin/orders/\(order.id)/deliveries/\(id)/delivered"
            #expect(try await client.json(.post, path, ["note": "sent"]).status == .unauthorized)
            let wrong = try await client.json(.post, "/api/admin/orders/\(order.id)/deliveries/dlv_nope/delivered", headers: Self.admin)
            #expect(wrong.status == .notFound && wrong.errorCode == "delivery_not_found")
            let marked = try await client.json(.post, path, ["note": "emailed the PDF"], headers: Self.admin)
            #expect(marked.status == .ok && marked["status"] as? String == "delivered", "\(marked.text)")
            #expect((marked["history"] as? [[String: Any]])?.last?["note"] as? String == "emailed the PDF")
            let again = try await client.json(.post, path, headers: Self.admin)
            #expect(again.status == .unprocessableContent && again.errorMessage?.contains("is delivered, not pending") == true)
        }
    }

    @Test func aWebhookDeliveryIsDeliveredWhenTheFulfilmentEndpointAnswers() async throws {
        let receiver = WebhookReceiver()
        try await receiver.application.test(.live) { hook in
            let checkout = try TestCheckout()
            let endpoints = try await checkout.endpoints()
            _ = try await endpoints.add(url: "http://localhost:\(try #require(hook.port))/hooks", events: ["fulfilment.requested"])
            _ = try await endpoints.add(url: "http://localhost:\(try #require(hook.port))/everything", events: ["*"])
            try await checkout.run { client, control in
                let order = try await client.buy([("HS-PRINTED-PLANNER", 1)], email: "printed@example.com")
                #expect(try await deliveries(client, order).first?["status"] as? String == "pending")
                await control.deliverPendingWebhooks()
                let request = try #require(receiver.events.first { $0["type"] as? String == "fulfilment.requested" })
                let data = try #require(request["data"] as? [String: Any])
                #expect(data["sku"] as? String == "HS-PRINTED-PLANNER" && data["email"] as? String == "printed@example.com" && data["quantity"] as? Int == 1)
                let delivered = try #require(try await deliveries(client, order).first)
                #expect(delivered["status"] as? String == "delivered", "\(delivered)")
                #expect(delivered["id"] as? String == data["delivery_id"] as? String)
                let all = try await endpoints.deliveries().filter { $0.eventType == "fulfilment.requested" }
                #expect(all.count == 1, "only the endpoint that names fulfilment.requested is asked, not *")
            }
            await endpoints.close()
        }
    }

    @Test func aRefundReportedBeforeThePaymentStillDeliversTheOtherLines() async throws {
        let checkout = try TestCheckout()
        let events = EventFactory(secret: TestCheckout.secret, now: Int(checkout.time.now.timeIntervalSince1970))
        try await checkout.run { client in
            let cart = try await client.cart([("HS-DIGITAL-PLANNER", 1), (Self.app, 1)])
            let placed = try await client.json(.post, "/api/checkout", ["cart_id": cart, "email": "early@example.com"])
            let order = (id: placed["order_id"] as? String ?? "", token: placed["order_token"] as? String ?? "")
            let lines = try #require(try await client.json(.get, "/api/orders/\(order.id)?token=\(order.token)")["lines"] as? [[String: Any]])
            let planner = try #require(lines.first { $0["sku"] as? String == "HS-DIGITAL-PLANNER" }?["id"] as? String)
            let refund = try events.payload("refund.created", object: [
                "id": "re_early", "object": "refund", "amount": 1, "status": "succeeded", "metadata": ["order_id": order.id, "line_id": planner],
            ])
            let paid = try events.payload("checkout.session.completed", object: WebhookTests().completed(order.id))
            for payload in [refund, paid] { #expect(try await client.webhook(payload, signature: events.header(payload)).status == .ok) }
            let found = try await deliveries(client, order)
            #expect(found.map { $0["sku"] as? String } == [Self.app], "the refunded line has none; the other is delivered: \(found)")
            #expect(found.first?["status"] as? String == "delivered")
        }
    }

    @Test func aLicenceKeyDeliveryCannotBeMarkedByHand() async throws {
        let checkout = try TestCheckout { $0.replacingOccurrences(of: "  license-pattern: MSP-XXXX-XXXX-XXXX\n", with: "") }
        try await checkout.run { client in
            let order = try await client.buy([(Self.app, 1)], email: "hand@example.com")
            let id = try #require(try await deliveries(client, order).first?["id"] as? String)
            let refused = try await client.json(.post, "/api/admin/orders/\(order.id)/deliveries/\(id)/delivered", headers: Self.admin)
            #expect(refused.status == .unprocessableContent && refused.errorMessage?.contains("checkout keys import") == true, "\(refused.text)")
        }
    }

    @Test func oneOfTwoFulfilmentEndpointsAnsweringDeliversTheLine() async throws {
        let refusing = WebhookReceiver(status: .internalServerError), accepting = WebhookReceiver()
        try await refusing.application.test(.live) { first in
            try await accepting.application.test(.live) { second in
                let checkout = try TestCheckout()
                let endpoints = try await checkout.endpoints()
                _ = try await endpoints.add(url: "http://localhost:\(try #require(first.port))/hooks", events: ["fulfilment.requested"])
                _ = try await endpoints.add(url: "http://localhost:\(try #require(second.port))/hooks", events: ["fulfilment.requested"])
                try await checkout.run { client, control in
                    let order = try await client.buy([("HS-PRINTED-PLANNER", 1)], email: "two@example.com")
                    _ = await control.deliverPendingWebhooks()
                    checkout.time.advance(3 * 86_400 + 60)
                    _ = await control.deliverPendingWebhooks()
                    #expect(try await deliveries(client, order).first?["status"] as? String == "delivered", "the refusing one gave up; the other answered")
                    let request = try #require(accepting.events.first)
                    #expect((request["data"] as? [String: Any])?["title"] as? String == "Printed Homeschool Planner")
                }
                await endpoints.close()
            }
        }
    }

    @Test func aWebhookDeliveryNoEndpointAcceptsForThreeDaysFails() async throws {
        let receiver = WebhookReceiver(status: .internalServerError)
        try await receiver.application.test(.live) { hook in
            let checkout = try TestCheckout()
            let endpoints = try await checkout.endpoints()
            _ = try await endpoints.add(url: "http://localhost:\(try #require(hook.port))/hooks", events: ["fulfilment.requested"])
            try await checkout.run { client, control in
                let order = try await client.buy([("HS-PRINTED-PLANNER", 1)], email: "refused@example.com")
                _ = await control.deliverPendingWebhooks()
                #expect(try await deliveries(client, order).first?["status"] as? String == "pending", "retried")
                checkout.time.advance(3 * 86_400 + 60)
                _ = await control.deliverPendingWebhooks()
                #expect(try await deliveries(client, order).first?["status"] as? String == "failed")
            }
            await endpoints.close()
        }
    }
}
