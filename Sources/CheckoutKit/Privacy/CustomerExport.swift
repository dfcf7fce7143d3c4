import Foundation

/// Everything one shop holds about a person, as one JSON document: the answer to a data subject's
/// access request (GDPR art. 15; `checkout customers export`, `GET /api/admin/customers/{email}/export`).
///
/// Shape: `{"object": "customer_export", "email", "shop", "exported_at", "orders": [{…, "lines",
/// "refunds", "deliveries", "license_keys"}], "subscriptions", "entitlements", "entitlement_log",
/// "entitlement_overrides", "leads", "sessions", "login_links", "emails", "outgoing_events",
/// "payment_events", "audit_log"}` (what staff did about the person or their orders). Columns keep their stored names; times are seconds since 1970, amounts minor
/// units of the row's `currency`. Sessions and sign-in links are listed without their secrets;
/// stored events (the payment provider's and the ones sent to the operator's endpoints) appear
/// whole when they name the address.
enum CustomerExport {
    /// An email row whose body's sign-in links lose their token: whoever reads the export (staff
    /// among them) must not be able to sign in as the person with it.
    static func redactingSignInLinks(_ row: [String: Any]) -> [String: Any] {
        guard let body = row["body"] as? String, body.contains("/account/login/") else { return row }
        var row = row
        row["body"] = body.replacingOccurrences(of: #"/account/login/[A-Za-z0-9_\-]+"#, with: "/account/login/[redacted]", options: .regularExpression)
        return row
    }

    static func document(_ tx: StorageTransaction, email: String, now: Int) throws -> [String: Any]? {
        let data = tx.personalData
        let orders = try data.rows(
            "orders",
            ["id", "status", "kind", "currency", "subtotal", "discount", "total", "amount_refunded", "coupon", "provider", "payment_session_id",
             "payment_intent", "created_at", "paid_at", "failed_at", "expired_at"],
            email: email, order: "created_at, id"
        ).map { order -> [String: Any] in
            let id = order["id"] as? String ?? ""
            var order = order
            order["lines"] = try data.rows(
                "order_lines", ["id", "sku", "kind", "title", "option", "unit_price", "quantity", "total", "discount", "refunded_at"],
                where: "order_id", is: id, order: "position")
            order["refunds"] = try data.rows("refunds", ["id", "line_id", "amount", "provider_refund_id", "created_at"], where: "order_id", is: id, order: "created_at, id")
            let deliveries = try data.rows(
                "line_deliveries", ["id", "line_id", "sku", "method", "quantity", "status", "created_at", "updated_at"],
                where: "order_id", is: id, order: "created_at, id")
            order["deliveries"] = deliveries
            order["license_keys"] = try deliveries.flatMap { delivery in
                try data.rows("license_keys", ["sku", "key", "state", "assigned_at"], where: "delivery_id", is: delivery["id"] as? String ?? "", order: "id")
            }
            return order
        }
        let targets = orders.compactMap { $0["id"] as? String }.map { "order:" + $0 }
        let document: [String: Any] = [
            "audit_log": try data.auditEntries(email: email, targets: targets),
            "orders": orders,
            "subscriptions": try data.rows(
                "subscriptions",
                ["id", "provider_id", "order_id", "plan", "status", "status_at", "current_period_end", "cancel_at_period_end", "cancel_at", "created_at"],
                email: email, order: "created_at, id"),
            "entitlements": try data.rows("entitlements", ["item", "cause", "granted_at"], email: email, order: "granted_at, item, cause"),
            "entitlement_log": try data.rows("entitlement_log", ["item", "change", "cause", "at"], email: email, order: "sequence"),
            "entitlement_overrides": try data.rows(
                "entitlement_overrides", ["id", "item", "effect", "reason", "actor", "created_at", "ended_at", "ended_by"], email: email, order: "created_at, id"),
            "leads": try data.rows("leads", ["id", "magnet", "created_at", "last_sent_at", "confirmed_at"], email: email, order: "created_at, id"),
            "sessions": try data.rows("sessions", ["created_at", "expires_at"], email: email, order: "created_at"),
            "login_links": try data.rows("login_tokens", ["expires_at", "used_at"], email: email, order: "expires_at"),
            "emails": try data.rows(
                "outbox", ["id", "subject", "body", "created_at", "sent_at", "failed_at", "attempts"], email: email, column: "recipient", order: "created_at, id"
            ).map(redactingSignInLinks),
            "outgoing_events": try data.mentioning(
                email, in: "webhook_deliveries", column: "payload", blob: true,
                ["event_id", "event_type", "endpoint_id", "status", "created_at", "delivered_at", "payload"], order: "created_at, id"),
            "payment_events": try data.mentioning(
                email, in: "webhook_events", column: "payload", blob: true, ["id", "type", "received_at", "processed_at", "payload"], order: "sequence"),
        ]
        let found = document.values.contains { ($0 as? [Any])?.isEmpty == false }
        guard found else { return nil }
        return document.merging([
            "object": "customer_export", "email": email, "shop": tx.shop, "exported_at": now,
        ]) { current, _ in current }
    }
}
