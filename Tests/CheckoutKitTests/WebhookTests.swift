import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import ShopCore
import Testing

/// A Stripe-format event, and sending it signed.
struct EventFactory {
    let secret: String
    let now: Int

    func payload(_ type: String, id: String = RandomToken.make(prefix: "evt_"), created: Int? = nil, object: [String: Any]) throws -> Data {
        try JSONSerialization.data(withJSONObject: [
            "id": id, "object": "event", "type": type, "created": created ?? now, "data": ["object": object],
        ] as [String: Any])
    }

    func header(_ payload: Data, timestamp: Int? = nil, secret: String? = nil) -> String {
        StripeSignature(secret: secret ?? self.secret).header(for: payload, timestamp: timestamp ?? now)
    }
}

extension TestClientProtocol {
    func webhook(_ payload: Data, signature: String?, path: String = "/webhooks/stripe") async throws -> JSONReply {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let signature { headers[HTTPField.Name("Stripe-Signature")!] = signature }
        let response = try await execute(uri: path, method: .post, headers: headers, body: ByteBuffer(bytes: payload))
        let text = String(buffer: response.body)
        return JSONReply(
            status: response.status, headers: response.headers,
            object: (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:], text: text)
    }

    /// A pending order for one product; returns its id and token.
    func pendingOrder() async throws -> (id: String, token: String) {
        let cart = try await cart([("KB-NOAH-COLORING-A4", 1)])
        let checkout = try await json(.post, "/api/checkout", ["cart_id": cart, "email": "w@example.com"])
        return (checkout["order_id"] as? String ?? "", checkout["order_token"] as? String ?? "")
    }

    func status(of order: (id: String, token: String)) async throws -> String? {
        try await json(.get, "/api/orders/\(order.id)?token=\(order.token)")["status"] as? String
    }

    func metric(_ line: String) async throws -> Bool {
        let response = try await execute(uri: "/metrics", method: .get)
        return String(buffer: response.body).split(separator: "\n").contains { $0 == line }
    }
}

@Suite struct WebhookTests {
    func completed(_ order: String) -> [String: Any] {
        ["id": "cs_1", "object": "checkout.session", "client_reference_id": order, "payment_status": "paid", "payment_intent": "pi_1"]
    }

    @Test func aValidlySignedEventIsStoredAndProcessed() async throws {
        let checkout = try TestCheckout()
        let events = EventFactory(secret: TestCheckout.secret, now: Int(checkout.time.now.timeIntervalSince1970))
        try await checkout.run { client in
            let order = try await client.pendingOrder()
            let payload = try events.payload("checkout.session.completed", object: completed(order.id))
            let reply = try await client.webhook(payload, signature: events.header(payload))
            #expect(reply.status == .ok)
            #expect(reply["duplicate"] as? Bool == false)
            #expect(try await client.status(of: order) == "paid")
        }
    }

    @Test(arguments: ["tampered", "wrong secret", "stale", "future", "v0 only", "missing", "garbage"])
    func badSignaturesAreRefusedWith400(kind: String) async throws {
        let checkout = try TestCheckout()
        let now = Int(checkout.time.now.timeIntervalSince1970)
        let events = EventFactory(secret: TestCheckout.secret, now: now)
        try await checkout.run { client in
            let order = try await client.pendingOrder()
            let payload = try events.payload("checkout.session.completed", object: completed(order.id))
            var body = payload
            var header: String? = events.header(payload)
            switch kind {
            case "tampered": body = try events.payload("checkout.session.completed", object: completed(order.id).merging(["amount_total": 1]) { $1 })
            case "wrong secret": header = events.header(payload, secret: "whsec_other")
            case "stale": header = events.header(payload, timestamp: now - 301)
            case "future": header = events.header(payload, timestamp: now + 301)
            case "v0 only": header = header!.replacingOccurrences(of: "v1=", with: "v0=")
            case "missing": header = nil
            default: header = "nonsense"
            }
            let reply = try await client.webhook(body, signature: header)
            #expect(reply.status == .badRequest)
            #expect(reply.errorCode == "invalid_signature")
            #expect(reply.errorField == "Stripe-Signature")
            #expect(try await client.status(of: order) == "pending")
            #expect(try await client.metric("checkout_webhook_verification_failures_total 1"))
        }
    }

