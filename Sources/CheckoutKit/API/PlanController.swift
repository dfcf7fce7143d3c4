import Foundation
import Hummingbird
import ShopCore

/// Membership checkout: `POST /api/plans/{plan}/checkout` `{"email"}` (JSON) or the plans page's
/// form at `/plans/{plan}/checkout`. Opens a subscription-mode payment session.
struct PlanController: Sendable {
    let shop: Shop

    struct PlanCheckoutRequest: Decodable {
        let email: String?
    }

    @Sendable func checkout(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        try await FormProblem.answering(request, back: shop.siteURL + "/plans/") {
            try await placeOrder(request, context: context)
        }
    }

    private func placeOrder(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        let body = try await RequestBody.formOrJSON(PlanCheckoutRequest.self, from: request, context: context)
        let slug = try context.parameters.require("plan")
        guard let plan = shop.catalog.plansBySlug[slug] else {
            throw CheckoutError.invalid(field: "plan", message: "\(Quoted(slug)) is not a membership plan")
        }
        let email = try EmailAddress.required(body.value.email)
        let line = PricedLine(
            id: "plan", sku: plan.sku, kind: .plan, title: plan.title, option: nil, unitPrice: plan.price, quantity: 1, total: plan.price,
            discount: .zero(plan.price.currency), grants: [], niche: nil)
        let cart = PricedCart(lines: [line], subtotal: plan.price, discount: .zero(plan.price.currency), total: plan.price, coupon: nil)
        let (order, _) = try await shop.orders.create(
            cart: cart, pricedFrom: nil, email: email, currency: plan.price.currency.code, provider: shop.provider.name, kind: "subscription",
            idempotency: nil, session: shop.provider.immediateSession())
        let url = try await shop.paymentURL(for: order) {
            PaymentSessionRequest(
                order: order, mode: .subscription(plan: plan.slug, interval: plan.interval.rawValue, trialDays: plan.trialDays),
                successURL: shop.thankYouURL(order), cancelURL: shop.siteURL + "/plans/")
        }
        shop.metrics.ordersCreated.increment()
        if body.isForm { return .redirect(to: url, type: .found) }
        return jsonResponse(
            CheckoutController.CheckoutResponse(orderID: order.id, orderToken: order.token, paymentURL: url, status: order.status.rawValue),
            status: .created)
    }
}
