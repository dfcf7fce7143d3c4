import CheckoutKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// What the admin API answers, on both backends: the order list's filters and pages, one order's
/// timeline, customers and entitlements by hand, the dashboard's figures, leads as CSV and the
/// webhook endpoints' CRUD. Every bad parameter is a 422 naming it.
@Suite struct AdminAPITests {
    let admin: HTTPFields = [.authorization: "Bearer \(TestCheckout.adminToken)"]

    @Test func ordersAreFilteredAndPagedNewestFirst() async throws {
        let checkout = try TestCheckout()
        try await checkout.run { client, _ in
            var ids: [String] = []
            for (index, email) in ["a@example.com", "b@example.com", "a@example.com"].enumerated() {
                checkout.time.advance(60)
                ids.append(try await client.buy([(index == 1 ? "KB-NOAH-COLORING-A4" : "HS-DIGITAL-PLANNER", 1)], email: email).id)
            }
            let first = try await client.json(.get, "/api/admin/orders?limit=2", headers: admin)
            let page = try #require(first["data"] as? [[String: Any]]).compactMap { $0["id"] as? String }
            #expect(page == [ids[2], ids[1]] && first["has_more"] as? Bool == true)
            let cursor = try #require(first["next_cursor"] as? String)
            let second = try await client.json(.get, "/api/admin/orders?limit=2&cursor=\(cursor)", headers: admin)
            #expect((second["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [ids[0]] && second["has_more"] as? Bool == false)

            let byEmail = try await client.json(.get, "/api/admin/orders?email=a%40EXAMPLE.com", headers: admin)
            #expect((byEmail["data"] as? [[String: Any]])?.count == 2)
            let byProduct = try await client.json(.get, "/api/admin/orders?product=KB-NOAH-COLORING-A4&status=paid", headers: admin)
            #expect((byProduct["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [ids[1]])
            let today = String(ISO8601DateFormatter().string(from: checkout.time.now).prefix(10))
            let inRange = try await client.json(.get, "/api/admin/orders?from=\(today)&to=\(today)", headers: admin)
            #expect((inRange["data"] as? [[String: Any]])?.count == 3)

            for (query, field) in [("status=shipped", "status"), ("limit=0", "limit"), ("from=2026-02-30", "from"), ("limit=x", "limit")] {
                let reply = try await client.json(.get, "/api/admin/orders?\(query)", headers: admin)
                #expect(reply.status == .unprocessableContent && reply.errorField == field, "\(query): \(reply.text)")
                #expect(reply.errorMessage?.contains(String(query.split(separator: "=")[1])) == true, "the message names the value: \(reply.text)")
            }
            let detail = try await client.json(.get, "/api/admin/orders/\(ids[0])", headers: admin)
            let timeline = try #require(detail["timeline"] as? [[String: Any]]).compactMap { $0["type"] as? String }
            #expect(timeline.starts(with: ["order.placed", "order.paid"]) && timeline.contains("entitlement.granted"), "\(timeline)")
            #expect(try await client.json(.get, "/api/admin/orders/ord_nope", headers: admin).status == .notFound)
        }
    }

