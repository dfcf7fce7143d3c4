import Foundation
import HTTPTypes
import Hummingbird
import ShopCore

/// `POST /api/admin/orders/{order}/refunds` `{"line_id"?, "reason"?}`: refunds one order line — or,
/// without `line_id`, every line not yet refunded — through the payment provider and revokes exactly
/// those lines' grants. Needs the `refund` permission (owner or support); each refunded line is an
/// audit log entry with the order before and after.
struct RefundController: Sendable {
    let shop: Shop

    struct RefundRequest: Decodable {
        let lineID: String?
        let reason: String?

        enum CodingKeys: String, CodingKey {
            case lineID = "line_id"
            case reason
        }
    }

    @Sendable func refund(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        let principal = try await AdminAccess(shop: shop).require(.refund, request)
        let body = try await RequestBody.json(RefundRequest.self, from: request, context: context)
        let updated = try await refund(order: try context.parameters.require("order"), line: body.lineID, reason: body.reason, by: principal)
        return jsonResponse(OrderJSON(updated))
    }

    /// Refunds `line` of `orderID` (every unrefunded line when nil) as `principal`; the order after.
    /// - Throws: `CheckoutError.orderNotFound`, `.lineNotFound`, `.invalid` naming `order_id` (not a paid
    ///   purchase) or `line_id` (already refunded), or the provider's failure.
    func refund(order orderID: String, line lineID: String?, reason: String?, by principal: StaffPrincipal) async throws -> StoredOrder {
        guard let order = try await shop.orders.find(orderID) else { throw CheckoutError.orderNotFound }
        guard order.paidAt != nil, order.kind == "purchase" else {
            throw CheckoutError.invalid(field: "order_id", message: "only a paid purchase can be refunded")
        }
        let lines: [StoredOrderLine]
        if let lineID {
            guard let line = order.lines.first(where: { $0.id == lineID }) else { throw CheckoutError.lineNotFound }
            guard line.refundedAt == nil else { throw CheckoutError.invalid(field: "line_id", message: "line \(line.id) is already refunded") }
            lines = [line]
        } else {
            lines = order.lines.filter { $0.refundedAt == nil }
            guard !lines.isEmpty else { throw CheckoutError.invalid(field: "order_id", message: "every line of \(order.id) is already refunded") }
        }
        var current = order
        for line in lines {
            current = try await refund(line, of: order, previous: current, by: principal, reason: reason)
        }
        return current
    }

    /// Refunds one line; its audit entry is written in the transaction that records the refund.
    private func refund(
        _ line: StoredOrderLine, of order: StoredOrder, previous: StoredOrder, by principal: StaffPrincipal, reason: String?
    ) async throws -> StoredOrder {
        let alreadyRefunded = CheckoutError.invalid(field: "line_id", message: "line \(line.id) is already refunded")
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
            guard try tx.orders.lock(order.id) != nil, let before = try tx.orders.find(order.id) else { return 0 }
            let recorded = try tx.refunds.record(providerRefundID: refundID, order: order.id, line: line.id, amount: amount, at: now)
            if recorded {
                try tx.orders.raiseAmountRefundedToRefunds(order: order.id)
                try tx.orders.refreshStatus(order.id)
                let (granted, revoked) = try ledger.sync(tx, email: order.email, now: now)
                try effects.announce(granted: granted, revoked: revoked, email: order.email, tx: tx, now: now)
            }
            guard let updated = try tx.orders.find(order.id) else { return 0 }
            // Audited whoever recorded the refund first (the provider's events may have): the entry
            // is the staff action, with the order as staff saw it before and as it is now.
            try AuditLog.record(
                tx, principal, action: "order.refund", target: "order:\(order.id)", before: DeliveryEffects.orderData(previous),
                after: DeliveryEffects.orderData(updated), reason: reason ?? "line \(line.id)", now: now)
            guard recorded else { return 0 }
            let increase = updated.amountRefunded - before.amountRefunded
            if increase > 0 || updated.status != before.status {
                try OutgoingEvents.enqueue(tx, type: "order.refunded", data: DeliveryEffects.orderData(updated), now: now)
            }
            return max(0, increase)
        }
        if increase > 0 { shop.metrics.refunded(increase, currency: order.currency) }
        shop.webhooks.notify()
        guard let updated = try await shop.orders.find(order.id) else { throw CheckoutError.orderNotFound }
        return updated
    }
}
