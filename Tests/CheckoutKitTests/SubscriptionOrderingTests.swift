import CheckoutKit
import Foundation
import HummingbirdTesting
import ShopCore
import Testing
import TestSupport

/// Stripe delivers events in any order and sometimes twice; the entitlements a customer ends with
/// must not depend on that.
@Suite struct SubscriptionOrderingTests {
    /// One customer's subscription life, as Stripe reports it: each event and the time it happened.
    static func lifecycle(order: String, subscription: String, start: Int, endsCanceled: Bool) -> [(type: String, created: Int, object: [String: Any])] {
        let period1 = start + 30 * 86_400, period2 = period1 + 30 * 86_400
        func sub(_ status: String, _ periodEnd: Int, cancel: Bool = false) -> [String: Any] {
            ["id": subscription, "object": "subscription", "status": status, "current_period_end": periodEnd, "cancel_at_period_end": cancel,
             "metadata": ["order_id": order, "plan": "homeschool-helper"]]
        }
        func invoice(_ periodEnd: Int) -> [String: Any] {
            ["id": "in_\(periodEnd)", "object": "invoice", "subscription": subscription, "lines": ["data": [["period": ["end": periodEnd]]]],
             "subscription_details": ["metadata": ["order_id": order]]]
        }
        var events: [(String, Int, [String: Any])] = [
            ("checkout.session.completed", start, [
                "id": "cs_\(order)", "object": "checkout.session", "mode": "subscription", "subscription": subscription,
                "client_reference_id": order, "payment_status": "paid",
            ]),
            ("customer.subscription.created", start + 1, sub("active", period1)),
            ("invoice.payment_failed", start + 2, invoice(period2)),
            ("customer.subscription.updated", start + 2, sub("past_due", period1)),
            ("invoice.paid", start + 3, invoice(period2)),
            ("customer.subscription.updated", start + 3, sub("active", period2, cancel: true)),
        ]
        if endsCanceled { events.append(("customer.subscription.deleted", start + 4, sub("canceled", period2, cancel: true))) }
        return events
    }

    static func permutations<T>(_ items: [T]) -> [[T]] {
        guard items.count > 1 else { return [items] }
        return items.indices.flatMap { index -> [[T]] in
            var rest = items
            let first = rest.remove(at: index)
            return permutations(rest).map { [first] + $0 }
        }
    }

    /// Every order of six events (720), each with some events delivered twice, ends active with the plan's niche.
    @Test func everyDeliveryOrderGivesTheSameEntitlements() async throws {
        let checkout = try TestCheckout()
        let start = Int(checkout.time.now.timeIntervalSince1970)
        try await checkout.run { client, control in
            var generator = SplitMix64(seed: 7)
            var finals = Set<[String]>()
            // All 720 orderings on SQLite. On PostgreSQL every sixth: the ordering rules are the same
            // portable code, and a debug build's postgres-nio spends about 1 ms of CPU per statement,
            // which made all 720 the suite's slowest four minutes.
            let orders = Self.permutations(Array(0..<6)).enumerated().filter { !TestDatabases.onPostgres || $0.offset % 6 == 0 }.map(\.element)
            for (run, ordering) in orders.enumerated() {
                let email = "order\(run)@example.com"
                let reply = try await client.json(.post, "/api/plans/homeschool-helper/checkout", ["email": email])
                let orderID = try #require(reply["order_id"] as? String)
                let events = Self.lifecycle(order: orderID, subscription: "sub_\(run)", start: start, endsCanceled: false)
                var deliveries = ordering.map { (index: $0, id: "evt_\(run)_\($0)") }
                for delivery in deliveries where Bool.random(using: &generator) {
                    deliveries.insert(delivery, at: Int.random(in: 0...deliveries.count, using: &generator))
                }
                for delivery in deliveries {
                    let event = events[delivery.index]
                    let payload = try EventFactory(secret: TestCheckout.secret, now: start)
                        .payload(event.type, id: delivery.id, created: event.created, object: event.object)
                    let response = try await client.webhook(payload, signature: EventFactory(secret: TestCheckout.secret, now: start).header(payload))
                    #expect(response.status == .ok)
                }
                await control.processPendingEvents()
                let items = try await control.entitlements(of: email).map { $0.split(separator: " ")[0] }.map(String.init)
                finals.insert(items)
            }
            #expect(finals.count == 1, "\(finals.count) different outcomes")
            let homeschool = exampleCatalog.productsByNiche["homeschool"]!.map { "product:" + $0.sku }.sorted()
            #expect(finals.first == homeschool)
        }
    }

    /// With a final cancellation, random orders (and repeats) all end with nothing.
    @Test func aCancelledSubscriptionEndsWithNothingWhateverTheOrder() async throws {
        let checkout = try TestCheckout()
        let start = Int(checkout.time.now.timeIntervalSince1970)
        try await checkout.run { client, control in
            var generator = SplitMix64(seed: 11)
            for run in 0..<60 {
                let email = "cancel\(run)@example.com"
                let reply = try await client.json(.post, "/api/plans/homeschool-helper/checkout", ["email": email])
                let orderID = try #require(reply["order_id"] as? String)
                let events = Self.lifecycle(order: orderID, subscription: "subc_\(run)", start: start, endsCanceled: true)
                var deliveries = Array(events.indices).shuffled(using: &generator)
                deliveries += deliveries.prefix(2)
                for index in deliveries {
                    let factory = EventFactory(secret: TestCheckout.secret, now: start)
                    let payload = try factory.payload(events[index].type, id: "evtc_\(run)_\(index)", created: events[index].created, object: events[index].object)
                    _ = try await client.webhook(payload, signature: factory.header(payload))
                }
                await control.processPendingEvents()
                #expect(try await control.entitlements(of: email).isEmpty, "run \(run)")
            }
        }
    }
}
