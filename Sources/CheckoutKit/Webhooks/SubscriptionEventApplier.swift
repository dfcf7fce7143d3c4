import GRDB
import ShopCore

/// A subscription whose state an event changed.
struct SubscriptionChange: Sendable, Equatable {
    let id: String
    let email: String
    let plan: String
    let from: SubscriptionStatus?
    let to: SubscriptionStatus
}

/// Applies subscription events: `customer.subscription.created|updated|deleted`, `invoice.paid`,
/// `invoice.payment_failed`, and the subscription-mode `checkout.session.completed`.
///
/// Each field keeps the value from the newest event that set it (by event time, then event id), and
/// the paid period end only grows, so the final state does not depend on delivery order or repeats.
struct SubscriptionEventApplier: Sendable {
    /// Maps a plan SKU (the order line) to the plan's slug.
    let planSlug: @Sendable (String) -> String?

    func apply(_ event: StripeEvent, in db: Database) throws -> [SubscriptionChange] {
        let object = event.data.object
        switch event.type {
        case "checkout.session.completed" where object.mode == "subscription":
            guard let providerID = object.subscription, let order = object.orderID else { return [] }
            return try change(providerID, event: event, in: db, link: (order, nil)) { _ in
                (status: .active, periodEnd: nil, cancel: nil)
            }
        case "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted":
            guard let providerID = object.id else { return [] }
            let status = event.type == "customer.subscription.deleted"
                ? SubscriptionStatus.canceled : SubscriptionStatus(rawValue: object.status ?? "") ?? .incomplete
            return try change(providerID, event: event, in: db, link: (object.metadata?["order_id"], object.metadata?["plan"])) { _ in
                (status: status, periodEnd: object.currentPeriodEnd, cancel: object.cancelAtPeriodEnd)
            }
        case "invoice.paid":
            guard let providerID = object.subscription else { return [] }
            return try change(providerID, event: event, in: db, link: (object.orderID, nil)) { _ in
                (status: .active, periodEnd: object.linePeriodEnd, cancel: nil)
            }
        case "invoice.payment_failed":
            guard let providerID = object.subscription else { return [] }
            return try change(providerID, event: event, in: db, link: (object.orderID, nil)) { _ in
                (status: .pastDue, periodEnd: nil, cancel: nil)
            }
        default:
            return []
        }
    }

    private func change(
        _ providerID: String, event: StripeEvent, in db: Database, link: (order: String?, plan: String?),
        _ update: (Row?) -> (status: SubscriptionStatus, periodEnd: Int?, cancel: Bool?)
    ) throws -> [SubscriptionChange] {
        var row = try Row.fetchOne(
            db, sql: "SELECT id, email, plan, status, status_at, status_event, cancel_at, cancel_event FROM subscriptions WHERE provider_id = ?",
            arguments: [providerID])
        if row == nil {
            // The first event about a subscription creates it, linked to the order that started it.
            guard let order = link.order,
                  let found = try Row.fetchOne(db, sql: "SELECT email FROM orders WHERE id = ?", arguments: [order]),
                  let planSKU = try String.fetchOne(db, sql: "SELECT sku FROM order_lines WHERE order_id = ? ORDER BY position", arguments: [order]),
                  let plan = link.plan ?? planSlug(planSKU)
            else {
                // Not linkable yet (an event about a subscription we have not heard of): keep the event
                // queued, so it applies once the event that links it arrives.
                throw UnlinkedSubscription(providerID: providerID)
            }
            try db.execute(
                sql: """
                    INSERT INTO subscriptions (id, provider_id, order_id, email, plan, status, status_at, created_at)
                    VALUES (?, ?, ?, ?, ?, 'incomplete', 0, ?)
                    """,
                arguments: [providerID, providerID, order, found[0] as String, plan, event.created])
            row = try Row.fetchOne(
                db, sql: "SELECT id, email, plan, status, status_at, status_event, cancel_at, cancel_event FROM subscriptions WHERE provider_id = ?",
                arguments: [providerID])
        }
        guard let row else { return [] }
        let id: String = row[0], email: String = row[1], plan: String = row[2]
        let before = SubscriptionStatus(rawValue: row[3])
        let (status, periodEnd, cancel) = update(row)
        if Self.isNewer(event, than: (row[4], row[5])) {
            try db.execute(
                sql: "UPDATE subscriptions SET status = ?, status_at = ?, status_event = ? WHERE id = ?",
                arguments: [status.rawValue, event.created, event.id, id])
        }
        if let periodEnd {
            try db.execute(
                sql: "UPDATE subscriptions SET current_period_end = MAX(current_period_end, ?) WHERE id = ?", arguments: [periodEnd, id])
        }
        if let cancel, Self.isNewer(event, than: (row[6], row[7])) {
            try db.execute(
                sql: "UPDATE subscriptions SET cancel_at_period_end = ?, cancel_at = ?, cancel_event = ? WHERE id = ?",
                arguments: [cancel, event.created, event.id, id])
        }
        let after = SubscriptionStatus(rawValue: try String.fetchOne(db, sql: "SELECT status FROM subscriptions WHERE id = ?", arguments: [id]) ?? "")
            ?? .incomplete
        return [SubscriptionChange(id: id, email: email, plan: plan, from: before, to: after)]
    }

    /// Newer means a later event time, or the same time and a greater event id (a fixed tie-break).
    static func isNewer(_ event: StripeEvent, than recorded: (at: Int, event: String)) -> Bool {
        event.created > recorded.at || (event.created == recorded.at && event.id > recorded.event)
    }
}

/// An event about a subscription that cannot be tied to an order yet; processing retries it later.
struct UnlinkedSubscription: Error, CustomStringConvertible {
    let providerID: String
    var description: String { "subscription \(providerID) is not linked to an order yet" }
}
