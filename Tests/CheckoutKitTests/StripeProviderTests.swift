import CheckoutKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// A stand-in for api.stripe.com that records the requests Stripe would receive.
final class FakeStripe: Sendable {
    struct Received: Sendable {
        let path: String
        let headers: HTTPFields
        let form: [String: String]
    }

    let received = Mutex<[Received]>([])
    let failWith: String?

    init(failWith: String? = nil) { self.failWith = failWith }

    var application: some ApplicationProtocol {
        let router = Router()
        router.post("/v1/checkout/sessions") { [self] request, context -> Response in
            var request = request
            let body = String(buffer: try await request.collectBody(upTo: 1 << 20))
            var form: [String: String] = [:]
            for pair in body.split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
                form[parts[0]] = parts.count > 1 ? parts[1] : ""
            }
            received.withLock { $0.append(Received(path: request.uri.path, headers: request.headers, form: form)) }
            if let failWith {
                return Response(status: .badRequest, headers: [.contentType: "application/json"],
                                body: .init(byteBuffer: ByteBuffer(string: "{\"error\":{\"message\":\"\(failWith)\"}}")))
            }
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: "{\"id\":\"cs_fake_1\",\"object\":\"checkout.session\",\"url\":\"https://checkout.stripe.test/c/pay/cs_fake_1\"}")))
        }
        return Application(router: router)
    }
}

@Suite struct StripeProviderTests {
    @Test func checkoutCreatesAStripeCheckoutSessionWithTheOrderPricedByTheCatalog() async throws {
        let stripe = FakeStripe()
        try await stripe.application.test(.live) { stripeClient in
            var checkout = try TestCheckout()
            checkout.configuration.provider = .stripe
            checkout.configuration.stripeSecretKey = "sk_test_123"
            checkout.configuration.stripeAPIBase = "http://localhost:\(try #require(stripeClient.port))"
            try await checkout.run { client in
                let cart = try await client.cart([("KB-NOAH-COLORING-A4", 2), ("BND-HS-PLANNERS", 1)])
                try await client.json(.post, "/api/carts/\(cart)/coupon", ["code": "WELCOME10"])
                let reply = try await client.json(.post, "/api/checkout", ["cart_id": cart, "email": "s@example.com"])
                #expect(reply.status == .created, "\(reply.text)")
                #expect(reply["payment_url"] as? String == "https://checkout.stripe.test/c/pay/cs_fake_1")
                let orderID = try #require(reply["order_id"] as? String)
                let order = try await client.json(.get, "/api/orders/\(orderID)?token=\(reply["order_token"] as? String ?? "")")
                let total = try #require(order.amount("total"))

                let request = try #require(stripe.received.withLock { $0.first })
                #expect(request.path == "/v1/checkout/sessions")
                #expect(request.headers[.authorization] == "Bearer sk_test_123")
                #expect(request.headers[HTTPField.Name("Stripe-Version")!] == "2024-06-20")
                #expect(request.headers[HTTPField.Name("Idempotency-Key")!] == "checkout-session-\(orderID)")
                #expect(request.headers[.contentType] == "application/x-www-form-urlencoded")
                #expect(request.form["mode"] == "payment")
                #expect(request.form["client_reference_id"] == orderID)
                #expect(request.form["metadata[order_id]"] == orderID)
                #expect(request.form["payment_intent_data[metadata][order_id]"] == orderID)
                #expect(request.form["customer_email"] == "s@example.com")
                #expect(request.form["success_url"]?.hasPrefix("https://shop.example/thank-you/?order=\(orderID)") == true)
                #expect(request.form["line_items[0][price_data][currency]"] == "usd")
                #expect(request.form["line_items[0][price_data][product_data][name]"] == "Noah's Ark Coloring Pages (A4) × 2")
                #expect(request.form["line_items[1][price_data][product_data][metadata][sku]"] == "BND-HS-PLANNERS")
                let amounts = (0..<2).compactMap { Int(request.form["line_items[\($0)][price_data][unit_amount]"] ?? "") }
                #expect(amounts.reduce(0, +) == total, "Stripe charges exactly the order total")
                #expect(request.form["line_items[2][price_data][unit_amount]"] == nil)
                #expect(request.form["expires_at"] == nil, "Stripe's own 24 hours: the order holds no limited stock")
            }
        }
    }

    @Test func anOrderOfLimitedStockHasASessionThatEndsWithItsHold() async throws {
        let stripe = FakeStripe()
        try await stripe.application.test(.live) { stripeClient in
            var checkout = try TestCheckout()
            checkout.configuration.provider = .stripe
            checkout.configuration.stripeSecretKey = "sk_test_123"
            checkout.configuration.stripeAPIBase = "http://localhost:\(try #require(stripeClient.port))"
            let now = Int(checkout.time.now.timeIntervalSince1970)
            try await checkout.run { client in
                let cart = try await client.cart([("HS-PLANNING-WORKSHOP", 1)])
                let reply = try await client.json(.post, "/api/checkout", ["cart_id": cart, "email": "s@example.com"])
                #expect(reply.status == .created, "\(reply.text)")
                let request = try #require(stripe.received.withLock { $0.first })
                #expect(request.form["expires_at"] == String(now + 30 * 60 + 60), "30 minutes and a minute, past Stripe's shortest session")
            }
        }
    }

    @Test func aStripeErrorBecomesA502WithoutLeakingDetails() async throws {
        let stripe = FakeStripe(failWith: "Invalid API Key provided: sk_test_***")
        try await stripe.application.test(.live) { stripeClient in
            var checkout = try TestCheckout()
            checkout.configuration.provider = .stripe
            checkout.configuration.stripeSecretKey = "sk_test_bad"
            checkout.configuration.stripeAPIBase = "http://localhost:\(try #require(stripeClient.port))"
            try await checkout.run { client in
                let cart = try await client.cart([("KB-NOAH-COLORING-A4", 1)])
                let reply = try await client.json(.post, "/api/checkout", ["cart_id": cart, "email": "s@example.com"])
                #expect(reply.status == .badGateway)
                #expect(reply.errorCode == "payment_provider_error")
                #expect(!reply.text.contains("API Key"))
            }
        }
    }

    @Test func theStripeProviderNeedsASecretKey() async throws {
        var checkout = try TestCheckout()
        checkout.configuration.provider = .stripe
        await #expect {
            _ = try await checkout.app()
        } throws: { error in
            String(describing: error).contains("STRIPE_SECRET_KEY")
        }
    }
}