    @Test func entitlementsGrantedAndRevokedByHandChangeAccessWithAReason() async throws {
        let checkout = try TestCheckout()
        try await checkout.run { client, control in
            _ = try await client.buy([("HS-DIGITAL-PLANNER", 1)], email: "hand@example.com")
            let path = "/api/admin/customers/hand@example.com/entitlements"
            let noReason = try await client.json(.post, path, ["sku": "KB-NOAH-COLORING", "action": "grant"], headers: admin)
            #expect(noReason.status == .unprocessableContent && noReason.errorField == "reason")
            let unknown = try await client.json(.post, path, ["sku": "NOPE-1", "action": "grant", "reason": "x"], headers: admin)
            #expect(unknown.status == .unprocessableContent && unknown.errorField == "sku" && unknown.errorMessage?.contains("NOPE-1") == true)
            let badAction = try await client.json(.post, path, ["sku": "KB-NOAH-COLORING", "action": "gift", "reason": "x"], headers: admin)
            #expect(badAction.status == .unprocessableContent && badAction.errorField == "action" && badAction.errorMessage?.contains("gift") == true)

            let granted = try await client.json(.post, path, ["sku": "KB-NOAH-COLORING", "action": "grant", "reason": "printer broke"], headers: admin)
            #expect(granted.status == .ok, "\(granted.text)")
            let cookie = try await client.signIn("hand@example.com", checkout: checkout, control: control)
            #expect(accountDownloads(try await client.account(cookie)).keys.contains("KB-NOAH-COLORING"))
            let revoked = try await client.json(.post, path, ["sku": "HS-DIGITAL-PLANNER", "action": "revoke", "reason": "chargeback"], headers: admin)
            #expect(revoked.status == .ok)
            #expect(!accountDownloads(try await client.account(cookie)).keys.contains("HS-DIGITAL-PLANNER"), "revoked by hand, though bought")
            let log = try #require(revoked["entitlement_log"] as? [[String: Any]]).map { "\($0["change"] ?? "") \($0["item"] ?? "")" }
            #expect(log.contains("granted product:KB-NOAH-COLORING") && log.contains("revoked product:HS-DIGITAL-PLANNER"), "\(log)")
            let audit = try #require(try await client.json(.get, "/api/admin/audit?target=customer:hand@example.com", headers: admin)["data"] as? [[String: Any]])
            #expect(audit.compactMap { $0["reason"] as? String } == ["chargeback", "printer broke"])
            #expect((audit.first?["before"] as? [String: Any])?["entitlements"] as? [String] == ["product:HS-DIGITAL-PLANNER", "product:KB-NOAH-COLORING"])

            let customers = try await client.json(.get, "/api/admin/customers?q=HAND", headers: admin)
            #expect((customers["data"] as? [[String: Any]])?.first?["paid_orders"] as? Int == 1)
            let missing = try await client.json(.get, "/api/admin/customers/nobody@example.com", headers: admin)
            #expect(missing.status == .notFound && missing.errorMessage?.contains("nobody@example.com") == true)
        }
    }

    @Test func theDashboardAddsUpWhatWasSoldRefundedAndAskedFor() async throws {
        let checkout = try TestCheckout()
        try await checkout.run { client, control in
            let planner = Int(exampleCatalog.productsBySKU["HS-DIGITAL-PLANNER"]?.price.amount ?? 0)
            let first = try await client.buy([("HS-DIGITAL-PLANNER", 2)], email: "d1@example.com")
            _ = try await client.buy([("HS-DIGITAL-PLANNER", 1)], email: "d2@example.com")
            _ = try await client.cart([("HS-DIGITAL-PLANNER", 1)])
            _ = try await client.json(.post, "/api/leads", ["email": "lead1@example.com", "magnet": "scripture-memory-cards"])
            let line = try #require((try await client.json(.get, "/api/admin/orders/\(first.id)", headers: admin)["lines"] as? [[String: Any]])?.first?["id"] as? String)
            #expect(try await client.json(.post, "/api/admin/orders/\(first.id)/refunds", ["line_id": line], headers: admin).status == .ok)
            await control.sendPendingMail()

            let report = try await client.json(.get, "/api/admin/dashboard?days=7", headers: admin)
            let panels = try #require(report["panels"] as? [[String: Any]])
            #expect(panels.compactMap { $0["id"] as? String } == [
                "revenue", "orders", "conversion", "average_order_value", "members", "churn", "leads", "top_products", "refunds", "downloads_deliveries",
            ])
            func panel(_ id: String) -> [String: Any] { panels.first { $0["id"] as? String == id } ?? [:] }
            func rows(_ id: String) -> [[String]] { panel(id)["rows"] as? [[String]] ?? [] }
            let money = { (cents: Int) in String(format: "%d.%02d", cents / 100, cents % 100) }
            #expect(rows("revenue").count == 7)
            #expect(rows("revenue").last == [String(ISO8601DateFormatter().string(from: checkout.time.now).prefix(10)), "2", money(planner * 3)])
            #expect(rows("conversion").map { $0[1] } == ["3", "2", "2"], "three carts, two checkouts, two paid")
            #expect(rows("refunds").last?[2] == money(planner * 2))
            #expect(rows("leads").last?[1] == "1" && rows("leads").last?[2] == "0")
            #expect(rows("top_products").first?[0] == "HS-DIGITAL-PLANNER" && rows("top_products").first?[2] == "3")

