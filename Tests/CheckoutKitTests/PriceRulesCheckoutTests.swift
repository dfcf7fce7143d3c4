import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Sales, seat tiers and named prices over HTTP, priced by the one pricing function on every read
/// and charged at checkout time, on both backends.
@Suite struct PriceRulesCheckoutTests {
    /// 2026-11-27 00:00 UTC: the example's Easter book goes on sale (the example shop keeps UTC).
    static let easterSaleStarts: TimeInterval = 1_795_737_600

    @Test func aCartOpenedBeforeASaleStartsShowsTheSalePriceOnItsNextReadAndIsChargedIt() async throws {
        let checkout = try TestCheckout()
        try await checkout.run { client in
            let id = try await client.cart([("KB-EASTER-COLORING-A4", 2)])
            let before = try await client.json(.get, "/api/carts/\(id)")
            let line = try #require((before["lines"] as? [[String: Any]])?.first)
            #expect((line["unit_price"] as? [String: Any])?["amount"] as? Int == 499 && line["regular_unit_price"] == nil)

            checkout.time.advance(Self.easterSaleStarts - checkout.time.now.timeIntervalSince1970)
            let during = try await client.json(.get, "/api/carts/\(id)")
            let reduced = try #require((during["lines"] as? [[String: Any]])?.first)
            #expect((reduced["unit_price"] as? [String: Any])?["amount"] as? Int == 349)
            #expect((reduced["regular_unit_price"] as? [String: Any])?["amount"] as? Int == 499)
            #expect(during.amount("total") == 698)

            let started = try await client.json(.post, "/api/checkout", ["cart_id": id, "email": "sale@example.com"])
            #expect(started.status == .created, "\(started.text)")
            let order = try await client.json(
                .get, "/api/orders/\(started["order_id"] as? String ?? "")?token=\(started["order_token"] as? String ?? "")")
            #expect(order.amount("total") == 698, "charged the price valid at checkout time")
        }
    }

    @Test func theSeatTierForTheQuantityPricesEverySeat() async throws {
        try await TestCheckout().run { client in
            let id = try await client.cart([("HS-COOP-CURRICULUM", 4)])
            #expect(try await client.json(.get, "/api/carts/\(id)").amount("total") == 4 * 1900)
            let lineID = try #require(((try await client.json(.get, "/api/carts/\(id)"))["lines"] as? [[String: Any]])?.first?["id"] as? String)
            let five = try await client.json(.patch, "/api/carts/\(id)/lines/\(lineID)", ["quantity": 5])
            let line = try #require((five["lines"] as? [[String: Any]])?.first)
            #expect((line["unit_price"] as? [String: Any])?["amount"] as? Int == 1500)
            #expect(line["tier_minimum_quantity"] as? Int == 5)
            #expect(five.amount("total") == 7500)
            let twenty = try await client.json(.patch, "/api/carts/\(id)/lines/\(lineID)", ["quantity": 20])
            #expect(twenty.amount("total") == 20 * 1200)
        }
    }

    @Test func aNamedPriceIsTakenOnlyAtOrAboveTheMinimumAndIsWhatTheOrderCharges() async throws {
        try await TestCheckout().run { client in
            let low = try await client.json(.post, "/api/carts", ["lines": [["sku": "PD-GRATITUDE-DAYS", "quantity": 1, "amount": 150]]])
            #expect(low.status == .unprocessableContent)
            #expect(low.errorField == "lines.0.amount")
            #expect(low.errorMessage?.contains("PD-GRATITUDE-DAYS") == true && low.errorMessage?.contains("$2.00") == true, "\(low.text)")
            let empty = try await client.cart()
            let below = try await client.json(.post, "/api/carts/\(empty)/lines", ["sku": "PD-GRATITUDE-DAYS", "amount": 199])
            #expect(below.status == .unprocessableContent && below.errorCode == "amount_below_minimum" && below.errorField == "amount")

            let fixed = try await client.json(.post, "/api/carts/\(empty)/lines", ["sku": "KB-NOAH-COLORING-A4", "amount": 100])
            #expect(fixed.errorCode == "amount_not_accepted" && fixed.errorMessage?.contains("KB-NOAH-COLORING-A4") == true, "\(fixed.text)")

            let named = try await client.json(.post, "/api/carts", ["lines": [["sku": "PD-GRATITUDE-DAYS", "quantity": 2, "amount": 700]]])
            #expect(named.status == .created, "\(named.text)")
            #expect(named.amount("total") == 1400)
            let id = try #require(named["id"] as? String)
            let coupon = try await client.json(.post, "/api/carts/\(id)/coupon", ["code": "WELCOME10"])
            #expect(coupon.amount("total") == 1260, "a coupon on a named price above its minimum")

            let raised = try await client.json(.post, "/api/carts/\(id)/lines", ["sku": "PD-GRATITUDE-DAYS", "amount": 900])
            #expect(raised.amount("subtotal") == 3 * 900, "adding again with a new amount names the price of every unit")

            let started = try await client.json(.post, "/api/checkout", ["cart_id": id, "email": "named@example.com"])
            let order = try await client.json(
                .get, "/api/orders/\(started["order_id"] as? String ?? "")?token=\(started["order_token"] as? String ?? "")")
            let line = try #require((order["lines"] as? [[String: Any]])?.first)
            #expect((line["unit_price"] as? [String: Any])?["amount"] as? Int == 900)
            #expect(order.amount("total") == 2430)
        }
    }

