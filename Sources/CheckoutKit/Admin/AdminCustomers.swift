import Foundation
import ShopCore

/// The admin API's customers: who bought, subscribed or asked for a free file; one person's
/// orders, entitlements (with their log and the overrides staff made), subscriptions, leads and
/// sessions; and granting or revoking an entitlement by hand, with a reason.
struct AdminCustomers: Sendable {
    let shop: Shop

    /// `GET /api/admin/customers?q&limit&cursor`: alphabetical; `q` is the start of an address.
    func list(_ query: AdminQuery) async throws -> [String: Any] {
        let limit = try query.limit()
        let (search, cursor) = (query["q"], query["cursor"])
        let rows = try await shop.storage.read { tx -> JSONDocument<[[String: Any]]> in
            JSONDocument(value: try tx.admin.customers(search: search, after: cursor, limit: limit + 1).map { email in
                let summary = try tx.admin.customerSummary(email)
                var row: [String: Any] = [
                    "id": email, "email": email, "email_path": pathSegment(email), "paid_orders": summary.orders, "spent": summary.spent.map { adminMoney($0.amount, $0.currency) },
                ]
                if let last = summary.lastOrderAt { row["last_order_at"] = isoTime(last) }
                return row
            })
        }.value
        return AdminQuery.page(rows, limit: limit)
    }

    /// `GET /api/admin/customers/{email}`.
    func detail(_ email: String) async throws -> [String: Any] {
        let now = shop.clock.seconds
        let (ledger, catalog) = (shop.delivery.ledger, shop.catalog)
        let document = try await shop.storage.read { tx -> JSONDocument<[String: Any]?> in
            let orders = try tx.admin.orders(OrderFilter(email: email), after: nil, limit: 200)
            let subscriptions = try tx.subscriptions.all(email: email)
            let leads = try tx.admin.leads(email: email, after: nil, limit: 200)
            let log = try tx.admin.entitlementLog(email: email)
            let overrides = try tx.overrides.active(email: email)
            guard !orders.isEmpty || !subscriptions.isEmpty || !leads.isEmpty || !log.isEmpty || !overrides.isEmpty else {
                return JSONDocument(value: nil)
            }
            let current = try ledger.current(tx, email: email, now: now).sorted()
            return JSONDocument(value: [
                "email": email, "email_path": pathSegment(email),
                "orders": orders.map { order -> [String: Any] in
                    ["id": order.id, "status": order.status, "kind": order.kind, "total": adminMoney(order.total, order.currency),
                     "created_at": isoTime(order.createdAt)]
                },
                "entitlements": current.map { entitlement -> [String: Any] in
                    let title = entitlement.productSKU.flatMap { catalog.productsBySKU[$0]?.title }
                        ?? entitlement.magnetSlug.flatMap { catalog.leadMagnetsBySlug[$0]?.title } ?? entitlement.item
                    return ["item": entitlement.item, "title": title, "cause": entitlement.cause]
                },
                "entitlement_log": log.map { ["item": $0.item, "change": $0.change, "cause": $0.cause, "at": isoTime($0.at)] as [String: Any] },
                "overrides": overrides.map {
                    ["id": $0.id, "item": $0.item, "effect": $0.effect.rawValue, "reason": $0.reason, "actor": $0.actor, "created_at": isoTime($0.createdAt)]
                    as [String: Any]
                },
                "subscriptions": subscriptions.map { row -> [String: Any] in
                    ["id": row.id, "plan": row.plan, "status": row.status?.rawValue ?? "incomplete",
                     "current_period_end": isoTime(row.currentPeriodEnd), "cancel_at_period_end": row.cancelAtPeriodEnd]
                },
                "leads": leads.map { lead -> [String: Any] in
                    var row: [String: Any] = ["id": lead.id, "magnet": lead.magnet, "created_at": isoTime(lead.createdAt)]
                    if let confirmed = lead.confirmedAt { row["confirmed_at"] = isoTime(confirmed) }
                    return row
                },
                "sessions": try tx.admin.sessions(email: email, now: now).map { ["created_at": isoTime($0.createdAt), "expires_at": isoTime($0.expiresAt)] },
            ])
        }.value
        guard let document else { throw CheckoutError.notFound(field: "email", message: "no customer \(Quoted(email)) in this shop") }
        return document
    }

