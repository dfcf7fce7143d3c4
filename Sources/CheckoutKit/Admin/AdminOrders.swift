import Foundation
import Hummingbird
import ShopCore

/// The admin API's orders: the list with filters, one order with everything that shaped it, a
/// refund (in `RefundController`) and resending the receipt. The console's order pages show the
/// same documents.
struct AdminOrders: Sendable {
    let shop: Shop

    /// `GET /api/admin/orders?status&email&from&to&product&limit&cursor`: newest first.
    func list(_ query: AdminQuery, as principal: StaffPrincipal) async throws -> [String: Any] {
        let limit = try query.limit()
        var filter = OrderFilter()
        filter.status = query["status"]
        if let status = filter.status, OrderStatus(rawValue: status) == nil {
            throw CheckoutError.invalid(
                field: "status", message: "status \(Quoted(status)) is not one of \(OrderStatus.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        filter.email = query["email"].map { EmailAddress.normalized($0) ?? $0 }
        // Looking a person up by address is what masking their address is meant to prevent.
        if filter.email != nil, !principal.role.seesPersonalData {
            throw CheckoutError.forbidden(role: principal.role.rawValue, action: "search orders by address")
        }
        filter.from = try query.time("from")
        filter.to = try query.time("to", endOfDay: true)
        if let from = filter.from, let to = filter.to, to <= from {
            throw CheckoutError.invalid(field: "to", message: "to \(Quoted(query["to"] ?? "")) is before from \(Quoted(query["from"] ?? ""))")
        }
        filter.product = query["product"]
        let (cursor, chosen) = (query["cursor"], filter)
        let rows = try await shop.storage.read { tx in try tx.admin.orders(chosen, after: cursor, limit: limit + 1) }
        return AdminQuery.page(rows.map { summary($0, principal) }, limit: limit)
    }

    func summary(_ order: OrderSummary, _ principal: StaffPrincipal) -> [String: Any] {
        var row: [String: Any] = [
            "id": order.id, "email": principal.shows(order.email), "kind": order.kind, "status": order.status,
            "total": adminMoney(order.total, order.currency), "amount_refunded": adminMoney(order.amountRefunded, order.currency),
            "created_at": isoTime(order.createdAt),
        ]
        if let paid = order.paidAt { row["paid_at"] = isoTime(paid) }
        return row
    }

    /// `GET /api/admin/orders/{order}`: lines, refunds, deliveries and the timeline of what happened
    /// to it (placed, paid, entitlements granted and revoked, deliveries, refunds, staff actions).
    /// An analyst sees the amounts and lines only.
    func detail(_ id: String, as principal: StaffPrincipal) async throws -> [String: Any] {
        let catalog = shop.catalog
        let personal = principal.role.seesPersonalData
        let found = try await shop.storage.read { tx -> JSONDocument<(StoredOrder, [[String: Any]], [[String: Any]], [[String: Any]])?> in
            guard let order = try tx.orders.find(id) else { return JSONDocument(value: nil) }
            guard personal else { return JSONDocument(value: (order, [], [], [])) }
            let refunds = try tx.admin.refunds(order: id).map { refund -> [String: Any] in
                var row: [String: Any] = ["id": refund.id, "amount": adminMoney(refund.amount, order.currency), "created_at": isoTime(refund.at)]
                if let line = refund.line { row["line_id"] = line }
                return row
            }
            let deliveries = try DeliveryView.load(tx, order: id, catalog: catalog)
            var timeline: [(Int, String, String)] = [(order.createdAt, "order.placed", "checkout started")]
            if let paid = order.paidAt { timeline.append((paid, "order.paid", "paid by \(order.provider)")) }
            for entry in try tx.admin.entitlementLog(email: order.email) where entry.cause.hasPrefix("order:\(id):") {
                timeline.append((entry.at, "entitlement.\(entry.change)", entry.item))
            }
            for refund in try tx.admin.refunds(order: id) {
                timeline.append((refund.at, "refund.created", MoneyFormat.format(refund.amount, currency: order.currency) + (refund.line.map { " for line \($0)" } ?? "")))
            }
            for delivery in try tx.deliveries.forOrder(id) {
                for step in try tx.deliveries.history(delivery.id) {
                    timeline.append((step.at, "delivery.\(step.status)", "\(delivery.sku): \(step.note)"))
                }
            }
            for entry in try tx.audit.entries(before: nil, target: "order:\(id)", limit: 100) {
                timeline.append((entry.at, entry.action, "by \(entry.actor)" + (entry.reason.map { ": \($0)" } ?? "")))
            }
            // By time; within a second, in the order of cause and effect they were gathered in.
            let events = timeline.enumerated().sorted { ($0.element.0, $0.offset) < ($1.element.0, $1.offset) }.map {
                ["at": isoTime($0.element.0), "type": $0.element.1, "detail": $0.element.2] as [String: Any]
            }
            return JSONDocument(value: (order, refunds, deliveries, events))
        }.value
        guard let (order, refunds, deliveries, timeline) = found else { throw CheckoutError.orderNotFound }
        var document: [String: Any] = [
            "id": order.id, "email": principal.shows(order.email), "kind": order.kind, "status": order.status.rawValue,
            "currency": order.currency, "subtotal": adminMoney(order.subtotal, order.currency), "discount": adminMoney(order.discount, order.currency),
            "total": adminMoney(order.total, order.currency), "amount_refunded": adminMoney(order.amountRefunded, order.currency),
            "provider": order.provider, "created_at": isoTime(order.createdAt),
            "lines": order.lines.map { line -> [String: Any] in
                var row: [String: Any] = [
                    "id": line.id, "sku": line.sku, "title": line.title, "quantity": line.quantity,
                    "total": adminMoney(line.total - line.discount, order.currency), "refunded": line.refundedAt != nil,
                    "refundable": order.paidAt != nil && order.kind == "purchase" && line.refundedAt == nil,
                ]
                if let option = line.option { row["option"] = option }
                return row
            },
        ]
        if let coupon = order.coupon { document["coupon"] = coupon }
        if let paid = order.paidAt { document["paid_at"] = isoTime(paid) }
        if personal {
            document["refunds"] = refunds
            document["deliveries"] = deliveries
            document["timeline"] = timeline
            if let intent = order.paymentIntent { document["payment_intent"] = intent }
        }
        return document
    }

    /// `POST /api/admin/orders/{order}/receipt`: queues the receipt again, with today's download links.
    func resendReceipt(_ id: String, as principal: StaffPrincipal) async throws {
        let now = shop.clock.seconds
        let effects = shop.effects
        try await shop.storage.write { tx in
            guard let order = try tx.orders.find(id) else { throw CheckoutError.orderNotFound }
            guard order.paidAt != nil else { throw CheckoutError.invalid(field: "order_id", message: "order \(id) is not paid: it has no receipt") }
            try effects.sendReceipt(order, tx: tx, now: now, key: "receipt:\(id):resent:\(RandomToken.make(bytes: 6))")
            try AuditLog.record(tx, principal, action: "order.resend_receipt", target: "order:\(id)", after: ["to": order.email], now: now)
        }
        shop.mail.notify()
    }
}