            let csv = try await client.execute(uri: "/api/admin/dashboard.csv?panel=refunds&days=7", method: .get, headers: admin)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8" && String(buffer: csv.body).hasPrefix("day,refunds,amount\r\n"))
            let all = String(buffer: try await client.execute(uri: "/api/admin/dashboard.csv", method: .get, headers: admin).body)
            #expect(all.hasPrefix("panel,day,paid_orders,revenue\r\n") && all.contains("\r\ntop_products,HS-DIGITAL-PLANNER,"))
            for (query, field) in [("days=0", "days"), ("panel=profit", "panel"), ("from=2027-01-02&to=2027-01-01", "to")] {
                let path = query.hasPrefix("panel") ? "/api/admin/dashboard.csv?\(query)" : "/api/admin/dashboard?\(query)"
                let reply = try await client.json(.get, path, headers: admin)
                #expect(reply.status == .unprocessableContent && reply.errorField == field, "\(query): \(reply.text)")
            }
        }
    }

    @Test func leadsExportAsCSVAndWebhookEndpointsAreManagedWithSecretsShownOnce() async throws {
        let checkout = try TestCheckout()
        try await checkout.run { client, _ in
            _ = try await client.json(.post, "/api/leads", ["email": "csv@example.com", "magnet": "scripture-memory-cards"])
            let csv = String(buffer: try await client.execute(uri: "/api/admin/leads.csv", method: .get, headers: admin).body)
            #expect(csv.hasPrefix("email,magnet,created_at,confirmed_at\r\ncsv@example.com,scripture-memory-cards,"))

            let created = try await client.json(.post, "/api/admin/webhooks", ["url": "https://ops.example/hook", "events": ["order.paid"]], headers: admin)
            #expect(created.status == .created && (created["secret"] as? String)?.hasPrefix("whsec_") == true)
            let id = try #require(created["id"] as? String)
            let listed = try await client.json(.get, "/api/admin/webhooks", headers: admin)
            #expect(!listed.text.contains("whsec_"), "secrets are shown once")
            let rotated = try await client.json(.post, "/api/admin/webhooks/\(id)/rotate", headers: admin)
            #expect(rotated["secret"] as? String != created["secret"] as? String && (rotated["secret"] as? String)?.hasPrefix("whsec_") == true)
            let bad = try await client.json(.post, "/api/admin/webhooks", ["url": "ftp://x", "events": ["order.paid"]], headers: admin)
            #expect(bad.status == .unprocessableContent && bad.errorField == "url" && bad.errorMessage?.contains("ftp://x") == true)
            #expect(try await client.json(.delete, "/api/admin/webhooks/\(id)", headers: admin).status == .ok)
            let gone = try await client.json(.delete, "/api/admin/webhooks/\(id)", headers: admin)
            #expect(gone.status == .notFound && gone.errorMessage?.contains(id) == true)
            let audit = try #require(try await client.json(.get, "/api/admin/audit", headers: admin)["data"] as? [[String: Any]])
            #expect(!String(describing: audit).contains(created["secret"] as? String ?? "-"), "no secret in the audit log")
        }
    }

    /// What a reviewer found: each a user can hit, each refused with a message naming the input.
    @Test func badCursorsDatesAndIdsAreNamedAndAWholeOrderIsRefundedOnce() async throws {
        let checkout = try TestCheckout()
        try await checkout.run { client, _ in
            let order = try await client.buy([("HS-DIGITAL-PLANNER", 1), ("KB-NOAH-COLORING-A4", 1)], email: "whole@example.com")
            for email in ["page-a@example.com", "page-b@example.com", "page-c@example.com"] {
                _ = try await client.json(.post, "/api/leads", ["email": email, "magnet": "scripture-memory-cards"])
            }
            // Customers page by address on both databases.
            var seen: [String] = []
            var cursor = ""
            for _ in 0..<3 {
                let page = try await client.json(.get, "/api/admin/customers?q=page-&limit=1" + (cursor.isEmpty ? "" : "&cursor=\(cursor)"), headers: admin)
                #expect(page.status == .ok, "\(page.text)")
                seen += (page["data"] as? [[String: Any]] ?? []).compactMap { $0["email"] as? String }
                cursor = page["next_cursor"] as? String ?? ""
            }
            #expect(seen == ["page-a@example.com", "page-b@example.com", "page-c@example.com"] && cursor.isEmpty)

            for (path, field, named) in [
                ("/api/admin/orders?cursor=ord_nope", "cursor", "ord_nope"), ("/api/admin/leads?cursor=lead_nope", "cursor", "lead_nope"),
                ("/api/admin/audit?cursor=aud_nope", "cursor", "aud_nope"), ("/api/admin/orders?from=2026-13-01", "from", "2026-13-01"),
            ] {
                let reply = try await client.json(.get, path, headers: admin)
                #expect(reply.status == .unprocessableContent && reply.errorField == field && reply.errorMessage?.contains(named) == true, "\(path): \(reply.text)")
            }
            for (method, path) in [(HTTPRequest.Method.post, "/api/admin/webhooks/we_nope/rotate"), (.post, "/api/admin/webhooks/we_nope/deliveries/whd_x/redeliver")] {
                let reply = try await client.json(method, path, headers: admin)
                #expect(reply.status == .notFound && reply.errorMessage?.contains("we_nope") == true, "\(path): \(reply.text)")
            }

            let whole = try await client.json(.post, "/api/admin/orders/\(order.id)/refunds", ["reason": "cancelled"], headers: admin)
            #expect(whole.status == .ok && whole["status"] as? String == "refunded", "\(whole.text)")
            let again = try await client.json(.post, "/api/admin/orders/\(order.id)/refunds", [:], headers: admin)
            #expect(again.status == .unprocessableContent && again.errorField == "order_id" && again.errorMessage?.contains(order.id) == true)
            let audit = try #require(try await client.json(.get, "/api/admin/audit?target=order:\(order.id)", headers: admin)["data"] as? [[String: Any]])
            #expect(audit.filter { $0["action"] as? String == "order.refund" }.count == 2, "one entry per line")
        }
    }

    /// A licence key stays delivered when its product is taken away by hand, and is there again
    /// when the product is granted back; an analyst may not look people up by address, nor mark
    /// a delivery; a console session's JSON write needs its CSRF header.
    @Test func revokingByHandKeepsTheKeyAndRolesAndCSRFHoldForJSON() async throws {
        let checkout = try TestCheckout()
        let credentials = try await StaffCredentials(checkout.configuration.storageLocation, clock: checkout.time.clock)
        let analyst = try await credentials.createKey(name: "reports", role: .analyst).secret
        try await credentials.addStaff(email: "desk@shop.example", role: .support)
        await credentials.close()
        try await checkout.run { client, control in
            let order = try await client.buy([("HS-MEMORY-APP", 1), ("HS-NAME-CHORE-CHART", 1)], email: "keys@example.com")
            let path = "/api/admin/customers/keys@example.com/entitlements"
            #expect(try await client.json(.post, path, ["sku": "HS-MEMORY-APP", "action": "revoke", "reason": "chargeback"], headers: admin).status == .ok)
            let nothing = try await client.json(.post, path, ["sku": "HS-MEMORY-APP", "action": "revoke", "reason": "twice"], headers: admin)
            #expect(nothing.status == .unprocessableContent && nothing.errorMessage?.contains("product:HS-MEMORY-APP") == true)
            var deliveries = try await client.json(.get, "/api/orders/\(order.id)?token=\(order.token)")["deliveries"] as? [[String: Any]] ?? []
            let key = deliveries.first { $0["sku"] as? String == "HS-MEMORY-APP" }
            #expect(key?["status"] as? String == "delivered" && (key?["keys"] as? [String])?.count == 1, "the key is not revoked by hand")
            #expect(try await client.json(.post, path, ["sku": "HS-MEMORY-APP", "action": "grant", "reason": "resolved"], headers: admin).status == .ok)
            let cookie = try await client.signIn("keys@example.com", checkout: checkout, control: control)
            #expect(accountDownloads(try await client.account(cookie)).keys.contains("HS-MEMORY-APP"))

            let bearer: HTTPFields = [.authorization: "Bearer \(analyst)"]
            let lookup = try await client.json(.get, "/api/admin/orders?email=keys%40example.com", headers: bearer)
            #expect(lookup.status == .forbidden && lookup.errorMessage?.contains("search orders by address") == true)
            deliveries = try await client.json(.get, "/api/orders/\(order.id)?token=\(order.token)")["deliveries"] as? [[String: Any]] ?? []
            let manual = try #require(deliveries.first { $0["method"] as? String == "manual" }?["id"] as? String)
            let mark = "/api/admin/orders/\(order.id)/deliveries/\(manual)/delivered"
            let refused = try await client.json(.post, mark, ["note": "no"], headers: bearer)
            #expect(refused.status == .forbidden && refused.errorMessage?.contains("the analyst role may not fulfil") == true)

            let (session, csrf) = try await ConsoleTests.signIn("desk@shop.example", client, checkout, control)
            let forged = try await client.json(.post, mark, ["note": "forged"], headers: session)
            #expect(forged.status == .forbidden && forged.errorCode == "csrf_token_invalid")
            var withToken = session
            withToken[HTTPField.Name("X-CSRF-Token")!] = csrf
            let marked = try await client.json(.post, mark, ["note": "posted"], headers: withToken)
            #expect(marked.status == .ok && marked["status"] as? String == "delivered", "\(marked.text)")
        }
    }

    @Test func addressesReasonsAndDatesAreCheckedAndBearerIsCaseBlind() async throws {
        let checkout = try TestCheckout()
        try await checkout.run { client, _ in
            _ = try await client.buy([("HS-DIGITAL-PLANNER", 1)], email: "checked@example.com")
            let notAnAddress = try await client.json(
                .post, "/api/admin/customers/not-an-email/entitlements", ["sku": "KB-NOAH-COLORING", "action": "grant", "reason": "x"], headers: admin)
            #expect(notAnAddress.status == .unprocessableContent && notAnAddress.errorField == "email" && notAnAddress.errorMessage?.contains("not-an-email") == true)
            let long = try await client.json(
                .post, "/api/admin/customers/checked@example.com/entitlements",
                ["sku": "KB-NOAH-COLORING", "action": "grant", "reason": String(repeating: "r", count: 501)], headers: admin)
            #expect(long.status == .unprocessableContent && long.errorField == "reason" && long.errorMessage?.contains("501") == true)
            let backwards = try await client.json(.get, "/api/admin/orders?from=2026-12-31&to=2026-12-01", headers: admin)
            #expect(backwards.status == .unprocessableContent && backwards.errorField == "to" && backwards.errorMessage?.contains("2026-12-01") == true)
            let noEvents = try await client.json(.post, "/api/admin/webhooks", ["url": "https://x.example/h", "events": [String]()], headers: admin)
            #expect(noEvents.status == .unprocessableContent && noEvents.errorField == "events" && noEvents.errorMessage?.contains("at least one") == true)
            let lower = try await client.json(.get, "/api/admin/orders", headers: [.authorization: "bearer \(TestCheckout.adminToken)"])
            #expect(lower.status == .ok)
        }
    }
}