    struct OverrideRequest: Decodable {
        let sku: String?
        let item: String?
        let action: String?
        let reason: String?
    }

    /// `POST /api/admin/customers/{email}/entitlements` `{"sku" | "item", "action": "grant" | "revoke", "reason"}`.
    /// A grant gives the product (or free file) until revoked; a revocation takes it away whatever
    /// gave it, until granted again. Both are recorded in the entitlement log and the audit log, and
    /// announced as `entitlement.granted` / `entitlement.revoked`.
    /// - Throws: `CheckoutError.invalid` naming `sku`, `action` or `reason`.
    func override(_ email: String, _ request: OverrideRequest, as principal: StaffPrincipal) async throws -> [String: Any] {
        let catalog = shop.catalog
        let item: String
        if let sku = request.sku?.trimmingCharacters(in: .whitespaces), !sku.isEmpty {
            // A variant's SKU names its product: entitlements are to products, whatever the format bought.
            guard let product = catalog.productsBySKU[sku]?.sku ?? catalog.variantsBySKU[sku]?.product else {
                let hint = catalog.bundlesBySKU[sku] != nil ? "; \(Quoted(sku)) is a bundle: grant its products one by one" : " in the catalog"
                throw CheckoutError.invalid(field: "sku", message: "no product or variant with SKU \(Quoted(sku))\(hint)")
            }
            item = "product:" + product
        } else if let given = request.item,
                  given.hasPrefix("product:") && catalog.productsBySKU[String(given.dropFirst(8))] != nil
                    || given.hasPrefix("magnet:") && catalog.leadMagnetsBySlug[String(given.dropFirst(7))] != nil {
            item = given
        } else {
            throw CheckoutError.invalid(
                field: "sku", message: "name the product: sku, or item (product:SKU or magnet:slug of the catalog)\(request.item.map { "; \(Quoted($0)) is none" } ?? "")")
        }
        guard let action = request.action, let effect = EntitlementOverride.Effect(rawValue: action) else {
            throw CheckoutError.invalid(field: "action", message: "action \(Quoted(request.action ?? "")) must be grant or revoke")
        }
        let reason = (request.reason ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw CheckoutError.invalid(field: "reason", message: "give a reason: it is kept in the audit log") }
        guard reason.count <= 500 else { throw CheckoutError.invalid(field: "reason", message: "the reason is \(reason.count) characters; at most 500") }
        let email = try EmailAddress.required(email)
        let now = shop.clock.seconds
        let (ledger, effects) = (shop.delivery.ledger, shop.effects)
        try await shop.storage.write { tx in
            try tx.entitlements.lock(email: email)
            let current = try ledger.current(tx, email: email, now: now)
            let before = current.map(\.item).sorted()
            let causes = current.filter { $0.item == item && !$0.cause.hasPrefix("manual:") }.map(\.cause).sorted()
            if effect == .revoke, !current.contains(where: { $0.item == item }) {
                throw CheckoutError.invalid(field: "sku", message: "\(email) has no \(Quoted(item)) to revoke")
            }
            _ = try tx.overrides.set(
                effect, item: item, causes: causes, email: email, reason: String(reason.prefix(500)), actor: principal.actor, now: now)
            let (granted, revoked) = try ledger.sync(tx, email: email, now: now)
            try effects.announce(granted: granted, revoked: revoked, email: email, tx: tx, now: now, revokesDeliveries: false)
            let after = try ledger.current(tx, email: email, now: now).map(\.item).sorted()
            try AuditLog.record(
                tx, principal, action: "entitlement.\(effect.rawValue)", target: "customer:\(email)",
                before: ["entitlements": Array(Set(before)).sorted()], after: ["entitlements": Array(Set(after)).sorted(), "item": item],
                reason: reason, now: now)
        }
        shop.webhooks.notify()
        return try await detail(email)
    }
}
