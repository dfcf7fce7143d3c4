import Foundation
import GRDB
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
        guard line.refundedAt == nil else { throw CheckoutError.invalid(field: "line_id", message: "line \(line.id) is already refunded") }
        let amount = line.total - line.discount
        let refundID = try await shop.provider.refund(order: order, lineID: line.id, amount: amount)
        let now = shop.clock.seconds
        let (ledger, effects) = (shop.delivery.ledger, shop.effects)
        // Record the refund now, so access ends at once; the provider's refund events then find it recorded.
        try await shop.database.write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO refunds (id, order_id, line_id, amount, provider_refund_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [RandomToken.make(prefix: "ref_"), order.id, line.id, amount, refundID, now])
            try db.execute(sql: "UPDATE order_lines SET refunded_at = COALESCE(refunded_at, ?) WHERE id = ?", arguments: [now, line.id])
            let (granted, revoked) = try ledger.sync(db, email: order.email, now: now)
            try effects.announce(granted: granted, revoked: revoked, email: order.email, db: db, now: now)
            if let updated = try OrderStore.load(db, id: order.id) {
                try OutgoingEvents.enqueue(db, type: "order.refunded", data: DeliveryEffects.orderData(updated), now: now)
            }
        }
        shop.webhooks.notify()
        if shop.provider.name == "test" {
            let sender = TestEventSender(shop: shop)
            try await sender.send(type: "refund.created", object: [
                "id": refundID, "object": "refund", "amount": amount, "status": "succeeded", "payment_intent": order.paymentIntent ?? "",
                "metadata": ["order_id": order.id, "line_id": line.id],
            ])
            try await sender.send(type: "charge.refunded", object: [
                "id": RandomToken.make(prefix: "ch_test_"), "object": "charge", "amount": order.total,
                "amount_refunded": order.amountRefunded.addingSaturated(amount), "payment_intent": order.paymentIntent ?? "", "metadata": ["order_id": order.id],
            ])
        }
        guard let updated = try await shop.orders.find(order.id) else { throw CheckoutError.orderNotFound }
        return jsonResponse(OrderJSON(updated))
    }
}
