import Foundation
import ShopCore
import SiteCore

/// What follows from a processed payment event, in the same transaction: entitlements granted or
/// revoked (with causes), the receipt or payment-failed email, and outgoing webhook events.
struct DeliveryEffects: Sendable {
    let ledger: EntitlementLedger
    let links: DownloadLinks
    let templates: EmailTemplates
    let shopName: String
    let siteURL: @Sendable () -> String
    let downloadLimit: Int
    let metrics: CheckoutMetrics
    let fulfilment: Fulfilment

    func apply(_ event: StripeEvent, orders: [OrderTransition], subscriptions: [SubscriptionChange], tx: StorageTransaction, now: Int) throws {
        for transition in orders {
            guard let order = try tx.orders.find(transition.orderID) else { continue }
            let (granted, revoked) = try ledger.sync(tx, email: order.email, now: now)
            try announce(granted: granted, revoked: revoked, email: order.email, tx: tx, now: now)
            // Limited stock: a payment makes the order's held units sold; an expired session gives them
            // back at once (not only when the hold runs out).
            // Newly paid, even when a refund event arrived before the payment's (pending → refunded).
            let paidStates: Set<OrderStatus> = [.paid, .partiallyRefunded, .refunded]
            let newlyPaid = !paidStates.contains(transition.from) && paidStates.contains(transition.to)
            if newlyPaid {
                try tx.stock.settle(order: order.id, as: .sold)
            } else if transition.to == .expired && transition.from != .expired {
                // An expired session can no longer be paid. A failed payment keeps its hold until the
                // hold runs out: the shopper may try another card on the same session.
                try tx.stock.settle(order: order.id, as: .released)
            }
            if newlyPaid {
                let metrics = self.metrics
                tx.afterCommit {
                    metrics.ordersPaid.increment()
                    metrics.revenue(order.total, currency: order.currency)
                }
                try OutgoingEvents.enqueue(tx, type: "order.paid", data: Self.orderData(order), now: now)
                try fulfilment.paid(order, tx: tx, now: now)
                try sendReceipt(order, tx: tx, now: now)
            }
            if transition.refundedIncrease > 0 {
                let (metrics, increase) = (self.metrics, transition.refundedIncrease)
                tx.afterCommit { metrics.refunded(increase, currency: order.currency) }
            }
            // Announced when money moved or the status changed: a line's refund event alone (Stripe's
            // `refund.created`, ahead of `charge.refunded`) revokes access but is not a second announcement.
            if transition.refundedIncrease > 0 || [.refunded, .partiallyRefunded].contains(transition.to) && transition.from != transition.to {
                try OutgoingEvents.enqueue(tx, type: "order.refunded", data: Self.orderData(order), now: now)
            }
        }
        for change in subscriptions {
            let (granted, revoked) = try ledger.sync(tx, email: change.email, now: now)
            try announce(granted: granted, revoked: revoked, email: change.email, tx: tx, now: now)
            guard let subscription = try tx.subscriptions.find(change.id) else { continue }
            let periodEnd = subscription.currentPeriodEnd
            try OutgoingEvents.enqueue(
                tx, type: "subscription.updated",
                data: [
                    "id": change.id, "email": change.email, "plan": change.plan, "status": (subscription.status ?? .incomplete).rawValue,
                    "current_period_end": periodEnd, "cancel_at_period_end": subscription.cancelAtPeriodEnd,
                ], now: now)
            if change.to == .pastDue && change.from != .pastDue {
                let until = Date(timeIntervalSince1970: TimeInterval(periodEnd) + TimeInterval(ledger.grace)).formatted(date: .long, time: .omitted)
                let planTitle = ledger.catalog().plansBySlug[change.plan]?.title ?? change.plan
                let (subject, body) = templates.render(.paymentFailed, [
                    "shop": .text(shopName), "plan": .text(planTitle), "access_until": .text(until),
                    "account_url": .text(siteURL() + "/account/"),
                ])
                try tx.outbox.enqueue(key: "payment-failed:\(change.id):\(periodEnd)", to: change.email, subject: subject, body: body, now: now)
            }
        }
    }

