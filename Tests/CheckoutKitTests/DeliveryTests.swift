import CheckoutKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite struct DeliveryTests {
    /// Buy a bundle → the receipt has working links → each file downloads until the limit.
    @Test func aBundleReceiptsLinksDownloadUntilTheLimit() async throws {
        let checkout = try TestCheckout()
        try await checkout.run { client, control in
            let order = try await client.buy([("BND-PD-JOURNALS", 1)], email: "bundle@example.com")
            #expect(try await client.status(of: order) == "paid")
            await control.sendPendingMail()
            #expect(checkout.emails().count == 1, "one receipt")
            let receipt = try #require(checkout.emails().first)
            #expect(receipt.to == "bundle@example.com")
            #expect(receipt.subject.contains("Your Mustard Seed Printables order"))
            let bundle = exampleCatalog.bundlesBySKU["BND-PD-JOURNALS"]!
            let products = exampleCatalog.contents(of: bundle)
            for product in products { #expect(receipt.body.contains(product.title), "receipt lists \(product.title)") }
            let links = receipt.links.filter { $0.contains("/downloads/") }
            #expect(links.count >= products.count)

            let first = try #require(links.first)
            for attempt in 1...5 {
                let response = try await client.get(first)
                #expect(response.status == .ok, "download \(attempt)")
                #expect(response.headers[.contentType] == "application/pdf")
                #expect(response.headers[.contentDisposition]?.contains("attachment; filename=\"") == true)
                #expect(String(buffer: response.body).hasPrefix("%PDF"))
            }
            let partial = try await client.get(first, headers: [.range: "bytes=0-3"])
            #expect(partial.status == .partialContent, "range requests still work and are not counted")
            #expect(String(buffer: partial.body) == "%PDF")
            let over = try await client.get(first)
            #expect(over.status == .forbidden)
            #expect(String(buffer: over.body).contains("Download limit reached"))
            let other = try await client.get(links[1])
            #expect(other.status == .ok, "the limit is per file")
        }
    }

    /// The thank-you page's order JSON carries the download links once paid.
    @Test func thePaidOrderCarriesItsDownloads() async throws {
        try await TestCheckout().run { client in
            let order = try await client.buy([("HS-DIGITAL-PLANNER", 1)])
            let json = try await client.json(.get, "/api/orders/\(order.id)?token=\(order.token)")
            let downloads = try #require(json["downloads"] as? [[String: Any]])
            #expect(downloads.first?["sku"] as? String == "HS-DIGITAL-PLANNER")
            let url = try #require((downloads.first?["files"] as? [[String: Any]])?.first?["url"] as? String)
            #expect(try await client.get(url).status == .ok)
        }
    }

    /// Refund one line → its files stop; the other line's keep working.
    @Test func refundingOneLineRevokesOnlyThatLine() async throws {
        let checkout = try TestCheckout()
        try await checkout.run { client, control in
            let order = try await client.buy([("HS-DIGITAL-PLANNER", 1), ("KB-NOAH-COLORING-A4", 1)], email: "refund@example.com")
            let json = try await client.json(.get, "/api/orders/\(order.id)?token=\(order.token)")
            let lines = try #require(json["lines"] as? [[String: Any]])
            let downloads = try #require(json["downloads"] as? [[String: Any]])
            func url(_ sku: String) -> String {
                (downloads.first { $0["sku"] as? String == sku }?["files"] as? [[String: Any]])?.first?["url"] as? String ?? ""
            }
            let planner = url("HS-DIGITAL-PLANNER"), noah = url("KB-NOAH-COLORING")
            #expect(try await client.get(planner).status == .ok)

            let unauthorized = try await client.json(.post, "/api/admin/orders/\(order.id)/refunds", ["line_id": lines[0]["id"] as? String ?? ""])
            #expect(unauthorized.status == .unauthorized)
            let refund = try await client.json(
                .post, "/api/admin/orders/\(order.id)/refunds", ["line_id": lines[0]["id"] as? String ?? ""],
                headers: [.authorization: "Bearer \(TestCheckout.adminToken)"])
            #expect(refund.status == .ok, "\(refund.text)")
            #expect(refund["status"] as? String == "partially_refunded")
            #expect((refund["lines"] as? [[String: Any]])?.first?["refunded"] as? Bool == true)

            let revoked = try await client.get(planner)
            #expect(revoked.status == .forbidden)
            #expect(String(buffer: revoked.body).contains("no longer available"))
            #expect(try await client.get(noah).status == .ok, "the other line keeps working")

            let again = try await client.json(
                .post, "/api/admin/orders/\(order.id)/refunds", ["line_id": lines[0]["id"] as? String ?? ""],
                headers: [.authorization: "Bearer \(TestCheckout.adminToken)"])
            #expect(again.errorField == "line_id")
            _ = control
        }
    }

    @Test func anExpiredLinkIsRefusedWith410() async throws {
        let checkout = try TestCheckout()
        try await checkout.run { client in
            let order = try await client.buy([("HS-DIGITAL-PLANNER", 1)])
            let json = try await client.json(.get, "/api/orders/\(order.id)?token=\(order.token)")
            let url = try #require(((json["downloads"] as? [[String: Any]])?.first?["files"] as? [[String: Any]])?.first?["url"] as? String)
            checkout.time.advance(24 * 3600 + 1)
            let response = try await client.get(url)
            #expect(response.status == .gone)
            #expect(String(buffer: response.body).contains("has expired"))
            #expect(String(buffer: response.body).contains("/account/"), "the page says how to get a new link")
        }
    }

    @Test(arguments: ["payload", "signature", "truncated", "garbage"])
    func aTamperedLinkIsRefusedWith403(part: String) async throws {
        try await TestCheckout().run { client in
            let order = try await client.buy([("HS-DIGITAL-PLANNER", 1)])
            let json = try await client.json(.get, "/api/orders/\(order.id)?token=\(order.token)")
            let url = try #require(((json["downloads"] as? [[String: Any]])?.first?["files"] as? [[String: Any]])?.first?["url"] as? String)
            let token = String(url.pathAndQuery.dropFirst("/downloads/".count))
            let pieces = token.split(separator: ".").map(String.init)
            let tampered: String
            switch part {
            case "payload":
                var payload = Data(base64URL: pieces[0])!
                payload[payload.count - 1] ^= 1
                tampered = payload.base64URL + "." + pieces[1]
            case "signature": tampered = pieces[0] + "." + String(pieces[1].reversed())
            case "truncated": tampered = String(token.dropLast(5))
            default: tampered = "not-a-token"
            }
            let response = try await client.execute(uri: "/downloads/" + tampered, method: .get)
            #expect(response.status == .forbidden)
            #expect(String(buffer: response.body).contains("not valid"))
        }
    }

    @Test(arguments: [
        "/downloads/..%2F..%2Fsite.yaml", "/downloads/%2Fetc%2Fpasswd", "/downloads/../../site.yaml", "/downloads/..%252F..%252Fsite.yaml",
    ])
    func pathEscapesInTheURLAreRefused(path: String) async throws {
        try await TestCheckout().run { client in
            let response = try await client.execute(uri: path, method: .get)
            #expect([.forbidden, .notFound].contains(response.status))
            #expect(!String(buffer: response.body).contains("title:"), "no file outside the files folder is served")
        }
    }
}

extension Data {
    init?(base64URL text: String) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        self.init(base64Encoded: base64)
    }

    var base64URL: String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
