import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite struct CartAPITests {
    @Test func cartsArePricedFromTheCatalogOnly() async throws {
        try await TestCheckout().run { client in
            let created = try await client.json(.post, "/api/carts")
            #expect(created.status == .created)
            let id = try #require(created["id"] as? String)
            #expect(created.amount("total") == 0)
            let added = try await client.json(
                .post, "/api/carts/\(id)/lines", ["sku": "KB-NOAH-COLORING-A4", "quantity": 2, "price": 1, "unit_price": ["amount": 1]])
            #expect(added.status == .ok)
            #expect(added.amount("subtotal") == 998)
            #expect(added.amount("total") == 998)
            let bundle = try await client.json(.post, "/api/carts/\(id)/lines", ["sku": "BND-HS-PLANNERS", "total": 1])
            let lines = try #require(bundle["lines"] as? [[String: Any]])
            #expect(lines.count == 2)
            #expect((lines[1]["kind"] as? String) == "bundle")
            #expect(bundle.amount("total") == 998 + bundlePrice("BND-HS-PLANNERS"))
            #expect(bundle["item_count"] as? Int == 3)
            let read = try await client.json(.get, "/api/carts/\(id)")
            #expect(read.amount("total") == 998 + bundlePrice("BND-HS-PLANNERS"))
        }
    }

    @Test func aProductSKUAddsItsFirstVariantAndRepeatsMergeIntoOneLine() async throws {
        try await TestCheckout().run { client in
            let id = try await client.cart()
            try await client.json(.post, "/api/carts/\(id)/lines", ["sku": "SW-PSALM-23"])
            let again = try await client.json(.post, "/api/carts/\(id)/lines", ["sku": "SW-PSALM-23", "quantity": 2])
            let lines = try #require(again["lines"] as? [[String: Any]])
            #expect(lines.count == 1)
            #expect(lines[0]["quantity"] as? Int == 3)
            #expect(lines[0]["option"] as? String != nil)
        }
    }

    @Test func linesCanBeChangedAndRemoved() async throws {
        try await TestCheckout().run { client in
            let id = try await client.cart([("KB-NOAH-COLORING-LTR", 1), ("HS-DIGITAL-PLANNER", 1)])
            let cart = try await client.json(.get, "/api/carts/\(id)")
            let lines = try #require(cart["lines"] as? [[String: Any]])
            let first = try #require(lines[0]["id"] as? String)
            let changed = try await client.json(.patch, "/api/carts/\(id)/lines/\(first)", ["quantity": 4])
            #expect((changed["lines"] as? [[String: Any]])?.first?["quantity"] as? Int == 4)
            let removed = try await client.json(.delete, "/api/carts/\(id)/lines/\(first)")
            #expect((removed["lines"] as? [[String: Any]])?.count == 1)
        }
    }

    @Test func couponsDiscountAndCanBeRemoved() async throws {
        try await TestCheckout().run { client in
            let id = try await client.cart([("KB-NOAH-COLORING-LTR", 2)])
            let applied = try await client.json(.post, "/api/carts/\(id)/coupon", ["code": " welcome10 "])
            #expect(applied.status == .ok)
            #expect(applied["coupon"] as? String == "WELCOME10")
            #expect(applied.amount("discount") == 100)
            #expect(applied.amount("total") == 898)
            let removed = try await client.json(.delete, "/api/carts/\(id)/coupon")
            #expect(removed.amount("discount") == 0)
        }
    }

    @Test(arguments: [
        ("NOPE-123", 1, "unknown_sku", "sku"),
        ("KB-NOAH-COLORING-LTR", 0, "invalid_quantity", "quantity"),
        ("KB-NOAH-COLORING-LTR", -3, "invalid_quantity", "quantity"),
        ("KB-NOAH-COLORING-LTR", 101, "invalid_quantity", "quantity"),
    ])
    func badLinesAreRefusedNamingTheField(sku: String, quantity: Int, code: String, field: String) async throws {
        try await TestCheckout().run { client in
            let id = try await client.cart()
            let reply = try await client.json(.post, "/api/carts/\(id)/lines", ["sku": sku, "quantity": quantity])
            #expect(reply.status == .unprocessableContent)
            #expect(reply.errorCode == code)
            #expect(reply.errorField == field)
            #expect(reply.errorMessage?.contains(quantity == 1 ? sku : String(quantity)) == true)
        }
    }

    @Test func anInactiveProductIsRefused() async throws {
        let checkout = try TestCheckout { $0.replacingOccurrences(of: "  slug: noahs-ark-coloring-pages\n", with: "  slug: noahs-ark-coloring-pages\n  status: archived\n") }
        try await checkout.run { client in
            let id = try await client.cart()
            let reply = try await client.json(.post, "/api/carts/\(id)/lines", ["sku": "KB-NOAH-COLORING-A4"])
            #expect(reply.status == .unprocessableContent)
            #expect(reply.errorCode == "product_unavailable")
            #expect(reply.errorField == "sku")
        }
    }

    @Test func aQuantityMergedPastTheLimitIsRefused() async throws {
        try await TestCheckout().run { client in
            let id = try await client.cart([("KB-NOAH-COLORING-LTR", 90)])
            let reply = try await client.json(.post, "/api/carts/\(id)/lines", ["sku": "KB-NOAH-COLORING-LTR", "quantity": 20])
            #expect(reply.errorCode == "invalid_quantity")
            #expect(reply.errorField == "quantity")
        }
    }

    @Test(arguments: [
        ("SUMMER2024", "coupon_expired"),
        ("RETIRED", "coupon_inactive"),
        ("NOSUCHCODE", "unknown_coupon"),
        ("SAVE5", "coupon_minimum_not_met"),
        ("HOMESCHOOL20", "coupon_not_applicable"),
    ])
    func couponsThatDoNotApplyAreRefusedNamingTheField(code: String, error: String) async throws {
        try await TestCheckout().run { client in
            let id = try await client.cart([("KB-NOAH-COLORING-LTR", 1)])
            let reply = try await client.json(.post, "/api/carts/\(id)/coupon", ["code": code])
            #expect(reply.status == .unprocessableContent)
            #expect(reply.errorCode == error)
            #expect(reply.errorField == "code")
            #expect(reply.errorMessage?.contains(code) == true)
        }
    }

    @Test func aCouponThatExpiresAfterBeingAppliedStopsDiscounting() async throws {
        let checkout = try TestCheckout()
        try await checkout.run { client in
            let id = try await client.cart([("KB-NOAH-COLORING-LTR", 1)])
            try await client.json(.post, "/api/carts/\(id)/coupon", ["code": "WELCOME10"])
            checkout.time.advance(6 * 365 * 86400)
            let read = try await client.json(.get, "/api/carts/\(id)")
            #expect(read.amount("discount") == 0)
            #expect((read["coupon_error"] as? [String: Any])?["code"] as? String == "coupon_expired")
            let order = try await client.json(.post, "/api/checkout", ["cart_id": id, "email": "a@example.com"])
            #expect(order.status == .unprocessableContent)
            #expect(order.errorCode == "coupon_expired")
        }
    }

    @Test func unknownCartsAndLinesAre404NamingTheField() async throws {
        try await TestCheckout().run { client in
            let missing = try await client.json(.get, "/api/carts/cart_nope")
            #expect(missing.status == .notFound)
            #expect(missing.errorField == "cart_id")
            let id = try await client.cart()
            let line = try await client.json(.patch, "/api/carts/\(id)/lines/line_nope", ["quantity": 1])
            #expect(line.status == .notFound)
            #expect(line.errorField == "line_id")
        }
    }

    @Test func malformedAndMistypedBodiesAreRefused() async throws {
        try await TestCheckout().run { client in
            let id = try await client.cart()
            let broken = try await client.json(.post, "/api/carts/\(id)/lines", raw: "{\"sku\": ")
            #expect(broken.status == .badRequest)
            #expect(broken.errorCode == "malformed_body")
            let mistyped = try await client.json(.post, "/api/carts/\(id)/lines", ["sku": "KB-NOAH-COLORING-LTR", "quantity": "two"])
            #expect(mistyped.status == .unprocessableContent)
            #expect(mistyped.errorField == "quantity")
            let missing = try await client.json(.post, "/api/carts/\(id)/lines", ["quantity": 1])
            #expect(missing.errorField == "sku")
            let huge = try await client.json(.post, "/api/carts/\(id)/lines", raw: "{\"sku\": \"" + String(repeating: "x", count: 70_000) + "\"}")
            #expect(huge.status == .contentTooLarge)
            #expect(huge.errorCode == "payload_too_large")
        }
    }

    @Test func corsAllowsOnlyTheSiteOrigin() async throws {
        try await TestCheckout().run { client in
            let allowed = try await client.execute(
                uri: "/api/carts", method: .options,
                headers: [.origin: "https://shop.example", .accessControlRequestMethod: "POST"])
            #expect(allowed.headers[.accessControlAllowOrigin] == "https://shop.example")
            let other = try await client.execute(uri: "/api/carts", method: .post, headers: [.origin: "https://evil.example"])
            #expect(other.headers[.accessControlAllowOrigin] != "https://evil.example")
        }
    }
}

