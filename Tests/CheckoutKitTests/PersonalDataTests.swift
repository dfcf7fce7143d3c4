@testable import CheckoutKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import ShopCore
import Testing

/// A data subject's requests, on both backends: the export holds everything stored about the
/// person; the erasure leaves no copy of their address or name in any table, the SQLite files or
/// the mail folder, while the shop's books (orders, amounts, revenue) stay as they were.
@Suite struct PersonalDataTests {
    let admin: HTTPFields = [.authorization: "Bearer \(TestCheckout.adminToken)"]
    static let email = "Jane.Doe@example.com"
    static let name = "Jane Quincy Doe"

    /// Gives `Jane` a rich history: two purchases (one line refunded), a membership, a lead, a
    /// sign-in, an entitlement granted by hand, emails sent, outgoing events queued, and a payment
    /// provider's event naming her.
    func richHistory(_ client: any TestClientProtocol, _ control: CheckoutControl, _ checkout: TestCheckout) async throws -> (page: String, orders: [String]) {
        let endpoint = try await client.json(.post, "/api/admin/webhooks", ["url": "http://127.0.0.1:9/hook", "events": ["*"]], headers: admin)
        #expect(endpoint.status == .created, "\(endpoint.text)")
        let first = try await client.buy([("HS-DIGITAL-PLANNER", 1), ("KB-NOAH-COLORING-A4", 1)], email: Self.email)
        let second = try await client.buy([("KB-NOAH-COLORING-A4", 1)], email: Self.email)
        _ = try await client.buy([("HS-DIGITAL-PLANNER", 1)], email: "keep@example.com")
        let detail = try await client.json(.get, "/api/admin/orders/\(first.id)", headers: admin)
        let line = try #require((detail["lines"] as? [[String: Any]])?.first { $0["sku"] as? String == "KB-NOAH-COLORING-A4" }?["id"] as? String)
        let refund = try await client.json(.post, "/api/admin/orders/\(first.id)/refunds", ["line_id": line], headers: admin)
        #expect(refund.status == .ok || refund.status == .created, "\(refund.text)")
        let (_, page) = try await client.subscribe("kids-bible-club", email: Self.email)
        #expect(try await client.json(.post, "/api/leads", ["email": Self.email, "magnet": "scripture-memory-cards"]).status == .accepted)
        _ = try await client.signIn(Self.email, checkout: checkout, control: control)
        let grant = try await client.json(
            .post, "/api/admin/customers/\(Self.email)/entitlements",
            ["sku": "KB-NOAH-COLORING", "action": "grant", "reason": "goodwill for \(Self.name), \(Self.email)"], headers: admin)
        #expect(grant.status == .ok, "\(grant.text)")
        let events = EventFactory(secret: TestCheckout.secret, now: Int(checkout.time.now.timeIntervalSince1970))
        let payload = try events.payload("customer.updated", object: [
            "id": "cus_jane", "object": "customer", "email": Self.email, "name": Self.name,
            "address": ["line1": "1 Quincy Lane", "city": "Springfield"], "invoice_settings": ["footer": "Thanks"],
        ])
        #expect(try await client.webhook(payload, signature: events.header(payload)).status == .ok)
        await control.sendPendingMail()
        return (page, [first.id, second.id, first.token])
    }