    @Test func anyOfSeveralSignaturesMayMatchAndTheToleranceIsInclusive() async throws {
        let checkout = try TestCheckout()
        let now = Int(checkout.time.now.timeIntervalSince1970)
        let events = EventFactory(secret: TestCheckout.secret, now: now)
        try await checkout.run { client in
            let order = try await client.pendingOrder()
            let payload = try events.payload("checkout.session.completed", object: completed(order.id))
            let good = StripeSignature(secret: TestCheckout.secret).signature(for: payload, timestamp: now - 299)
            let header = "t=\(now - 299),v1=\(String(repeating: "0", count: 64)),v1=\(good),v0=abc"
            let reply = try await client.webhook(payload, signature: header)
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(try await client.status(of: order) == "paid")
        }
    }

    @Test func aRepeatedEventIsProcessedOnce() async throws {
        let checkout = try TestCheckout()
        let events = EventFactory(secret: TestCheckout.secret, now: Int(checkout.time.now.timeIntervalSince1970))
        try await checkout.run { client in
            let order = try await client.pendingOrder()
            let payload = try events.payload("checkout.session.completed", id: "evt_same", object: completed(order.id))
            let first = try await client.webhook(payload, signature: events.header(payload))
            let second = try await client.webhook(payload, signature: events.header(payload))
            #expect(first["duplicate"] as? Bool == false)
            #expect(second.status == .ok)
            #expect(second["duplicate"] as? Bool == true)
            #expect(try await client.metric("checkout_orders_paid_total 1"))
            #expect(try await client.metric("checkout_revenue_minor_units_total{currency=\"USD\"} 499"))
        }
    }

    @Test func eventsArrivingOutOfOrderEndInTheRightState() async throws {
        let checkout = try TestCheckout()
        let events = EventFactory(secret: TestCheckout.secret, now: Int(checkout.time.now.timeIntervalSince1970))
        try await checkout.run { client in
            let refunded = try await client.pendingOrder()
            let refund = try events.payload(
                "charge.refunded", object: ["id": "ch_1", "object": "charge", "amount_refunded": 499, "metadata": ["order_id": refunded.id]])
            _ = try await client.webhook(refund, signature: events.header(refund))
            #expect(try await client.status(of: refunded) == "pending", "a refund does not make an unpaid order refunded")
            let paid = try events.payload("checkout.session.completed", object: completed(refunded.id))
            _ = try await client.webhook(paid, signature: events.header(paid))
            #expect(try await client.status(of: refunded) == "refunded")

            let late = try await client.pendingOrder()
            for type in ["checkout.session.async_payment_succeeded", "checkout.session.expired", "checkout.session.async_payment_failed"] {
                let payload = try events.payload(type, object: ["id": "cs_2", "object": "checkout.session", "client_reference_id": late.id])
                _ = try await client.webhook(payload, signature: events.header(payload))
            }
            #expect(try await client.status(of: late) == "paid", "a payment outranks an expiry or failure that arrives after it")

            let partial = try await client.pendingOrder()
            let paidPartial = try events.payload("checkout.session.completed", object: completed(partial.id))
            _ = try await client.webhook(paidPartial, signature: events.header(paidPartial))
            for amount in [300, 100] {
                let payload = try events.payload(
                    "charge.refunded", object: ["object": "charge", "amount_refunded": amount, "metadata": ["order_id": partial.id]])
                _ = try await client.webhook(payload, signature: events.header(payload))
            }
            #expect(try await client.status(of: partial) == "partially_refunded", "refund totals only grow")
        }
    }

    @Test func unknownEventTypesAreStoredAndAcknowledged() async throws {
        let checkout = try TestCheckout()
        let events = EventFactory(secret: TestCheckout.secret, now: Int(checkout.time.now.timeIntervalSince1970))
        try await checkout.run { client in
            let payload = try events.payload("customer.created", object: ["id": "cus_1", "object": "customer"])
            let reply = try await client.webhook(payload, signature: events.header(payload))
            #expect(reply.status == .ok)
            #expect(try await client.metric("checkout_webhook_events_pending 0.0"))
        }
    }

    @Test func aBodyThatIsNotAnEventIsRefused() async throws {
        let checkout = try TestCheckout()
        let events = EventFactory(secret: TestCheckout.secret, now: Int(checkout.time.now.timeIntervalSince1970))
        try await checkout.run { client in
            let payload = Data("{\"hello\": 1}".utf8)
            let reply = try await client.webhook(payload, signature: events.header(payload))
            #expect(reply.status == .badRequest)
            #expect(reply.errorCode == "malformed_event")
        }
    }
}
