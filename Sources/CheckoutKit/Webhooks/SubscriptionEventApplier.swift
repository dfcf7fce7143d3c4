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

    func apply(_ event: StripeEvent, in tx: StorageTransaction) throws -> [SubscriptionChange] {
        let object = event.data.object
        switch event.type {
        case "checkout.session.completed" where object.mode == "subscription":
            guard let providerID = object.subscription, let order = object.orderID else { return [] }
            return try change(providerID, event: event, in: tx, link: (order, nil)) {
                (status: .active, periodEnd: nil, cancel: nil)
            }
        case "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted":
            guard let providerID = object.id else { return [] }
            let status = event.type == "customer.subscription.deleted"
                ? SubscriptionStatus.canceled : SubscriptionStatus(rawValue: object.status ?? "") ?? .incomplete
            return try change(providerID, event: event, in: tx, link: (object.metadata?["order_id"], object.metadata?["plan"])) {
                (status: status, periodEnd: object.currentPeriodEnd, cancel: object.cancelAtPeriodEnd)
            }
        case "invoice.paid":
            guard let providerID = object.subscription else { return [] }
            return try change(providerID, event: event, in: tx, link: (object.orderID, nil)) {
                (status: .active, periodEnd: object.linePeriodEnd, cancel: nil)
            }
        case "invoice.payment_failed":
            guard let providerID = object.subscription else { return [] }
            return try change(providerID, event: event, in: tx, link: (object.orderID, nil)) {
                (status: .pastDue, periodEnd: nil, cancel: nil)
            }
        default:
            return []
        }
    }

    private func change(
        _ providerID: String, event: StripeEvent, in tx: StorageTransaction, link: (order: String?, plan: String?),
        _ update: () -> (status: SubscriptionStatus, periodEnd: Int?, cancel: Bool?)
    ) throws -> [SubscriptionChange] {
        let records = tx.subscriptions
        var found = try records.lock(providerID: providerID)
        if found == nil {
            // The first event about a subscription creates it, linked to the order that started it.
            guard let order = link.order,
                  let buyer = try tx.orders.buyerAndFirstSKU(order),
                  let plan = link.plan ?? planSlug(buyer.sku)
            else {
                // Not linkable yet (an event about a subscription we have not heard of): keep the event
                // queued, so it applies once the event that links it arrives.
                throw UnlinkedSubscription(providerID: providerID)
            }
            try records.add(providerID: providerID, order: order, email: buyer.email, plan: plan, at: event.created)
            found = try records.lock(providerID: providerID)
        }
        guard let subscription = found else { return [] }
        let id = subscription.id
        let (status, periodEnd, cancel) = update()
        if Self.isNewer(event, than: (subscription.statusAt, subscription.statusEvent)) {
            try records.setStatus(id, status, at: event.created, event: event.id)
        }
        if let periodEnd {
            try records.extendPeriod(id, to: periodEnd)
        }
        if let cancel, Self.isNewer(event, than: (subscription.cancelAt, subscription.cancelEvent)) {
            try records.setCancelAtPeriodEnd(id, cancel, at: event.created, event: event.id)
        }
        let after = try records.find(id)?.status ?? .incomplete
        return [SubscriptionChange(id: id, email: subscription.email, plan: subscription.plan, from: subscription.status, to: after)]
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
