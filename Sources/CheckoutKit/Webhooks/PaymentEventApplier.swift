import GRDB
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
    func apply(_ event: StripeEvent, in db: Database) throws -> [OrderTransition] {
        let object = event.data.object
        switch event.type {
        case "checkout.session.completed":
            guard let order = object.orderID else { return [] }
            let paid = object.paymentStatus == "paid" || object.paymentStatus == "no_payment_required"
            return try record(order, in: db) { db in
                try db.execute(
                    sql: "UPDATE orders SET payment_intent = COALESCE(payment_intent, ?) WHERE id = ?", arguments: [object.paymentIntent, order])
                if paid { try Self.setOnce("paid_at", event.created, order: order, in: db) }
            }
        case "checkout.session.async_payment_succeeded":
            guard let order = object.orderID else { return [] }
            return try record(order, in: db) { db in try Self.setOnce("paid_at", event.created, order: order, in: db) }
        case "checkout.session.async_payment_failed":
            guard let order = object.orderID else { return [] }
            return try record(order, in: db) { db in try Self.setOnce("failed_at", event.created, order: order, in: db) }
        case "checkout.session.expired":
            guard let order = object.orderID else { return [] }
            return try record(order, in: db) { db in try Self.setOnce("expired_at", event.created, order: order, in: db) }
        case "refund.created", "refund.updated", "charge.refund.updated":
            // A refund that names an order line revokes that line's grants once it has not failed.
            guard let refundID = object.id, let order = object.orderID, let line = object.metadata?["line_id"],
                  object.status != "failed" && object.status != "canceled"
            else { return [] }
            let recorded = try String.fetchOne(
                db,
                sql: """
                    INSERT INTO refunds (id, order_id, line_id, amount, provider_refund_id, created_at)
                    SELECT ?, o.id, l.id, l.total - l.discount, ?, ? FROM orders o JOIN order_lines l ON l.order_id = o.id
                    WHERE o.id = ? AND l.id = ?
                    ON CONFLICT DO NOTHING RETURNING id
                    """,
                arguments: [RandomToken.make(prefix: "ref_"), refundID, event.created, order, line])
            guard recorded != nil else { return [] }
            try db.execute(sql: "UPDATE order_lines SET refunded_at = ? WHERE id = ?", arguments: [event.created, line])
            let status = OrderStatus(rawValue: try String.fetchOne(db, sql: "SELECT status FROM orders WHERE id = ?", arguments: [order]) ?? "") ?? .paid
            return [OrderTransition(orderID: order, from: status, to: status, lineRefunded: true)]
        case "charge.refunded":
            var order = object.orderID
            if order == nil, let intent = object.paymentIntent {
                order = try String.fetchOne(db, sql: "SELECT id FROM orders WHERE payment_intent = ?", arguments: [intent])
            }
            guard let order, let refunded = object.amountRefunded,
                  let before = try Int64.fetchOne(db, sql: "SELECT amount_refunded FROM orders WHERE id = ?", arguments: [order])
            else { return [] }
            // The running total only grows, so a repeat or an older event changes nothing.
            var transitions = try record(order, in: db) { db in
                try db.execute(
                    sql: "UPDATE orders SET amount_refunded = MAX(amount_refunded, ?) WHERE id = ?", arguments: [refunded, order])
            }
            let increase = max(0, refunded - before)
            guard increase > 0 else { return transitions }
            if transitions.isEmpty {
                let status = OrderStatus(rawValue: try String.fetchOne(db, sql: "SELECT status FROM orders WHERE id = ?", arguments: [order]) ?? "") ?? .paid
                transitions = [OrderTransition(orderID: order, from: status, to: status)]
            }
            transitions[0].refundedIncrease = increase
            return transitions
        default:
            return []
        }
    }

    private func record(_ order: String, in db: Database, _ change: (Database) throws -> Void) throws -> [OrderTransition] {
        guard let before = try String.fetchOne(db, sql: "SELECT status FROM orders WHERE id = ?", arguments: [order]) else { return [] }
        try change(db)
        let after = try OrderStore.refreshStatus(db, order: order) ?? .pending
        let from = OrderStatus(rawValue: before) ?? .pending
        return from == after ? [] : [OrderTransition(orderID: order, from: from, to: after)]
    }

    private static func setOnce(_ column: String, _ time: Int, order: String, in db: Database) throws {
        try db.execute(sql: "UPDATE orders SET \(column) = COALESCE(\(column), ?) WHERE id = ?", arguments: [time, order])
    }
}