    @Test func erasingACustomerLeavesNoTraceAndKeepsTheBooks() async throws {
        let checkout = try TestCheckout()
        try await checkout.run { client, control in
            let (page, orders) = try await richHistory(client, control, checkout)
            #expect(checkout.emails().contains { $0.to == Self.email })
            let path = "/api/admin/customers/jane.doe%40EXAMPLE.com/erase"

            // A membership still billed: cancel it first; nothing is erased.
            let refused = try await client.json(.post, path, ["reason": "erasure request"], headers: admin)
            #expect(refused.status == .conflict && refused.errorField == "email", "\(refused.text)")
            #expect(refused.errorMessage?.contains("jane.doe@example.com") == true && refused.errorMessage?.contains("sub_") == true, "\(refused.text)")
            #expect(try await client.json(.get, "/api/admin/customers/\(Self.email)", headers: admin).status == .ok)
            #expect(try await client.execute(uri: page + "/cancel", method: .post).status == .found)
            let before = try await client.json(.get, "/api/admin/dashboard?days=30", headers: admin)

            let erased = try await client.json(.post, path, ["reason": "erasure request of 2026-12-01"], headers: admin)
            #expect(erased.status == .ok, "\(erased.text)")
            let reference = try #require(erased["customer"] as? String)
            #expect(reference.hasPrefix("erased_") && (erased["orders"] as? [String])?.count == 3, "\(erased.text)")
            #expect((erased["mail_files"] as? Int ?? 0) >= 3, "\(erased.text)")

            // The books: the same revenue, orders and refunds; the orders kept under the reference.
            let after = try await client.json(.get, "/api/admin/dashboard?days=30", headers: admin)
            for panel in ["revenue", "orders", "average_order_value", "refunds", "top_products", "members"] {
                #expect(Self.panel(before, panel) == Self.panel(after, panel), "panel \(panel) changed")
            }
            let kept = try await client.json(.get, "/api/admin/orders/\(orders[0])", headers: admin)
            #expect(kept.status == .ok && kept.text.contains(reference) && kept.amount("total") != nil, "\(kept.text)")
            #expect(try await client.json(.get, "/api/orders/\(orders[0])?token=\(orders[2])").status == .notFound, "the old order link ends")
            #expect(try await client.json(.get, "/api/admin/customers/\(Self.email)", headers: admin).status == .notFound)
            #expect(try await control.entitlements(of: Self.email).isEmpty)
            #expect(!checkout.emails().contains { $0.raw.lowercased().contains("jane") })

            // The operator's systems hear of it, without the address.
            let event = try await readStored(checkout.configuration.storageLocation) { tx in
                try tx.sql.values("SELECT payload FROM webhook_deliveries WHERE event_type = 'customer.erased'") as [Data]
            }
            let erasure = try #require(event.first.flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }?["data"] as? [String: Any])
            #expect(erasure["customer"] as? String == reference && (erasure["orders"] as? [String])?.count == 3)
            #expect(erasure["email_sha256"] as? String == AdminAccess.hash("jane.doe@example.com"))

            // No trace in any table, file or email.
            let found = try await Self.search(checkout, for: ["jane.doe@example.com", Self.name.lowercased(), "quincy"])
            #expect(found.isEmpty, "still found in \(found)")
            let audit = try await client.json(.get, "/api/admin/audit?limit=100", headers: admin)
            #expect(audit.text.contains("customer.erase") && audit.text.contains(reference))
        }
    }