    @Test func aNamedPriceTypedInTheFormIsCheckedAndKept() async throws {
        try await TestCheckout().run { client in
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            let low = try await client.execute(
                uri: "/cart/add", method: .post, headers: form, body: .init(string: "sku=PD-GRATITUDE-DAYS&amount=1.50&return_to=%2Fshop%2F"))
            #expect(low.status == .unprocessableContent)
            #expect(String(buffer: low.body).contains("'PD-GRATITUDE-DAYS' costs at least $2.00"))
            let typo = try await client.execute(
                uri: "/cart/add", method: .post, headers: form, body: .init(string: "sku=PD-GRATITUDE-DAYS&amount=five&return_to=%2Fshop%2F"))
            #expect(String(buffer: typo.body).contains("'five' is not an amount in USD"))
            let added = try await client.execute(
                uri: "/cart/add", method: .post, headers: form, body: .init(string: "sku=PD-GRATITUDE-DAYS&amount=7.50&return_to=%2Fshop%2F"))
            #expect(added.status == .found)
            let cookie = try #require(added.headers[.setCookie]?.split(separator: ";").first.map(String.init))
            let cart = try await client.json(.get, "/api/carts/\(cookie.dropFirst("checkout_cart=".count))")
            #expect(cart.amount("total") == 750)
        }
    }
}

/// Member prices: a signed-in member of a plan with a `member-discount` pays less for what the plan
/// does not already grant, the cart says so, and the order is charged it.
@Suite struct MemberPriceTests {
    @Test func aSignedInMemberGetsTheMemberPriceOnWhatThePlanDoesNotGrant() async throws {
        let checkout = try TestCheckout()
        try await checkout.run { client, control in
            _ = try await client.subscribe("faith-at-home", email: "member@example.com")
            let cookie = try await client.signIn("member@example.com", checkout: checkout, control: control)
            // Noah's Ark is Kids Bible (not in Faith at Home); the prayer journal is granted already.
            let id = try await client.cart([("KB-NOAH-COLORING-A4", 1), ("PD-PRAYER-JOURNAL", 1)])
            let anonymous = try await client.json(.get, "/api/carts/\(id)")
            #expect(anonymous["member_discount"] == nil && anonymous.amount("discount") == 0)

            let member = try await client.json(.get, "/api/carts/\(id)", headers: cookie)
            #expect(member.amount("member_discount") == 100, "20% of $4.99, rounded half up")
            #expect(member["member_plan"] as? String == "Faith at Home")
            let lines = try #require(member["lines"] as? [[String: Any]])
            #expect(lines.map { ($0["discount"] as? [String: Any])?["amount"] as? Int } == [100, 0], "nothing off what the plan grants")
            let total = try #require(member.amount("total"))
            #expect(total == (anonymous.amount("total") ?? 0) - 100)

            let coupon = try await client.json(.post, "/api/carts/\(id)/coupon", ["code": "WELCOME10"], headers: cookie)
            #expect(anonymous.amount("total") == 499 + 999)
            #expect(coupon.amount("discount") == 100 + 140, "the coupon takes 10% of what is left: $3.99 + $9.99")

            let started = try await client.json(.post, "/api/checkout", ["cart_id": id, "email": "member@example.com"], headers: cookie)
            #expect(started.status == .created, "\(started.text)")
            let order = try await client.json(
                .get, "/api/orders/\(started["order_id"] as? String ?? "")?token=\(started["order_token"] as? String ?? "")")
            #expect(order.amount("total") == coupon.amount("total"), "charged the member price")
        }
    }
}