    /// `entitlement.granted` / `entitlement.revoked` for each change; a purchase line's entitlement
    /// revoked (a refund) revokes the line's deliveries too.
    /// `revokesDeliveries`: a refunded line's deliveries and licence keys are revoked with its
    /// entitlements; an entitlement taken away by hand leaves them (a grant would not give keys back).
    func announce(
        granted: [Entitlement], revoked: [Entitlement], email: String, tx: StorageTransaction, now: Int, revokesDeliveries: Bool = true
    ) throws {
        for entitlement in revoked where revokesDeliveries && entitlement.cause.hasPrefix("order:") {
            let parts = entitlement.cause.split(separator: ":")
            if parts.count == 3 { try Fulfilment.revoke(line: String(parts[2]), tx: tx, now: now) }
        }
        for (type, entitlements) in [("entitlement.granted", granted), ("entitlement.revoked", revoked)] {
            for entitlement in entitlements {
                try OutgoingEvents.enqueue(
                    tx, type: type, data: ["email": email, "item": entitlement.item, "cause": entitlement.cause], now: now)
            }
        }
    }

    /// The receipt: lines, totals and a download link per file of everything the order grants.
    /// `key` dedupes the email (`receipt:ORDER`, so a replayed payment event sends one); a resend gives a new one.
    func sendReceipt(_ order: StoredOrder, tx: StorageTransaction, now: Int, key: String? = nil) throws {
        let catalog = ledger.catalog()
        let currency = order.currency
        let money = { (amount: Int64) in MoneyFormat.format(amount, currency: currency) }
        let granted = try ledger.current(tx, email: order.email, now: now).filter { $0.cause.hasPrefix("order:\(order.id):") }.sorted()
        let downloads: [TemplateValue] = order.kind == "purchase" ? granted.map { entitlement in
            let title = entitlement.productSKU.flatMap { catalog.productsBySKU[$0]?.title } ?? entitlement.item
            return [
                "title": .text(title),
                "files": .list(links.links(email: order.email, entitlement: entitlement, now: now).map { ["name": .text($0.name), "url": .text($0.url)] }),
            ]
        } : []
        let keys: [TemplateValue] = try tx.deliveries.forOrder(order.id).filter { $0.method == .licenseKey }.compactMap { delivery in
            let assigned = try tx.licenseKeys.keys(of: delivery.id)
            guard !assigned.isEmpty else { return nil }
            let title = catalog.productsBySKU[delivery.sku]?.title ?? delivery.sku
            return ["title": .text(title), "keys": .list(assigned.map { .text($0) })]
        }
        let (subject, body) = templates.render(.receipt, [
            "license_keys": .list(keys), "has_license_keys": .bool(!keys.isEmpty),
            "shop": .text(shopName), "order_number": .text(String(order.id.suffix(8)).uppercased()),
            "lines": .list(order.lines.map {
                ["title": .text($0.title), "option": .text($0.option), "quantity": .int($0.quantity), "multiple": .bool($0.quantity > 1),
                 "amount": .text(money($0.total))]
            }),
            "has_discount": .bool(order.discount > 0), "discount": .text(money(order.discount)), "coupon": .text(order.coupon),
            "total": .text(money(order.total)), "downloads": .list(downloads), "has_downloads": .bool(!downloads.isEmpty),
            "link_hours": .int(links.lifetime / 3600), "download_limit": .int(downloadLimit), "account_url": .text(siteURL() + "/account/"),
        ])
        try tx.outbox.enqueue(key: key ?? "receipt:\(order.id)", to: order.email, subject: subject, body: body, now: now)
    }

    static func orderData(_ order: StoredOrder) -> [String: Any] {
        [
            "id": order.id, "email": order.email, "status": order.status.rawValue, "kind": order.kind, "currency": order.currency,
            "total": order.total, "amount_refunded": order.amountRefunded,
            "lines": order.lines.map { ["id": $0.id, "sku": $0.sku, "quantity": $0.quantity, "total": $0.total, "refunded": $0.refundedAt != nil] },
        ]
    }
}
