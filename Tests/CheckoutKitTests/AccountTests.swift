import CheckoutKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite struct AccountTests {
    @Test func aCustomerSignsInByMagicLinkAndSeesOrdersAndDownloads() async throws {
        let checkout = try TestCheckout()
        try await checkout.run { client, control in
            let order = try await client.buy([("HS-DIGITAL-PLANNER", 1), ("BND-PD-JOURNALS", 1)], email: "ann@example.com")
            let cookie = try await client.signIn("ann@example.com", checkout: checkout, control: control)
            let account = try await client.account(cookie)
            #expect(account["email"] as? String == "ann@example.com")
            #expect((account["orders"] as? [[String: Any]])?.first?["id"] as? String == order.id)
            let downloads = accountDownloads(account)
            #expect(downloads["HS-DIGITAL-PLANNER"] != nil)
            let bundle = exampleCatalog.contents(of: exampleCatalog.bundlesBySKU["BND-PD-JOURNALS"]!)
            for product in bundle { #expect(downloads[product.sku] != nil, "the bundle's \(product.sku)") }
            #expect(try await client.get(try #require(downloads["HS-DIGITAL-PLANNER"]?.first)).status == .ok)

            let signedOut = try await client.json(.post, "/api/account/logout", headers: cookie)
            #expect(signedOut.headers[.setCookie]?.contains("Max-Age=0") == true)
            let after = try await client.json(.get, "/api/account", headers: cookie)
            #expect(after.status == .unauthorized)
        }
    }

    @Test func aSignInLinkWorksOnceAndExpires() async throws {
        let checkout = try TestCheckout()
        try await checkout.run { client, control in
            _ = try await client.buy([("HS-DIGITAL-PLANNER", 1)], email: "once@example.com")
            _ = try await client.json(.post, "/api/account/login", ["email": "once@example.com"])
            await control.sendPendingMail()
            let link = try #require(checkout.emails().last { $0.subject.contains("sign-in") }?.links.first { $0.contains("/account/login/") })
            #expect(try await client.get(link).status == .found)
            let reused = try await client.get(link)
            #expect(reused.status == .gone)
            #expect(String(buffer: reused.body).contains("Ask for a new one"))

            _ = try await client.json(.post, "/api/account/login", ["email": "once@example.com"])
            await control.sendPendingMail()
            let second = try #require(checkout.emails().last { $0.subject.contains("sign-in") }?.links.first { $0.contains("/account/login/") })
            checkout.time.advance(16 * 60)
            #expect(try await client.get(second).status == .gone, "15 minutes only")
        }
    }

    @Test func signingInNeverRevealsWhetherAnAddressIsACustomer() async throws {
        let checkout = try TestCheckout()
        try await checkout.run { client, control in
            _ = try await client.buy([("HS-DIGITAL-PLANNER", 1)], email: "known@example.com")
            await control.sendPendingMail()
            let before = checkout.emails().count
            let known = try await client.json(.post, "/api/account/login", ["email": "known@example.com"])
            let unknown = try await client.json(.post, "/api/account/login", ["email": "stranger@example.com"])
            #expect(known.status == unknown.status)
            #expect(known.text == unknown.text)
            await control.sendPendingMail()
            #expect(checkout.emails().count == before + 1)
            #expect(!checkout.emails().contains { $0.to == "stranger@example.com" })
            let bad = try await client.json(.post, "/api/account/login", ["email": "not-an-address"])
            #expect(bad.errorField == "email")
        }
    }

    @Test func sessionCookiesAreHttpOnlyAndSignInIsRateLimited() async throws {
        var checkout = try TestCheckout()
        checkout.configuration.loginLimitPerAddress = .init(limit: 2, window: 3600)
        let time = checkout.time
        try await checkout.run { client in
            for _ in 0..<2 {
                let reply = try await client.json(.post, "/api/account/login", ["email": "r@example.com"])
                #expect(reply.status == .accepted)
            }
            time.advance(600)
            let limited = try await client.json(.post, "/api/account/login", ["email": "r@example.com"])
            #expect(limited.status == .tooManyRequests)
            #expect(limited.errorCode == "rate_limited")
            // Windows start on the hour (seconds since 1970), so every instance agrees on them.
            let now = Int(time.now.timeIntervalSince1970)
            let untilNextHour = 3600 - now % 3600
            #expect(limited.headers[.retryAfter] == String(untilNextHour), "the hour-long window ends on the hour")
            time.advance(TimeInterval(untilNextHour))
            #expect(try await client.json(.post, "/api/account/login", ["email": "r@example.com"]).status == .accepted, "and then it may")
        }
    }
}
