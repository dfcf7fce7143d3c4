import CheckoutKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite struct SubscriptionTests {
    /// Subscribe → the niche's files download; a failed payment past the grace period stops them; a
    /// renewal brings them back; cancelling ends them.
    @Test func aMembershipGrantsItsNichesWhileItIsPaid() async throws {
        var setup = try TestCheckout()
        // Links outlive the jump past the grace period, so refusing one proves the entitlement ended.
        setup.configuration.linkLifetime = 90 * 86_400
        let checkout = setup
        try await checkout.run { client, control in
            let (_, page) = try await client.subscribe("homeschool-helper", email: "member@example.com")
            var cookie = try await client.signIn("member@example.com", checkout: checkout, control: control)
            var account = try await client.account(cookie)
            let subscription = try #require((account["subscriptions"] as? [[String: Any]])?.first)
            #expect(subscription["status"] as? String == "active")
            #expect(subscription["plan"] as? String == "homeschool-helper")
            var downloads = accountDownloads(account)
            let homeschool = exampleCatalog.productsByNiche["homeschool"]!.map(\.sku)
            #expect(Set(downloads.keys) == Set(homeschool), "every homeschool product, nothing else")
            #expect(try await client.get(try #require(downloads["HS-DIGITAL-PLANNER"]?.first)).status == .ok)

            let failed = try await client.execute(uri: page + "/fail-payment", method: .post)
            #expect(failed.status == .found)
            account = try await client.account(cookie)
            #expect((account["subscriptions"] as? [[String: Any]])?.first?["status"] as? String == "past_due")
            downloads = accountDownloads(account)
            #expect(try await client.get(try #require(downloads["HS-DIGITAL-PLANNER"]?.first)).status == .ok, "within the grace period")
            await control.sendPendingMail()
            #expect(checkout.emails().contains { $0.subject.contains("payment did not go through") && $0.to == "member@example.com" })

            checkout.time.advance(30 * 86_400 + 3 * 86_400 + 60)
            let lapsed = try await client.get(try #require(downloads["HS-DIGITAL-PLANNER"]?.first))
            #expect(lapsed.status == .forbidden, "past the grace period")
            cookie = try await client.signIn("member@example.com", checkout: checkout, control: control)
            account = try await client.account(cookie)
            #expect(accountDownloads(account).isEmpty)
            #expect((account["subscriptions"] as? [[String: Any]])?.first?["access"] as? Bool == false)

            #expect(try await client.execute(uri: page + "/renew", method: .post).status == .found)
            account = try await client.account(cookie)
            downloads = accountDownloads(account)
            #expect((account["subscriptions"] as? [[String: Any]])?.first?["status"] as? String == "active")
            #expect(try await client.get(try #require(downloads["HS-DIGITAL-PLANNER"]?.first)).status == .ok, "renewed")

            #expect(try await client.execute(uri: page + "/cancel", method: .post).status == .found)
            account = try await client.account(cookie)
            #expect((account["subscriptions"] as? [[String: Any]])?.first?["status"] as? String == "canceled")
            #expect(try await client.get(try #require(downloads["HS-DIGITAL-PLANNER"]?.first)).status == .forbidden)
        }
    }

    @Test func aTrialGrantsAccessAndTheAccountCanCancelAndResume() async throws {
        let checkout = try TestCheckout()
        try await checkout.run { client, control in
            _ = try await client.subscribe("kids-bible-club", email: "trial@example.com")
            let cookie = try await client.signIn("trial@example.com", checkout: checkout, control: control)
            let account = try await client.account(cookie)
            let subscription = try #require((account["subscriptions"] as? [[String: Any]])?.first)
            #expect(subscription["status"] as? String == "trialing")
            #expect(accountDownloads(account)["KB-NOAH-COLORING"] != nil)
            let id = try #require(subscription["id"] as? String)
            let cancelled = try await client.json(.post, "/api/account/subscriptions/\(id)/cancel", headers: cookie)
            #expect(cancelled.status == .ok, "\(cancelled.text)")
            #expect(cancelled["cancel_at_period_end"] as? Bool == true)
            #expect(accountDownloads(try await client.account(cookie))["KB-NOAH-COLORING"] != nil, "access lasts to the period end")
            let resumed = try await client.json(.post, "/api/account/subscriptions/\(id)/resume", headers: cookie)
            #expect(resumed["cancel_at_period_end"] as? Bool == false)
            let stranger = try await client.json(.post, "/api/account/subscriptions/\(id)/cancel")
            #expect(stranger.status == .unauthorized)
            #expect(stranger.errorCode == "not_signed_in")
        }
    }

    @Test func productsAddedToAPlansNicheLaterAreIncluded() async throws {
        let checkout = try TestCheckout { $0 + """

            product HS-NEW-LATER
              slug: new-later
              title: Added Later
              niche: homeschool
              price: 1.00 USD
              files: products/homeschool-digital-planner.pdf

            """ }
        try await checkout.run { client, control in
            _ = try await client.subscribe("homeschool-helper", email: "later@example.com")
            let cookie = try await client.signIn("later@example.com", checkout: checkout, control: control)
            #expect(accountDownloads(try await client.account(cookie))["HS-NEW-LATER"] != nil)
        }
    }

    @Test func planCheckoutRefusesUnknownPlansAndBadEmails() async throws {
        try await TestCheckout().run { client in
            let unknown = try await client.json(.post, "/api/plans/gold/checkout", ["email": "a@example.com"])
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.errorField == "plan")
            let bad = try await client.json(.post, "/api/plans/all-access/checkout", ["email": "nope"])
            #expect(bad.errorField == "email")
        }
    }

    @Test func thePlansPageFormRedirectsToThePaymentPage() async throws {
        try await TestCheckout().run { client in
            let response = try await client.execute(
                uri: "/plans/all-access/checkout", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: .init(string: "email=form%40example.com"))
            #expect(response.status == .found)
            #expect(response.headers[.location]?.contains("/test-pay/cs_test_") == true)
        }
    }
}
