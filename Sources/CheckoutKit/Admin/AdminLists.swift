import Foundation
import ShopCore

/// The admin API's other lists: subscriptions, leads (also as CSV) and the audit log.
struct AdminLists: Sendable {
    let shop: Shop

    /// `GET /api/admin/subscriptions?status&limit&cursor`: newest first.
    func subscriptions(_ query: AdminQuery, as principal: StaffPrincipal) async throws -> [String: Any] {
        let limit = try query.limit()
        let status = query["status"]
        if let status, SubscriptionStatus(rawValue: status) == nil {
            throw CheckoutError.invalid(
                field: "status", message: "status \(Quoted(status)) is not one of \(SubscriptionStatus.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let cursor = query["cursor"]
        let catalog = shop.catalog
        let rows = try await shop.storage.read { tx in try tx.admin.subscriptions(status: status, after: cursor, limit: limit + 1) }
        return AdminQuery.page(rows.map { row -> [String: Any] in
            var item: [String: Any] = [
                "id": row.id, "email": principal.shows(row.email), "plan": row.plan, "plan_title": catalog.plansBySlug[row.plan]?.title ?? row.plan,
                "status": row.status?.rawValue ?? "incomplete", "current_period_end": isoTime(row.currentPeriodEnd),
                "cancel_at_period_end": row.cancelAtPeriodEnd, "created_at": isoTime(row.createdAt),
            ]
            if let order = row.orderID { item["order_id"] = order }
            return item
        }, limit: limit)
    }

    /// `GET /api/admin/leads?limit&cursor`: newest first.
    func leads(_ query: AdminQuery) async throws -> [String: Any] {
        let limit = try query.limit()
        let cursor = query["cursor"]
        let rows = try await shop.storage.read { tx in try tx.admin.leads(after: cursor, limit: limit + 1) }
        return AdminQuery.page(rows.map { var row = Self.lead($0); row["email_path"] = pathSegment($0.email); return row }, limit: limit)
    }

    static func lead(_ lead: AdminQueries.LeadRow) -> [String: Any] {
        var row: [String: Any] = ["id": lead.id, "email": lead.email, "magnet": lead.magnet, "created_at": isoTime(lead.createdAt), "confirmed": lead.confirmedAt != nil]
        if let confirmed = lead.confirmedAt { row["confirmed_at"] = isoTime(confirmed) }
        return row
    }

    /// `GET /api/admin/leads.csv`: every lead, newest first (email, magnet, created_at, confirmed_at),
    /// read a thousand at a time.
    func leadsCSV() async throws -> String {
        var csv = "email,magnet,created_at,confirmed_at\r\n"
        var cursor: String?
        while true {
            let after = cursor
            let page = try await shop.storage.read { tx in try tx.admin.leads(after: after, limit: 1000) }
            for lead in page {
                csv += [lead.email, lead.magnet, isoTime(lead.createdAt), lead.confirmedAt.map(isoTime) ?? ""].map(DashboardPanel.csvField).joined(separator: ",") + "\r\n"
            }
            guard page.count == 1000, let last = page.last else { return csv }
            cursor = last.id
        }
    }

    /// `GET /api/admin/audit?target&limit&cursor`: newest first. The log has no route that edits it.
    func audit(_ query: AdminQuery) async throws -> [String: Any] {
        let limit = try query.limit()
        let (cursor, target) = (query["cursor"], query["target"])
        let entries = try await shop.storage.read { tx in try tx.audit.entries(before: cursor, target: target, limit: limit + 1) }
        return AdminQuery.page(entries.map { entry -> [String: Any] in
            var row: [String: Any] = [
                "id": entry.id, "at": isoTime(entry.at), "actor": entry.actor, "role": entry.role, "action": entry.action, "target": entry.target,
            ]
            if let before = entry.before { row["before"] = (try? JSONSerialization.jsonObject(with: Data(before.utf8))) ?? before }
            if let after = entry.after { row["after"] = (try? JSONSerialization.jsonObject(with: Data(after.utf8))) ?? after }
            if let reason = entry.reason { row["reason"] = reason }
            return row
        }, limit: limit)
    }
}
