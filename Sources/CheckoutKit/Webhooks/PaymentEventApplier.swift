import ShopCore

/// An order's status before and after an event, so what follows (granting, emailing) can react.
struct OrderTransition: Sendable, Equatable {
    let orderID: String
    let from: OrderStatus
    let to: OrderStatus
    /// A line of the order was refunded (its grants go, whatever the order's status).
    var lineRefunded = false
    /// How much the order's refunded amount grew, in minor units (events carry the running total).
    var refundedIncrease: Int64 = 0
}

/// Applies a payment event to the orders it concerns, inside the processing transaction.
///
/// Each event only records a fact (paid at, failed at, expired at, amount refunded so far), and the
/// status is derived from the facts, so repeated and out-of-order deliveries give the same result.
struct PaymentEventApplier: Sendable {
    /// Seconds limited stock stays held for an order whose payment is settling (Stripe's delayed
    /// methods report within days).
    static let asyncPaymentHold = 14 * 86_400

    func apply(_ event: StripeEvent, in tx: StorageTransaction) throws -> [OrderTransition] {
        let object = event.data.object
        let orders = tx.orders
        switch event.type {
        case "checkout.session.completed":
            guard let order = object.orderID else { return [] }
            let paid = object.paymentStatus == "paid" || object.paymentStatus == "no_payment_required"
            // An asynchronous payment method (a bank debit) settles later: its limited stock stays held.
            if !paid { try tx.stock.extend(order: order, until: event.created + Self.asyncPaymentHold) }
            return try record(order, in: tx) {
                try orders.recordPaymentIntent(object.paymentIntent, order: order)
                if paid { try orders.recordOnce(.paid, at: event.created, order: order) }
            }
        case "checkout.session.async_payment_succeeded":
            guard let order = object.orderID else { return [] }
            return try record(order, in: tx) { try orders.recordOnce(.paid, at: event.created, order: order) }
        case "checkout.session.async_payment_failed":
            guard let order = object.orderID else { return [] }
            return try record(order, in: tx) { try orders.recordOnce(.failed, at: event.created, order: order) }
        case "checkout.session.expired":
            guard let order = object.orderID else { return [] }
            return try record(order, in: tx) { try orders.recordOnce(.expired, at: event.created, order: order) }
        case "refund.created", "refund.updated", "charge.refund.updated":
            // A refund that names an order line revokes that line's grants once it has not failed.
            guard let refundID = object.id, let order = object.orderID, let line = object.metadata?["line_id"],
                  object.status != "failed" && object.status != "canceled", try orders.lock(order) != nil
            else { return [] }
            guard try tx.refunds.recordLine(providerRefundID: refundID, order: order, line: line, at: event.created) else { return [] }
            try orders.markLineRefunded(line: line, at: event.created)
            // The refund row carries the line's amount, so the order's refunded total grows here, by
            // the first of this event, `charge.refunded` and the API's answer to record it. Two line
            // refunds at once are then two growths (two announcements) even when the `charge.refunded`
            // carrying their sum arrives first.
            let before = try orders.amountRefunded(order) ?? 0
            let from = try orders.status(order) ?? .paid
            // Only money that moved: a pending refund ends access, and its `charge.refunded` counts it.
            if object.status == "succeeded" { try orders.raiseAmountRefundedToRefunds(order: order) }
            let to = try orders.refreshStatus(order) ?? from
            let increase = max(0, (try orders.amountRefunded(order) ?? before) - before)
            return [OrderTransition(orderID: order, from: from, to: to, lineRefunded: true, refundedIncrease: increase)]
        case "charge.refunded":
            var order = object.orderID
            if order == nil, let intent = object.paymentIntent {
                order = try orders.id(forPaymentIntent: intent)
            }
            guard let order, let refunded = object.amountRefunded, try orders.lock(order) != nil,
                  let before = try orders.amountRefunded(order)
            else { return [] }
            // The running total only grows, so a repeat or an older event changes nothing.
            var transitions = try record(order, in: tx) { try orders.raiseAmountRefunded(to: refunded, order: order) }
            let increase = max(0, refunded - before)
            guard increase > 0 else { return transitions }
            if transitions.isEmpty {
                let status = try orders.status(order) ?? .paid
                transitions = [OrderTransition(orderID: order, from: status, to: status)]
            }
            transitions[0].refundedIncrease = increase
            return transitions
        default:
            return []
        }
    }

    private func record(_ order: String, in tx: StorageTransaction, _ change: () throws -> Void) throws -> [OrderTransition] {
        guard let from = try tx.orders.lock(order) else { return [] }
        try change()
        let after = try tx.orders.refreshStatus(order) ?? .pending
        return from == after ? [] : [OrderTransition(orderID: order, from: from, to: after)]
    }
}
