import Foundation
import ShopCore

/// The events Stripe sends over a subscription's life, as the test provider plays them out:
/// start (with or without a trial), renew, fail a payment, cancel.
struct TestSubscriptionEvents: Sendable {
    let shop: Shop
    let events: TestEvents

    /// The provider-side id the test provider gives a subscription order.
    static func subscriptionID(for order: StoredOrder) -> String { "sub_test_" + order.id.dropFirst(4) }


    private func plan(of order: StoredOrder) -> Plan? {
        order.lines.first.flatMap { line in shop.catalog.catalog.plans.first { $0.sku == line.sku } }
    }

    static func period(of plan: Plan?) -> Int { plan?.interval == .year ? 365 * 86_400 : 30 * 86_400 }

    func start(_ order: StoredOrder) async throws {
        let plan = plan(of: order)
        let id = Self.subscriptionID(for: order)
        let trial = (plan?.trialDays ?? 0) > 0
        let periodEnd = shop.clock.seconds + (trial ? (plan?.trialDays ?? 0) * 86_400 : Self.period(of: plan))
        try await events.send(type: "checkout.session.completed", object: [
            "id": order.paymentSessionID ?? "", "object": "checkout.session", "mode": "subscription", "client_reference_id": order.id,
            "subscription": id, "payment_status": trial ? "no_payment_required" : "paid", "status": "complete",
            "customer_email": order.email, "metadata": ["order_id": order.id],
        ])
        try await events.send(type: "customer.subscription.created", object: subscription(id, order, status: trial ? "trialing" : "active", periodEnd: periodEnd))
        if !trial { try await events.send(type: "invoice.paid", object: invoice(id, order, periodEnd: periodEnd)) }
    }

    func renew(_ order: StoredOrder) async throws {
        let id = Self.subscriptionID(for: order)
        let periodEnd = try await currentPeriodEnd(id) + Self.period(of: plan(of: order))
        try await events.send(type: "invoice.paid", object: invoice(id, order, periodEnd: periodEnd))
        try await events.send(type: "customer.subscription.updated", object: subscription(id, order, status: "active", periodEnd: periodEnd))
    }

    func failPayment(_ order: StoredOrder) async throws {
        let id = Self.subscriptionID(for: order)
        let periodEnd = try await currentPeriodEnd(id)
        try await events.send(type: "invoice.payment_failed", object: invoice(id, order, periodEnd: periodEnd + Self.period(of: plan(of: order))))
        try await events.send(type: "customer.subscription.updated", object: subscription(id, order, status: "past_due", periodEnd: periodEnd))
    }

    func cancel(_ order: StoredOrder) async throws {
        let id = Self.subscriptionID(for: order)
        try await events.send(
            type: "customer.subscription.deleted", object: subscription(id, order, status: "canceled", periodEnd: try await currentPeriodEnd(id)))
    }

    /// The membership's status as this service has it, nil before its first event.
    func status(of order: StoredOrder) async throws -> SubscriptionStatus? {
        let id = Self.subscriptionID(for: order)
        return try await shop.storage.read { tx in try tx.subscriptions.find(providerID: id)?.status }
    }

    private func currentPeriodEnd(_ id: String) async throws -> Int {
        try await shop.storage.read { tx in try tx.subscriptions.find(providerID: id)?.currentPeriodEnd ?? 0 }
    }

    private func subscription(_ id: String, _ order: StoredOrder, status: String, periodEnd: Int) -> [String: Any] {
        [
            "id": id, "object": "subscription", "status": status, "current_period_end": periodEnd, "cancel_at_period_end": false,
            "metadata": ["order_id": order.id, "plan": plan(of: order)?.slug ?? ""],
        ]
    }

    private func invoice(_ id: String, _ order: StoredOrder, periodEnd: Int) -> [String: Any] {
        [
            "id": RandomToken.make(prefix: "in_test_"), "object": "invoice", "subscription": id, "amount_paid": order.total,
            "lines": ["data": [["period": ["end": periodEnd]]]], "subscription_details": ["metadata": ["order_id": order.id]],
        ]
    }
}