/// The cart for shoppers without JavaScript: plain form posts and a cookie.
@Suite struct FormCartTests {
    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    @Test func addToCartThenCheckOutWithPlainForms() async throws {
        try await TestCheckout().run { client in
            let added = try await client.execute(
                uri: "/cart/add", method: .post, headers: Self.form,
                body: .init(string: "sku=KB-NOAH-COLORING-A4&quantity=2&return_to=%2Fproducts%2Fnoahs-ark-coloring-pages%2F"))
            #expect(added.status == .found)
            #expect(added.headers[.location] == "https://shop.example/products/noahs-ark-coloring-pages/#added")
            let cookie = try #require(added.headers[.setCookie]?.split(separator: ";").first.map(String.init))
            #expect(cookie.hasPrefix("checkout_cart=cart_"))
            let cartID = String(cookie.dropFirst("checkout_cart=".count))
            #expect(try await client.json(.get, "/api/carts/\(cartID)").amount("total") == 998, "the script sees the same cart")
            let coupon = try await client.execute(uri: "/cart/coupon", method: .post, headers: Self.form.merging([.cookie: cookie]), body: .init(string: "code=welcome10"))
            #expect(coupon.headers[.location] == "https://shop.example/cart/")
            let checkout = try await client.execute(
                uri: "/cart/checkout", method: .post, headers: Self.form.merging([.cookie: cookie]), body: .init(string: "email=form%40example.com"))
            #expect(checkout.status == .found)
            #expect(checkout.headers[.location]?.contains("/test-pay/") == true)
        }
    }

    @Test func aBadFormPostShowsTheProblemWithAWayBack() async throws {
        try await TestCheckout().run { client in
            let response = try await client.execute(
                uri: "/cart/add", method: .post, headers: Self.form, body: .init(string: "sku=NOPE&return_to=%2Fshop%2F"))
            #expect(response.status == .unprocessableContent)
            let page = String(buffer: response.body)
            #expect(page.contains("'NOPE' is not a product"))
            #expect(page.contains("https://shop.example/shop/"))
            let offsite = try await client.execute(
                uri: "/cart/add", method: .post, headers: Self.form, body: .init(string: "sku=KB-NOAH-COLORING-A4&return_to=%2F%2Fevil.example"))
            #expect(offsite.headers[.location] == "https://shop.example/cart/#added")
        }
    }
}

extension HTTPFields {
    func merging(_ other: HTTPFields) -> HTTPFields {
        var result = self
        for field in other { result[field.name] = field.value }
        return result
    }
}
