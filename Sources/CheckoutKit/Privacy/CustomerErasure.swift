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
/// The address is matched whole and case-blind (`PersonalDataScrub.mentions`); names are taken out
/// of the person's own audit entries and delivery notes only, as whole words.
///
/// - Throws: `CheckoutError.notFound` (field `email`) when the shop holds nothing about the address;
///   `CheckoutError.conflict` (field `email`) naming what holds the erasure back: a subscription the
///   payment provider bills or may still bill (cancel it first: erasing the address would leave a
///   membership charged to nobody the shop can reach), an unpaid order younger than `openSince`
///   (its payment session may still be paid), or an email to the person being sent right now.
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

    static func erase(
        _ tx: StorageTransaction, email: String, reason: String?, by principal: StaffPrincipal, openSince: Int, now: Int
    ) throws -> Report {
        let data = tx.personalData
        // Taken first, as every entitlement change takes it: none can land between the deletes below.
        try tx.entitlements.lock(email: email)
        let billed = try data.billedSubscriptions(email: email)
        guard billed.isEmpty else {
            throw CheckoutError.conflict(
                field: "email",
                message: "\(Quoted(email)) has a membership the payment provider bills or may still bill (\(billed.joined(separator: ", "))); cancel it first, then erase")
        }
        let open = try data.openOrders(email: email, since: openSince)
        guard open.isEmpty else {
            throw CheckoutError.conflict(
                field: "email",
                message: "\(Quoted(email)) has an unpaid checkout whose payment session may still be paid (\(open.joined(separator: ", "))); erase once it has expired")
        }
        guard try data.emailsBeingSent(email: email, now: now) == 0 else {
            throw CheckoutError.conflict(field: "email", message: "an email to \(Quoted(email)) is being sent right now; erase in a minute")
        }
        let emails: [String] = try tx.sql.query(
            "SELECT id FROM outbox WHERE shop_id = ? AND \(tx.sql.lowered("recipient")) = ?", [tx.shop.sqlValue, email.lowercased().sqlValue]
        ).map { try $0[0] }
        let reference = RandomToken.make(bytes: 9, prefix: "erased_")
        let orders = try data.anonymise("orders", email: email, reference: reference)
        try data.replaceOrderTokens(orders)
        let subscriptions = try data.anonymise("subscriptions", email: email, reference: reference)
        var deleted = 0
        for table in ["leads", "entitlements", "entitlement_log", "entitlement_overrides", "sessions", "login_tokens"] {
            deleted += try data.delete(from: table, email: email)
        }
        // The lock row this erasure took (and any before it) is no trace of a customer: not counted.
        _ = try data.delete(from: "customer_locks", email: email)
        deleted += try data.delete(from: "outbox", email: email, column: "recipient")
        try data.deleteRateLimits(email: email)
        var rewritten = 0
        var names: Set<String> = []
        for (table, key) in [("webhook_events", "sequence"), ("webhook_deliveries", "id")] {
            for (row, payload) in try data.payloads(mentioning: email, in: table, key: key) {
                names.formUnion(PersonalDataScrub.names(in: payload))
                try data.replacePayload(in: table, key: key, row, with: PersonalDataScrub.scrub(payload, email: email, reference: reference))
                rewritten += 1
            }
        }
        rewritten += try rewriteNotes(tx, email: email, names: names, orders: orders, subscriptions: subscriptions, reference: reference)
        guard !orders.isEmpty || !subscriptions.isEmpty || deleted > 0 || rewritten > 0 else {
            throw CheckoutError.notFound(field: "email", message: "no customer \(Quoted(email)) in this shop")
        }
        let lowered = email.lowercased()
        try OutgoingEvents.enqueue(tx, type: "customer.erased", data: [
            "object": "customer_erasure", "customer": reference, "email_sha256": AdminAccess.hash(lowered), "orders": orders,
            "subscriptions": subscriptions,
        ], now: now)
        let report = Report(reference: reference, orders: orders, subscriptions: subscriptions, deleted: deleted, rewritten: rewritten, emails: emails)
        try AuditLog.record(
            tx, principal, action: "customer.erase", target: "customer:\(reference)",
            after: ["orders": orders.count, "subscriptions": subscriptions.count, "deleted_rows": deleted, "rewritten_rows": rewritten],
            reason: reason.map { rewrite($0, email: lowered, names: names, reference: reference) }, now: now)
        return report
    }

    /// The audit log's entries and the delivery notes about the person — those naming their address,
    /// about their orders or subscriptions — without the address or the names the payment provider
    /// gave (whole words, longest first); how many rows changed. Other rows are never touched.
    static func rewriteNotes(
        _ tx: StorageTransaction, email: String, names: Set<String>, orders: [String], subscriptions: [String], reference: String
    ) throws -> Int {
        let data = tx.personalData
        let lowered = email.lowercased()
        let targets = (["customer:" + email] + orders.map { "order:" + $0 } + subscriptions.map { "subscription:" + $0 }).map(\.sqlValue)
        var rewritten = 0
        for chunk in stride(from: 0, to: targets.count, by: 500).map({ Array(targets[$0..<min($0 + 500, targets.count)]) }) {
            let placeholders = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            let audit = ["target", "before", "after", "reason"]
            for row in try data.textRows(in: "audit_log", columns: audit, mentioning: [lowered], or: ("target IN (\(placeholders))", chunk)) {
                rewritten += try rewriteRow(data, "audit_log", audit, row, email: lowered, names: names, reference: reference, about: chunk.contains(row.texts[0]))
            }
        }
        for chunk in stride(from: 0, to: orders.count, by: 500).map({ Array(orders[$0..<min($0 + 500, orders.count)]) }) {
            let placeholders = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            let condition = "delivery_id IN (SELECT id FROM line_deliveries WHERE shop_id = ? AND order_id IN (\(placeholders)))"
            for row in try data.textRows(in: "delivery_log", columns: ["note"], mentioning: [lowered], or: (condition, [tx.shop.sqlValue] + chunk.map(\.sqlValue))) {
                rewritten += try rewriteRow(data, "delivery_log", ["note"], row, email: lowered, names: names, reference: reference, about: true)
            }
        }
        return rewritten
    }

    /// Rewrites one row found by `rewriteNotes` if it is about the person (`about`, or it names the
    /// address); 1 when it changed.
    private static func rewriteRow(
        _ data: PersonalDataRecords, _ table: String, _ columns: [String], _ row: (id: SQLValue, texts: [SQLValue]), email: String,
        names: Set<String>, reference: String, about: Bool
    ) throws -> Int {
        guard about || row.texts.contains(where: { PersonalDataRecords.mentions($0, email) }) else { return 0 }
        let values = row.texts.map { value -> SQLValue in
            guard case .text(let text) = value else { return value }
            return .text(rewrite(text, email: email, names: names, reference: reference))
        }
        guard values != row.texts else { return 0 }
        try data.setText(in: table, columns: columns, id: row.id, values)
        return 1
    }

    /// `text` without the address and the person's names.
    static func rewrite(_ text: String, email: String, names: Set<String>, reference: String) -> String {
        let text = PersonalDataScrub.replacing(email, with: reference, in: text)
        return names.map { $0.lowercased() }.sorted { $0.count > $1.count }.reduce(text) {
            PersonalDataScrub.replacing(name: $1, with: reference, in: $0)
        }
    }
}
