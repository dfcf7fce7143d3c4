import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite struct CheckoutFlowTests {
    /// The test provider hands its events to the processor in process, so a whole purchase, a
    /// refund and a membership's end work without a socket (`.router`).
    @Test func aPurchaseRefundAndCancellationNeedNoSocket() async throws {
        let checkout = try TestCheckout()
        try await checkout.app().test(.router) { client in
            let order = try await client.buy([("HS-DIGITAL-PLANNER", 1), ("KB-NOAH-COLORING-A4", 1)], email: "router@example.com")
            let paid = try await client.json(.get, "/api/orders/\(order.id)?token=\(order.token)")
            #expect(paid["status"] as? String == "paid")
            let line = try #require((paid["lines"] as? [[String: Any]])?.first?["id"] as? String)
            let refund = try await client.json(
                .post, "/api/admin/orders/\(order.id)/refunds", ["line_id": line],
                headers: [.authorization: "Bearer \(TestCheckout.adminToken)"])
            #expect(refund.status == .ok, "\(refund.text)")
            #expect(refund["status"] as? String == "partially_refunded")
            #expect(refund.amount("amount_refunded") == 1299, "the planner's 12.99, counted once though the provider's events came first")
            #expect((refund["lines"] as? [[String: Any]])?.first?["refunded"] as? Bool == true)

            let (membership, page) = try await client.subscribe("kids-bible-club", email: "member@example.com")
            #expect(try await client.execute(uri: page + "/cancel", method: .post).status == .found, "order \(membership)")
        }
    }

    /// Cart → checkout → the test provider's page → pay → signed webhook → order paid, over real HTTP.
    @Test func buyTwoProductsEndToEndWithTheTestProvider() async throws {
        try await TestCheckout().run { client in
            let cart = try await client.cart([("KB-NOAH-COLORING-A4", 1), ("HS-DIGITAL-PLANNER", 2)])
            let priced = try await client.json(.get, "/api/carts/\(cart)")
            let expected = try #require(priced.amount("total"))
            let checkout = try await client.json(
                .post, "/api/checkout", ["cart_id": cart, "email": "Ann@Example.com", "total": ["amount": 1], "price": 1])
            #expect(checkout.status == .created, "\(checkout.text)")
            let orderID = try #require(checkout["order_id"] as? String)
            let token = try #require(checkout["order_token"] as? String)
            let paymentURL = try #require(checkout["payment_url"] as? String)
            let path = String(paymentURL[try #require(paymentURL.range(of: "/test-pay/")).lowerBound...])

            let before = try await client.json(.get, "/api/orders/\(orderID)?token=\(token)")
            #expect(before["status"] as? String == "pending")
            #expect(before.amount("total") == expected)
            #expect(before["email"] as? String == "Ann@example.com")

            let page = try await client.execute(uri: path, method: .get)
            #expect(page.status == .ok)
            #expect(String(buffer: page.body).contains("Pay $"))

            let paid = try await client.execute(uri: path + "/pay", method: .post)
            #expect(paid.status == .found)
            #expect(paid.headers[.location] == "https://shop.example/thank-you/?order=\(orderID)&token=\(token)")

            let after = try await client.json(.get, "/api/orders/\(orderID)?token=\(token)")
            #expect(after["status"] as? String == "paid")
            #expect(after.amount("total") == expected, "a client-sent total changes nothing")
            #expect(after["paid_at"] as? String != nil)
            let lines = try #require(after["lines"] as? [[String: Any]])
            #expect(lines.compactMap { $0["sku"] as? String } == ["KB-NOAH-COLORING-A4", "HS-DIGITAL-PLANNER"])

            let again = try await client.execute(uri: path + "/pay", method: .post)
            #expect(again.status == .found, "paying twice just shows the order")
        }
    }

    @Test func declinedPaymentsFailTheOrder() async throws {
        try await TestCheckout().run { client in
            let cart = try await client.cart([("KB-NOAH-COLORING-A4", 1)])
            let checkout = try await client.json(.post, "/api/checkout", ["cart_id": cart, "email": "b@example.com"])
            let url = try #require(checkout["payment_url"] as? String)
            let path = String(url[try #require(url.range(of: "/test-pay/")).lowerBound...])
            let declined = try await client.execute(uri: path + "/decline", method: .post)
            #expect(declined.headers[.location] == "https://shop.example/cart/?payment=declined")
            let order = try await client.json(
                .get, "/api/orders/\(checkout["order_id"] as? String ?? "")?token=\(checkout["order_token"] as? String ?? "")")
            #expect(order["status"] as? String == "failed")
        }
    }

    @Test func theSameIdempotencyKeyGivesTheSameOrderAndAnotherBodyIsAConflict() async throws {
        try await TestCheckout().run { client in
            let cart = try await client.cart([("KB-NOAH-COLORING-A4", 1)])
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "order-attempt-1"]
            let first = try await client.json(.post, "/api/checkout", ["cart_id": cart, "email": "c@example.com"], headers: key)
            let second = try await client.json(.post, "/api/checkout", ["cart_id": cart, "email": "c@example.com"], headers: key)
            #expect(first.status == .created)
            #expect(second.status == .created)
            #expect(first["order_id"] as? String == second["order_id"] as? String)
            #expect(first["payment_url"] as? String == second["payment_url"] as? String)
            let conflict = try await client.json(.post, "/api/checkout", ["cart_id": cart, "email": "other@example.com"], headers: key)
            #expect(conflict.status == .conflict)
            #expect(conflict.errorCode == "idempotency_key_reused")
            #expect(conflict.errorField == "Idempotency-Key")
            let unkeyed = try await client.json(.post, "/api/checkout", ["cart_id": cart, "email": "c@example.com"])
            #expect(unkeyed["order_id"] as? String != first["order_id"] as? String)
        }
    }

    @Test func checkoutRefusesBadInputNamingTheField() async throws {
        try await TestCheckout().run { client in
            let empty = try await client.cart()
            let emptyReply = try await client.json(.post, "/api/checkout", ["cart_id": empty, "email": "d@example.com"])
            #expect(emptyReply.status == .unprocessableContent)
            #expect(emptyReply.errorCode == "empty_cart")
            #expect(emptyReply.errorField == "cart_id")
            let cart = try await client.cart([("KB-NOAH-COLORING-A4", 1)])
            let badEmail = try await client.json(.post, "/api/checkout", ["cart_id": cart, "email": "not an email"])
            #expect(badEmail.errorField == "email")
            #expect(badEmail.errorMessage?.contains("not an email") == true)
            let noCart = try await client.json(.post, "/api/checkout", ["cart_id": "cart_missing", "email": "d@example.com"])
            #expect(noCart.status == .notFound)
            #expect(noCart.errorField == "cart_id")
            let missing = try await client.json(.post, "/api/checkout", ["email": "d@example.com"])
            #expect(missing.errorField == "cart_id")
        }
    }

    @Test func ordersNeedTheirToken() async throws {
        try await TestCheckout().run { client in
            let cart = try await client.cart([("KB-NOAH-COLORING-A4", 1)])
            let checkout = try await client.json(.post, "/api/checkout", ["cart_id": cart, "email": "e@example.com"])
            let id = try #require(checkout["order_id"] as? String)
            for uri in ["/api/orders/\(id)", "/api/orders/\(id)?token=guess", "/api/orders/ord_missing?token=x"] {
                let reply = try await client.json(.get, uri)
                #expect(reply.status == .notFound)
                #expect(reply.errorCode == "order_not_found")
            }
        }
    }

    @Test func bundleLinesFreezeTheProductsTheyGrant() async throws {
        try await TestCheckout().run { client in
            let cart = try await client.cart([("BND-HS-PLANNERS", 1)])
            let checkout = try await client.json(.post, "/api/checkout", ["cart_id": cart, "email": "f@example.com"])
            let order = try await client.json(
                .get, "/api/orders/\(checkout["order_id"] as? String ?? "")?token=\(checkout["order_token"] as? String ?? "")")
            let line = try #require((order["lines"] as? [[String: Any]])?.first)
            #expect(line["kind"] as? String == "bundle")
            #expect((line["unit_price"] as? [String: Any])?["amount"] as? Int == bundlePrice("BND-HS-PLANNERS"))
        }
    }
}
