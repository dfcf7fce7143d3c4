import Foundation
import HTTPTypes
import Hummingbird
import ShopCore

/// `POST /api/admin/orders/{order}/refunds` `{"line_id"}`: refunds one order line through the payment
/// provider and revokes exactly that line's grants. Needs `Authorization: Bearer <admin token>`.
struct RefundController: Sendable {
    let shop: Shop

    struct RefundRequest: Decodable {
        let lineID: String

        enum CodingKeys: String, CodingKey {
            case lineID = "line_id"
        }
    }

    @Sendable func refund(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        guard let token = shop.configuration.adminToken, !token.isEmpty,
              OrderController.constantTimeEqual(request.headers[.authorization] ?? "", "Bearer " + token)
        else { throw CheckoutError.unauthorized }
        let body = try await RequestBody.json(RefundRequest.self, from: request, context: context)
        guard let order = try await shop.orders.find(try context.parameters.require("order")) else { throw CheckoutError.orderNotFound }
        guard order.paidAt != nil, order.kind == "purchase" else {
            throw CheckoutError.invalid(field: "order_id", message: "only a paid purchase can be refunded")
        }
        guard let line = order.lines.first(where: { $0.id == body.lineID }) else { throw CheckoutError.lineNotFound }
        let alreadyRefunded = CheckoutError.invalid(field: "line_id", message: "line \(line.id) is already refunded")
        guard line.refundedAt == nil else { throw alreadyRefunded }
        let amount = line.total - line.discount
        let now = shop.clock.seconds
        // Claim the line before asking the provider, so two refunds of it at once make one refund.
        let claimed = try await shop.storage.write { tx in try tx.orders.claimLineRefund(line: line.id, order: order.id, at: now) }
        guard claimed else { throw alreadyRefunded }
        let refundID: String
        do {
            refundID = try await shop.provider.refund(LineRefund(order: order, lineID: line.id, amount: amount))
        } catch {
            // Released for another try, unless the provider's refund events already recorded it.
            try await shop.storage.write { tx in try tx.orders.releaseLineRefund(line: line.id, claimedAt: now) }
            throw error
        }
        let (ledger, effects) = (shop.delivery.ledger, shop.effects)
        // Record the refund now, so access ends at once and the order shows it. The provider's events
        // may have got here first, in any order (Stripe's webhook can beat its API's answer; the test
        // provider's events always do): the refunded amount is the larger of what the provider reported
        // and the sum of the refund rows, so it grows once whoever comes first, and the metric and the
        // `order.refunded` announcement follow what actually changed.
        let increase = try await shop.storage.write { tx -> Int64 in
            guard try tx.orders.lock(order.id) != nil, let before = try tx.orders.find(order.id),
                  try tx.refunds.record(providerRefundID: refundID, order: order.id, line: line.id, amount: amount, at: now)
            else { return 0 }
            try tx.orders.raiseAmountRefundedToRefunds(order: order.id)
            try tx.orders.refreshStatus(order.id)
            let (granted, revoked) = try ledger.sync(tx, email: order.email, now: now)
            try effects.announce(granted: granted, revoked: revoked, email: order.email, tx: tx, now: now)
            guard let updated = try tx.orders.find(order.id) else { return 0 }
            let increase = updated.amountRefunded - before.amountRefunded
            if increase > 0 || updated.status != before.status {
                try OutgoingEvents.enqueue(tx, type: "order.refunded", data: DeliveryEffects.orderData(updated), now: now)
            }
            return max(0, increase)
        }
        if increase > 0 { shop.metrics.refunded(increase, currency: order.currency) }
        shop.webhooks.notify()
        guard let updated = try await shop.orders.find(order.id) else { throw CheckoutError.orderNotFound }
        return jsonResponse(OrderJSON(updated))
    }
}
