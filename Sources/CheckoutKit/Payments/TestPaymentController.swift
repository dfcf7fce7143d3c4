import Foundation
import Hummingbird
import ShopCore

/// The test provider's payment page. "Pay" and "Decline" send the same signed events Stripe would
/// send, through the same intake as `/webhooks/stripe`, so a purchase on a laptop takes the production path.
struct TestPaymentController: Sendable {
    let shop: Shop
    let events: TestEvents

    var endpoints: RouteCollection<CheckoutRequestContext> {
        let routes = RouteCollection(context: CheckoutRequestContext.self)
        routes.get(":session", use: page)
        routes.post(":session/pay", use: pay)
        routes.post(":session/decline", use: decline)
        routes.post(":session/renew", use: renew)
        routes.post(":session/fail-payment", use: failPayment)
        routes.post(":session/cancel", use: cancel)
        return routes
    }

    @Sendable func page(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        let order = try await order(context)
        let membership = order.kind == "subscription" ? try await TestSubscriptionEvents(shop: shop, events: events).status(of: order) : nil
        return TestPaymentPage.response(order: order, membership: membership, session: try context.parameters.require("session"), shop: shop)
    }

    @Sendable func pay(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        let order = try await order(context)
        // A declined card may be tried again, as on Stripe's page; a payment outranks the failure.
        if order.status == .pending && order.kind == "subscription" {
            try await TestSubscriptionEvents(shop: shop, events: events).start(order)
        } else if order.status == .pending || order.status == .failed {
            try await send(
                type: "checkout.session.completed", order: order,
                object: ["payment_status": "paid", "status": "complete", "payment_intent": RandomToken.make(prefix: "pi_test_")])
        }
        return .redirect(to: shop.thankYouURL(order), type: .found)
    }

    @Sendable func decline(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        let order = try await order(context)
        if order.status == .pending {
            try await send(type: "checkout.session.async_payment_failed", order: order, object: ["payment_status": "unpaid", "status": "complete"])
        }
        return .redirect(to: shop.siteURL + "/cart/?payment=declined", type: .found)
    }

    /// For a paid subscription: the next payment succeeds, and the period moves on.
    @Sendable func renew(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        try await subscriptionAction(context, allowedWhen: [.active, .trialing, .pastDue]) { try await TestSubscriptionEvents(shop: shop, events: events).renew($0) }
    }

    /// For a paid subscription: the next payment fails, and the subscription goes past due.
    @Sendable func failPayment(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        try await subscriptionAction(context, allowedWhen: [.active, .trialing, .pastDue]) {
            try await TestSubscriptionEvents(shop: shop, events: events).failPayment($0)
        }
    }

    /// For a paid subscription: cancel it now.
    @Sendable func cancel(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        try await subscriptionAction(context, allowedWhen: [.active, .trialing, .pastDue, .unpaid, .incomplete]) {
            try await TestSubscriptionEvents(shop: shop, events: events).cancel($0)
        }
    }

    /// Plays a subscription event, if the membership is in one of the states it applies to (a canceled
    /// membership cannot be renewed: Stripe would refuse too).
    private func subscriptionAction(
        _ context: CheckoutRequestContext, allowedWhen states: Set<SubscriptionStatus>, _ action: (StoredOrder) async throws -> Void
    ) async throws -> Response {
        let order = try await order(context)
        guard order.kind == "subscription", order.paidAt != nil else {
            throw CheckoutError.invalid(field: "session", message: "only a paid subscription can be renewed, failed or cancelled")
        }
        let status = try await TestSubscriptionEvents(shop: shop, events: events).status(of: order)
        guard let status, states.contains(status) else {
            throw CheckoutError.invalid(field: "session", message: "the membership is \(status?.rawValue ?? "not started"); that does not apply to it")
        }
        try await action(order)
        return .redirect(to: shop.address.publicURL + "/test-pay/" + (try context.parameters.require("session")), type: .found)
    }

    private func order(_ context: CheckoutRequestContext) async throws -> StoredOrder {
        guard let order = try await shop.orders.find(session: try context.parameters.require("session")) else {
            throw CheckoutError.sessionNotFound
        }
        return order
    }

    /// Signs a Stripe-format event about `order` and delivers it to this service's webhook, which
    /// processes it before answering, so the shopper lands on an up-to-date thank-you page.
    func send(type: String, order: StoredOrder, object extra: [String: String]) async throws {
        var object: [String: Any] = [
            "id": order.paymentSessionID ?? "", "object": "checkout.session", "client_reference_id": order.id,
            "customer_email": order.email, "amount_total": order.total, "currency": order.currency.lowercased(),
            "mode": order.kind == "subscription" ? "subscription" : "payment", "metadata": ["order_id": order.id],
        ]
        for (key, value) in extra { object[key] = value }
        try await events.send(type: type, object: object)
    }
}
