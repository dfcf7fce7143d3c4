import Foundation
import ShopCore

/// Erases a person from one shop (GDPR art. 17; `checkout customers erase`,
/// `POST /api/admin/customers/{email}/erase`), in one transaction:
///
/// - kept, as the law makes a shop keep its books: orders with their lines, amounts, taxes, dates,
///   refunds, payment ids and deliveries, and subscriptions; their address becomes an anonymous
///   reference (`erased_…`, random, the same on all of the person's rows, so they still count as
///   one customer) and each order gets a new token, so links to its page stop working;
/// - deleted: leads, entitlements and their log, entitlement overrides, sessions, sign-in links,
///   queued and sent emails, rate-limit counters;
/// - rewritten (`PersonalDataScrub`): stored payment-provider events, outgoing events (pending ones
///   go out without the person), audit-log entries and delivery notes that name the address;
/// - added: a `customer.erased` outgoing event (`customer`: the reference, `email_sha256`: the
///   SHA-256 of the lower-cased address, so the operator's systems can find their copy without this
///   one keeping the address; `orders`, `subscriptions`: ids) and an audit entry.
///
/// - Throws: `CheckoutError.notFound` (field `email`) when the shop holds nothing about the address;
///   `CheckoutError.conflict` naming the subscriptions the payment provider still bills (cancel them
///   first: erasing the address would leave a membership charged to nobody the shop can reach).
enum CustomerErasure {
    /// `POST /api/admin/customers/{email}/erase` `{"reason"?}`.
    struct Request: Decodable {
        let reason: String?

        /// - Throws: `CheckoutError.invalid` naming `reason` when it is over 500 characters.
        func checkedReason() throws -> String? {
            guard let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines), !reason.isEmpty else { return nil }
            guard reason.count <= 500 else { throw CheckoutError.invalid(field: "reason", message: "the reason is \(reason.count) characters; at most 500") }
            return reason
        }
    }

    /// What one erasure did; `emails` are the ids of the deleted emails (their `.eml` files go too).
    struct Report: Sendable, Equatable {
        let reference: String
        let orders: [String]
        let subscriptions: [String]
        let deleted: Int
        let rewritten: Int
        let emails: [String]
    }

    static func erase(_ tx: StorageTransaction, email: String, reason: String?, by principal: StaffPrincipal, now: Int) throws -> Report {
        let data = tx.personalData
        let billed = try data.billedSubscriptions(email: email)
        guard billed.isEmpty else {
            throw CheckoutError.conflict(
                field: "email",
                message: "\(Quoted(email)) has a membership the payment provider still bills (\(billed.joined(separator: ", "))); cancel it first, then erase")
        }
        let emails: [String] = try tx.sql.values("SELECT id FROM outbox WHERE shop_id = ? AND lower(recipient) = ?", tx.shop, email.lowercased())
        let reference = RandomToken.make(bytes: 9, prefix: "erased_")
        let orders = try data.anonymise("orders", email: email, reference: reference)
        try data.replaceOrderTokens(orders)
        let subscriptions = try data.anonymise("subscriptions", email: email, reference: reference)
        var deleted = 0
        for table in ["leads", "entitlements", "entitlement_log", "entitlement_overrides", "sessions", "login_tokens", "customer_locks"] {
            deleted += try data.delete(from: table, email: email)
        }
        deleted += try data.delete(from: "outbox", email: email, column: "recipient")
        try data.deleteRateLimits(email: email)
        guard !orders.isEmpty || !subscriptions.isEmpty || deleted > 0 else {
            throw CheckoutError.notFound(field: "email", message: "no customer \(Quoted(email)) in this shop")
        }
        var rewritten = 0
        var names: Set<String> = []
        for (table, key) in [("webhook_events", "sequence"), ("webhook_deliveries", "id")] {
            for (row, payload) in try data.payloads(mentioning: email, in: table, key: key) {
                names.formUnion(PersonalDataScrub.names(in: payload))
                try data.replacePayload(in: table, key: key, row, with: PersonalDataScrub.scrub(payload, email: email, reference: reference))
                rewritten += 1
            }
        }
        // The address, then the names the payment provider gave (longest first, so "Jane Doe" goes
        // before a "Jane" it contains).
        let needles = [email.lowercased()] + names.map { $0.lowercased() }.sorted { $0.count > $1.count }
        let rewrite = { (text: String) in needles.reduce(text) { PersonalDataScrub.replacing($1, with: reference, in: $0) } }
        rewritten += try data.rewriteText(in: "audit_log", columns: ["target", "before", "after", "reason"], mentioning: needles, rewrite)
        rewritten += try data.rewriteText(in: "delivery_log", columns: ["note"], mentioning: needles, rewrite)
        let lowered = email.lowercased()
        let digest = AdminAccess.hash(lowered)
        try OutgoingEvents.enqueue(tx, type: "customer.erased", data: [
            "object": "customer_erasure", "customer": reference, "email_sha256": digest, "orders": orders, "subscriptions": subscriptions,
        ], now: now)
        let report = Report(reference: reference, orders: orders, subscriptions: subscriptions, deleted: deleted, rewritten: rewritten, emails: emails)
        try AuditLog.record(
            tx, principal, action: "customer.erase", target: "customer:\(reference)",
            after: ["orders": orders.count, "subscriptions": subscriptions.count, "deleted_rows": deleted, "rewritten_rows": rewritten],
            reason: reason.map(rewrite), now: now)
        return report
    }
}