    @Test func theExportHoldsEverythingStoredAboutThePerson() async throws {
        let checkout = try TestCheckout()
        try await checkout.run { client, control in
            let (_, orders) = try await richHistory(client, control, checkout)
            let response = try await client.execute(uri: "/api/admin/customers/\(Self.email)/export", method: .get, headers: admin)
            #expect(response.status == .ok && response.headers[.contentDisposition]?.contains("attachment") == true)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any])
            #expect(document["email"] as? String == Self.email)
            let exported = (document["orders"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(Set(orders.prefix(2)).isSubset(of: Set(exported)) && exported.count == 3, "\(exported)")
            let first = try #require((document["orders"] as? [[String: Any]])?.first { $0["id"] as? String == orders[0] })
            #expect((first["lines"] as? [Any])?.count == 2 && (first["refunds"] as? [Any])?.count == 1)
            for key in ["subscriptions", "entitlements", "entitlement_log", "entitlement_overrides", "leads", "sessions", "login_links", "emails",
                        "outgoing_events", "payment_events"] {
                #expect((document[key] as? [Any])?.isEmpty == false, "\(key) is empty")
            }
            let text = String(buffer: response.body)
            #expect(!text.contains("id_hash") && !text.contains("token_hash"))
            #expect(text.contains("/account/login/[redacted]"), "the sign-in email is exported without its token")
            let audit = (document["audit_log"] as? [[String: Any]] ?? []).compactMap { $0["action"] as? String }
            #expect(audit.contains("entitlement.grant") && audit.contains("order.refund"), "\(audit)")
            let payment = (document["payment_events"] as? [[String: Any]] ?? []).compactMap { $0["payload"] as? [String: Any] }
            #expect(payment.contains { "\($0)".contains(Self.name) }, "the provider's event with her name is in the export")

            // Support may export; an analyst may not; nobody unknown is found.
            let analyst = try await StaffCredentials(checkout.configuration.storageLocation).createKey(name: "reports", role: .analyst).secret
            let forbidden = try await client.json(.get, "/api/admin/customers/\(Self.email)/export", headers: [.authorization: "Bearer \(analyst)"])
            #expect(forbidden.status == .forbidden && forbidden.errorMessage?.contains("analyst") == true)
            let nobody = try await client.json(.get, "/api/admin/customers/nobody%40example.com/export", headers: admin)
            #expect(nobody.status == .notFound && nobody.errorMessage?.contains("nobody@example.com") == true)
            let bad = try await client.json(.post, "/api/admin/customers/nobody%40example.com/erase", ["reason": String(repeating: "x", count: 501)], headers: admin)
            #expect(bad.status == .unprocessableContent && bad.errorField == "reason")
        }
    }

    @Test func anErasureTouchesThatAddressOnlyAndWaitsForAnOpenCheckout() async throws {
        let checkout = try TestCheckout()
        try await checkout.run { client, control in
            _ = try await client.json(.post, "/api/admin/webhooks", ["url": "http://127.0.0.1:9/hook", "events": ["*"]], headers: admin)
            for email in ["jo@example.com", "bobjo@example.com", "jo@example.com.au", "Ünal@example.com"] {
                _ = try await client.buy([("HS-DIGITAL-PLANNER", 1)], email: email)
            }
            // Found whatever the case of a non-ASCII letter, on both databases, and in the mail folder.
            #expect(try await client.execute(uri: "/api/admin/customers/%C3%BCnal%40example.com/export", method: .get, headers: admin).status == .ok)
            await control.sendPendingMail()
            let receipt = try #require(SentEmail.all(in: checkout.configuration.mailFolder).first { $0.to == "Ünal@example.com" })
            // A stray copy whose row is gone (as a retention purge leaves none) is found by its text.
            try receipt.raw.write(toFile: checkout.configuration.mailFolder + "/stray-copy.eml", atomically: true, encoding: .utf8)
            let unal = try await client.json(.post, "/api/admin/customers/%C3%BCnal%40example.com/erase", [:], headers: admin)
            #expect(unal.status == .ok && unal["mail_files"] as? Int == 2, "\(unal.text)")
            #expect(!SentEmail.all(in: checkout.configuration.mailFolder).contains { $0.to == "Ünal@example.com" })

            // An unpaid checkout may still be paid: the erasure waits until its session has ended.
            let cart = try await client.cart([("KB-NOAH-COLORING-A4", 1)])
            let open = try await client.json(.post, "/api/checkout", ["cart_id": cart, "email": "jo@example.com"])
            let waiting = try await client.json(.post, "/api/admin/customers/jo%40example.com/erase", [:], headers: admin)
            #expect(waiting.status == .conflict && waiting.errorMessage?.contains(open["order_id"] as? String ?? "?") == true, "\(waiting.text)")
            checkout.time.advance(31 * 60)
            let erased = try await client.json(.post, "/api/admin/customers/jo%40example.com/erase", [:], headers: admin)
            #expect(erased.status == .ok && (erased["orders"] as? [String])?.count == 2, "\(erased.text)")

            for other in ["bobjo%40example.com", "jo%40example.com.au"] {
                let export = try await client.execute(uri: "/api/admin/customers/\(other)/export", method: .get, headers: admin)
                let text = String(buffer: export.body)
                #expect(export.status == .ok && text.contains("order.paid") && !text.contains("erased_"), "\(other) is untouched")
            }
            let left = try await Self.search(checkout, for: ["\"jo@example.com\""])
            #expect(left.isEmpty, "\(left)")
        }
    }

    @Test func supportMayExportButOnlyTheOwnerErases() async throws {
        let checkout = try TestCheckout()
        try await checkout.run { client, _ in
            _ = try await client.buy([("HS-DIGITAL-PLANNER", 1)], email: "s@example.com")
            let support = try await StaffCredentials(checkout.configuration.storageLocation).createKey(name: "desk", role: .support).secret
            let headers: HTTPFields = [.authorization: "Bearer \(support)"]
            #expect(try await client.execute(uri: "/api/admin/customers/s@example.com/export", method: .get, headers: headers).status == .ok)
            let erase = try await client.json(.post, "/api/admin/customers/s@example.com/erase", [:], headers: headers)
            #expect(erase.status == .forbidden && erase.errorMessage?.contains("erase personal data") == true, "\(erase.text)")
            #expect(try await client.json(.get, "/api/admin/customers/s@example.com", headers: admin).status == .ok)
        }
    }

    @Test func theRetentionJobPurgesOnlyWhatIsPastItsPeriod() async throws {
        var made = try TestCheckout()
        made.configuration.retention.unconfirmedLeads = 10 * 86_400
        made.configuration.retention.sentEmails = 20 * 86_400
        let checkout = made
        try await checkout.run { client, control in
            _ = try await client.json(.post, "/api/admin/webhooks", ["url": "http://127.0.0.1:9/hook", "events": ["*"]], headers: admin)
            #expect(try await client.json(.post, "/api/leads", ["email": "old@example.com", "magnet": "scripture-memory-cards"]).status == .accepted)
            _ = try await client.buy([("HS-DIGITAL-PLANNER", 1)], email: "buyer@example.com")
            _ = try await client.signIn("buyer@example.com", checkout: checkout, control: control)
            await control.sendPendingMail()
            #expect(try await control.purgeExpiredData().total == 0, "nothing is old yet")

            checkout.time.advance(11 * 86_400)
            #expect(try await client.json(.post, "/api/leads", ["email": "new@example.com", "magnet": "scripture-memory-cards"]).status == .accepted)
            let first = try await control.purgeExpiredData()
            #expect(first.counts["unconfirmed_leads"] == 1 && first.counts["sessions"] == 0 && first.counts["login_links"] == 1, "\(first.counts)")
            #expect(first.counts["emails"] == 0)
            let leads = try await client.json(.get, "/api/admin/leads", headers: admin)
            #expect(leads.text.contains("new@example.com") && !leads.text.contains("old@example.com"))

            checkout.time.advance(21 * 86_400)
            let second = try await control.purgeExpiredData()
            #expect((second.counts["emails"] ?? 0) >= 2 && (second.counts["payment_event_payloads"] ?? 0) >= 1, "\(second.counts)")
            #expect(second.counts["sessions"] == 1, "the 30-day session, a day after it expired: \(second.counts)")
            #expect(try await client.json(.get, "/api/admin/orders?email=buyer%40example.com", headers: admin).text.contains("paid"), "orders are kept")
            #expect(checkout.emails().isEmpty, "the purged emails' files went with them")
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            let purged = metrics.split(separator: "\n").filter { $0.hasPrefix("checkout_retention_purged_total") }
            #expect(purged.contains("checkout_retention_purged_total{kind=\"unconfirmed_leads\"} 2"), "\(purged)")
        }
    }

    static func panel(_ dashboard: JSONReply, _ id: String) -> String {
        let panel = (dashboard["panels"] as? [[String: Any]])?.first { $0["id"] as? String == id }
        return "\(panel?["headline"] ?? "") \(panel?["rows"] ?? "")"
    }

    /// Where any of `needles` (lower case) still appears: `table` for a row of a table (every column
    /// as text, blobs as UTF-8), a file name for the SQLite database, its write-ahead log, or an email.
    static func search(_ checkout: TestCheckout, for needles: [String]) async throws -> [String] {
        let onPostgres = checkout.configuration.databaseURL != nil
        var found = try await readStored(checkout.configuration.storageLocation) { tx -> [String] in
            let tables: [String] = onPostgres
                ? try tx.sql.values("SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema()")
                : try tx.sql.values("SELECT name FROM sqlite_master WHERE type = 'table'")
            return try tables.filter { table in
                try tx.sql.query("SELECT * FROM \(table)", []).contains { row in
                    row.values.contains { value in
                        let text: String
                        switch value {
                        case .text(let string): text = string
                        case .blob(let data): text = String(decoding: data, as: UTF8.self)
                        default: return false
                        }
                        return needles.contains { text.lowercased().contains($0) }
                    }
                }
            }
        }
        var files = SentEmail.all(in: checkout.configuration.mailFolder).isEmpty ? [] : [checkout.configuration.mailFolder]
        if !onPostgres { files += [checkout.configuration.databasePath, checkout.configuration.databasePath + "-wal"] }
        for folder in files where folder == checkout.configuration.mailFolder {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
                let text = ((try? String(contentsOfFile: folder + "/" + name, encoding: .utf8)) ?? "").lowercased()
                if needles.contains(where: text.contains) { found.append(name) }
            }
        }
        for file in files where file != checkout.configuration.mailFolder {
            let bytes = Array(FileManager.default.contents(atPath: file) ?? Data())
            if needles.contains(where: { CustomerData.contains(bytes, Array($0.utf8)) }) { found.append((file as NSString).lastPathComponent) }
        }
        return found
    }
}
