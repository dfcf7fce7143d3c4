import CheckoutKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// The console at /admin/ as staff use it, on both backends: sign-in by emailed link, the session
/// cookie, CSRF on every form, pages per role, refunding one line from the order page.
@Suite struct ConsoleTests {
    /// Signs `email` in to the console; the cookie header and the CSRF token of the session.
    static func signIn(_ email: String, _ client: any TestClientProtocol, _ checkout: TestCheckout, _ control: CheckoutControl) async throws
        -> (cookie: HTTPFields, csrf: String)
    {
        let asked = try await client.execute(
            uri: "/admin/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: "email=" + email.replacingOccurrences(of: "@", with: "%40")))
        #expect(asked.status == .seeOther && asked.headers[.location] == "/admin/login?sent=1")
        await control.sendPendingMail()
        let mail = try #require(checkout.emails().last { $0.to == email && $0.subject.contains("console") })
        let link = try #require(mail.links.first { $0.contains("/admin/login/") })
        let followed = try await client.get(link)
        #expect(followed.status == .seeOther && followed.headers[.location] == "/admin/")
        let setCookie = try #require(followed.headers[.setCookie])
        #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax"))
        let cookie: HTTPFields = [.cookie: String(setCookie.split(separator: ";")[0])]
        let page = String(buffer: try await client.execute(uri: "/admin/", method: .get, headers: cookie).body)
        let csrf = try #require(page.firstMatch(of: /name="csrf" value="([^"]+)"/)?.1)
        return (cookie, String(csrf))
    }

    static func staff(_ checkout: TestCheckout, _ members: [(String, StaffRole)]) async throws {
        let credentials = try await StaffCredentials(checkout.configuration.storageLocation, clock: checkout.time.clock)
        for (email, role) in members { try await credentials.addStaff(email: email, role: role) }
        await credentials.close()
    }

    func form(_ client: any TestClientProtocol, _ path: String, _ fields: [String: String], _ cookie: HTTPFields) async throws -> TestResponse {
        var headers = cookie
        headers[.contentType] = "application/x-www-form-urlencoded"
        let body = fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
        return try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    @Test func supportSignsInFindsAnOrderAndRefundsOneLineWhichEndsAccess() async throws {
        let checkout = try TestCheckout()
        try await Self.staff(checkout, [("help@shop.example", .support)])
        try await checkout.run { client, control in
            let order = try await client.buy([("HS-DIGITAL-PLANNER", 1), ("KB-NOAH-COLORING-A4", 1)], email: "refund.me@example.com")
            let customer = try await client.signIn("refund.me@example.com", checkout: checkout, control: control)
            #expect(accountDownloads(try await client.account(customer)).keys.contains("HS-DIGITAL-PLANNER"))

            #expect(try await client.get("/admin/orders").headers[.location] == "/admin/login", "signed out: to the sign-in page")
            let (cookie, csrf) = try await Self.signIn("help@shop.example", client, checkout, control)
            let dashboard = String(buffer: try await client.execute(uri: "/admin/", method: .get, headers: cookie).body)
            #expect(dashboard.components(separatedBy: "<section class=\"card\"").count - 1 == 10, "ten panels")
            #expect(dashboard.contains("<svg class=\"chart\"") && !dashboard.contains("http://cdn") && !dashboard.contains("<script src"))

            let found = String(buffer: try await client.execute(uri: "/admin/orders?email=refund.me%40example.com", method: .get, headers: cookie).body)
            #expect(found.contains("/admin/orders/\(order.id)"))
            let page = String(buffer: try await client.execute(uri: "/admin/orders/\(order.id)", method: .get, headers: cookie).body)
            let lines = page.matches(of: /name="line_id" value="([^"]+)"/).map { String($0.1) }
            #expect(lines.count == 2, "a refund button per line")
            let planner = try #require(try await client.json(.get, "/api/orders/\(order.id)?token=\(order.token)")["lines"] as? [[String: Any]])
                .first { $0["sku"] as? String == "HS-DIGITAL-PLANNER" }?["id"] as? String

            // Without the session's CSRF token, a form does nothing.
            let forged = try await form(client, "/admin/orders/\(order.id)/refund", ["line_id": planner ?? "", "reason": "forged"], cookie)
            #expect(forged.status == .forbidden && String(buffer: forged.body).contains("CSRF"))
            #expect(try await client.json(.get, "/api/orders/\(order.id)?token=\(order.token)")["status"] as? String == "paid")

            let refunded = try await form(client, "/admin/orders/\(order.id)/refund", ["line_id": planner ?? "", "reason": "asked by email", "csrf": csrf], cookie)
            #expect(refunded.status == .seeOther && refunded.headers[.location] == "/admin/orders/\(order.id)?done=refunded")
            let after = String(buffer: try await client.execute(uri: refunded.headers[.location] ?? "", method: .get, headers: cookie).body)
            #expect(after.contains("The customer&#39;s access to that product has ended") || after.contains("access to that product has ended"))
            let downloads = accountDownloads(try await client.account(customer))
            #expect(!downloads.keys.contains("HS-DIGITAL-PLANNER") && downloads.keys.contains("KB-NOAH-COLORING"), "\(downloads.keys.sorted())")
            let audit = String(buffer: try await client.execute(uri: "/admin/audit", method: .get, headers: cookie).body)
            #expect(audit.contains("order.refund") && audit.contains("help@shop.example") && audit.contains("asked by email"))

            // Support may not manage webhooks: the page shows no form, and a post is refused.
            let hooks = String(buffer: try await client.execute(uri: "/admin/webhooks", method: .get, headers: cookie).body)
            #expect(!hooks.contains("Add endpoint"))
            let refused = try await form(client, "/admin/webhooks", ["url": "https://x.example/h", "events": "*", "csrf": csrf], cookie)
            #expect(refused.status == .forbidden && String(buffer: refused.body).contains("the support role may not manage webhooks"))
            #expect(try await WebhookEndpoints(checkout.configuration.storageLocation).list().isEmpty)

            // Signing out ends the session.
            #expect(try await form(client, "/admin/logout", ["csrf": csrf], cookie).status == .seeOther)
            #expect(try await client.execute(uri: "/admin/orders", method: .get, headers: cookie).headers[.location] == "/admin/login")
        }
    }

    @Test func onlyStaffGetALinkAndAnAnalystSeesReportsOnly() async throws {
        let checkout = try TestCheckout()
        try await Self.staff(checkout, [("numbers@shop.example", .analyst)])
        try await checkout.run { client, control in
            _ = try await client.buy([("HS-DIGITAL-PLANNER", 1)], email: "someone@example.com")
            let stranger = try await client.execute(
                uri: "/admin/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "email=someone%40example.com"))
            #expect(stranger.status == .seeOther, "the same answer for anyone")
            await control.sendPendingMail()
            #expect(!checkout.emails().contains { $0.subject.contains("console") }, "a customer is not staff")
            let bad = try await client.execute(
                uri: "/admin/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: "email=nope"))
            #expect(bad.status == .unprocessableContent && String(buffer: bad.body).contains("nope"), "the message names the address")

            let (cookie, _) = try await Self.signIn("numbers@shop.example", client, checkout, control)
            let orders = String(buffer: try await client.execute(uri: "/admin/orders", method: .get, headers: cookie).body)
            #expect(orders.contains("s•••@•••.com") && !orders.contains("someone@example.com"))
            #expect(!orders.contains("href=\"/admin/customers\""), "no customers link for an analyst")
            let customers = try await client.execute(uri: "/admin/customers", method: .get, headers: cookie)
            #expect(customers.status == .forbidden && String(buffer: customers.body).contains("the analyst role may not read"))
            let csv = try await client.execute(uri: "/admin/dashboard.csv?panel=revenue", method: .get, headers: cookie)
            #expect(csv.status == .ok && String(buffer: csv.body).hasPrefix("day,paid_orders,revenue\r\n"))
            let expired = try await client.get("/admin/login/not-a-token")
            #expect(expired.status == .gone)
        }
    }

    /// Every console page renders (a template that failed to parse would render nothing) for an
    /// owner, with its heading, and the console is never framed or cached.
    @Test func everyPageRendersForAnOwner() async throws {
        let checkout = try TestCheckout()
        let admin: HTTPFields = [.authorization: "Bearer \(TestCheckout.adminToken)"]
        let endpoints = try await checkout.endpoints()
        let endpoint = try await endpoints.add(url: "http://127.0.0.1:9/hooks", events: ["order.paid"])
        await endpoints.close()
        try await checkout.run { client, _ in
            let order = try await client.buy([("HS-DIGITAL-PLANNER", 1)], email: "pages@example.com")
            _ = try await client.json(.post, "/api/leads", ["email": "pages@example.com", "magnet": "scripture-memory-cards"])
            let pages = [
                ("/admin/", "Dashboard"), ("/admin/?days=365", "Dashboard"), ("/admin/?from=2026-11-01&to=2026-11-30", "Dashboard"),
                ("/admin/orders", "Orders"), ("/admin/orders/\(order.id)", "Order"), ("/admin/customers", "Customers"),
                ("/admin/customers/pages@example.com", "pages@example.com"), ("/admin/subscriptions", "Subscriptions"),
                ("/admin/leads", "Leads"), ("/admin/webhooks", "Webhook endpoints"), ("/admin/webhooks/\(endpoint.id)", "Deliveries"),
                ("/admin/audit", "Audit log"), ("/admin/login", "Sign in"),
            ]
            for (path, heading) in pages {
                let response = try await client.execute(uri: path, method: .get, headers: admin)
                let html = String(buffer: response.body)
                #expect(response.status == .ok, "\(path): \(response.status)")
                #expect(html.contains("<h1>\(heading)") && html.hasSuffix("</html>\n"), "\(path) has no heading \(heading)")
                #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY" && response.headers[.cacheControl] == "no-store")
            }
            let bad = try await client.execute(uri: "/admin/?days=0", method: .get, headers: admin)
            #expect(bad.status == .unprocessableContent && String(buffer: bad.body).contains("days"), "the problem names the parameter")
        }
    }

    /// What a new user's trial found: the console shows a new signing secret once; an address with
    /// `%`, `/` or `?` in it links to itself; staff sign in whatever the case of their address.
    @Test func aNewSecretIsShownAndOddAddressesLinkToThemselves() async throws {
        let checkout = try TestCheckout()
        try await Self.staff(checkout, [("Boss@Shop.Example", .owner)])
        try await checkout.run { client, control in
            let odd = "a%41b@example.com"
            _ = try await client.buy([("HS-DIGITAL-PLANNER", 1)], email: odd)
            _ = try await client.buy([("HS-DIGITAL-PLANNER", 1)], email: "aab@example.com")
            let (cookie, csrf) = try await Self.signIn("boss@shop.example", client, checkout, control)
            let list = String(buffer: try await client.execute(uri: "/admin/customers", method: .get, headers: cookie).body)
            #expect(list.contains("href=\"/admin/customers/a%2541b@example.com\""), "the link names the address itself")
            let page = String(buffer: try await client.execute(uri: "/admin/customers/a%2541b@example.com", method: .get, headers: cookie).body)
            #expect(page.contains("<h1>a%41b@example.com</h1>") && page.contains("action=\"/admin/customers/a%2541b@example.com/entitlements\""))
            let granted = try await form(
                client, "/admin/customers/a%2541b@example.com/entitlements",
                ["sku": "KB-NOAH-COLORING", "action": "grant", "reason": "gift", "csrf": csrf], cookie)
            #expect(granted.headers[.location] == "/admin/customers/a%2541b@example.com?done=entitlement")
            let audit = try #require(try await client.json(.get, "/api/admin/audit", headers: [.authorization: "Bearer \(TestCheckout.adminToken)"])["data"] as? [[String: Any]])
            #expect(audit.first { $0["action"] as? String == "entitlement.grant" }?["target"] as? String == "customer:a%41b@example.com")

            let created = try await form(client, "/admin/webhooks", ["url": "https://ops.example/hook", "events": "order.paid", "csrf": csrf], cookie)
            let html = String(buffer: created.body)
            let secret = try #require(html.firstMatch(of: /shown this once: <code>(whsec_[A-Za-z0-9_-]+)<\/code>/)?.1)
            #expect(secret.count > 20)
            #expect(!String(buffer: try await client.execute(uri: "/admin/webhooks", method: .get, headers: cookie).body).contains(String(secret)))
        }
    }

    @Test func anOwnerErasesACustomerFromTheirPageAfterTickingTheirAddress() async throws {
        let checkout = try TestCheckout()
        try await Self.staff(checkout, [("boss@shop.example", .owner), ("desk@shop.example", .support)])
        try await checkout.run { client, control in
            _ = try await client.buy([("HS-DIGITAL-PLANNER", 1)], email: "gone@example.com")
            let (desk, _) = try await Self.signIn("desk@shop.example", client, checkout, control)
            let seen = String(buffer: try await client.execute(uri: "/admin/customers/gone%40example.com", method: .get, headers: desk).body)
            #expect(seen.contains("/export\">Download everything held") && !seen.contains("Erase customer"), "support exports, never erases: \(seen)")
            let export = try await client.execute(uri: "/admin/customers/gone%40example.com/export", method: .get, headers: desk)
            #expect(export.status == .ok && String(buffer: export.body).contains("customer_export"))

            let (cookie, csrf) = try await Self.signIn("boss@shop.example", client, checkout, control)
            let page = String(buffer: try await client.execute(uri: "/admin/customers/gone%40example.com", method: .get, headers: cookie).body)
            #expect(page.contains("Erase customer"))
            let unticked = try await form(client, "/admin/customers/gone%40example.com/erase", ["reason": "asked", "csrf": csrf], cookie)
            #expect(unticked.status == .unprocessableContent && String(buffer: unticked.body).contains("gone@example.com"))
            let erased = try await form(
                client, "/admin/customers/gone%40example.com/erase", ["reason": "asked", "confirm": "gone@example.com", "csrf": csrf], cookie)
            #expect(erased.status == .ok && String(buffer: erased.body).contains("erased_"), "\(String(buffer: erased.body).prefix(300))")
            let after = try await client.execute(uri: "/admin/customers/gone%40example.com", method: .get, headers: cookie)
            #expect(after.status == .notFound)
        }
    }
}
