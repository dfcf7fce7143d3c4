import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ShopCore

/// The admin API's routes under `/api/admin` (described in `/openapi.yaml`). Each names the
/// permission it needs (`StaffRole.allows`); a forbidden request answers 403 before it reads or
/// writes anything.
struct AdminAPI: Sendable {
    let shop: Shop

    var access: AdminAccess { AdminAccess(shop: shop) }
    var query: (Request) -> AdminQuery { { [shop] in AdminQuery($0, timeZone: shop.now.timeZone) } }

    func register(on api: RouterGroup<CheckoutRequestContext>) {
        let (orders, customers, lists, webhooks) = (AdminOrders(shop: shop), AdminCustomers(shop: shop), AdminLists(shop: shop), AdminWebhooks(shop: shop))
        api.get("admin/orders") { request, _ in
            try adminJSON(try await orders.list(query(request), as: try await access.require(.readReports, request)))
        }
        api.get("admin/orders/:order") { request, context in
            try adminJSON(try await orders.detail(try context.parameters.require("order"), as: try await access.require(.readReports, request)))
        }
        api.post("admin/orders/:order/refunds", use: RefundController(shop: shop).refund)
        api.post("admin/orders/:order/receipt") { request, context in
            let principal = try await access.require(.resendReceipt, request)
            try await orders.resendReceipt(try context.parameters.require("order"), as: principal)
            return try adminJSON(["status": "queued"], status: .accepted)
        }
        api.post("admin/orders/:order/deliveries/:delivery/delivered", use: DeliveryView.Controller(shop: shop).markDelivered)
        api.get("admin/customers") { request, _ in
            _ = try await access.require(.read, request)
            return try adminJSON(try await customers.list(query(request)))
        }
        api.get("admin/customers/:email") { request, context in
            _ = try await access.require(.read, request)
            return try adminJSON(try await customers.detail(try Self.email(context)))
        }
        api.post("admin/customers/:email/entitlements") { request, context in
            let principal = try await access.require(.grantEntitlements, request)
            let body = try await RequestBody.json(AdminCustomers.OverrideRequest.self, from: request, context: context)
            return try adminJSON(try await customers.override(try Self.email(context), body, as: principal))
        }
        api.get("admin/customers/:email/export") { request, context in
            _ = try await access.require(.exportPersonalData, request)
            return try await Self.export(shop, try Self.email(context))
        }
        api.post("admin/customers/:email/erase") { request, context in
            let principal = try await access.require(.erasePersonalData, request)
            let body = try await RequestBody.json(CustomerErasure.Request.self, from: request, context: context)
            let erasure = try await shop.eraseCustomer(try Self.email(context), reason: body.reason, by: principal)
            return try adminJSON([
                "object": "customer_erasure", "customer": erasure.reference, "orders": erasure.orders, "subscriptions": erasure.subscriptions,
                "deleted_rows": erasure.deletedRows, "rewritten_rows": erasure.rewrittenRows, "mail_files": erasure.mailFiles,
                "log_emptied": erasure.logEmptied,
            ])
        }
        api.get("admin/subscriptions") { request, _ in
            try adminJSON(try await lists.subscriptions(query(request), as: try await access.require(.readReports, request)))
        }
        api.get("admin/leads") { request, _ in
            _ = try await access.require(.read, request)
            return try adminJSON(try await lists.leads(query(request)))
        }
        api.get("admin/leads.csv") { request, _ in
            _ = try await access.require(.read, request)
            return Self.csv(try await lists.leadsCSV(), name: "leads.csv")
        }
        api.get("admin/audit") { request, _ in
            _ = try await access.require(.read, request)
            return try adminJSON(try await lists.audit(query(request)))
        }
        api.get("admin/webhooks") { request, _ in
            _ = try await access.require(.read, request)
            return try adminJSON(try await webhooks.list())
        }
        api.post("admin/webhooks") { request, context in
            let principal = try await access.require(.manageWebhooks, request)
            let body = try await RequestBody.json(AdminWebhooks.CreateRequest.self, from: request, context: context)
            return try adminJSON(try await webhooks.create(body, as: principal), status: .created)
        }
        api.post("admin/webhooks/:endpoint/rotate") { request, context in
            let principal = try await access.require(.manageWebhooks, request)
            return try adminJSON(try await webhooks.rotate(try context.parameters.require("endpoint"), as: principal))
        }
        api.delete("admin/webhooks/:endpoint") { request, context in
            let principal = try await access.require(.manageWebhooks, request)
            try await webhooks.delete(try context.parameters.require("endpoint"), as: principal)
            return try adminJSON(["deleted": true])
        }
        api.get("admin/webhooks/:endpoint/deliveries") { request, context in
            _ = try await access.require(.read, request)
            return try adminJSON(try await webhooks.deliveries(try context.parameters.require("endpoint"), limit: try query(request).limit()))
        }
        api.post("admin/webhooks/:endpoint/deliveries/:delivery/redeliver") { request, context in
            let principal = try await access.require(.manageWebhooks, request)
            try await webhooks.redeliver(try context.parameters.require("endpoint"), delivery: try context.parameters.require("delivery"), as: principal)
            return try adminJSON(["status": "queued"], status: .accepted)
        }
        api.get("admin/keys") { request, _ in
            _ = try await access.require(.manageKeys, request)
            let keys = try await shop.storage.read { tx in try tx.staff.keys() }
            return try adminJSON(["object": "list", "has_more": false, "data": keys.map(Self.key)])
        }
        api.get("admin/dashboard") { request, _ in
            _ = try await access.require(.readReports, request)
            let report = try await DashboardReport.load(shop, query(request))
            return try adminJSON(report.json)
        }
        api.get("admin/dashboard.csv") { request, _ in
            _ = try await access.require(.readReports, request)
            let query = query(request)
            let report = try await DashboardReport.load(shop, query)
            return Self.csv(try report.csv(panel: query["panel"]), name: "\(query["panel"] ?? "dashboard").csv")
        }
    }

    static func key(_ key: StaffKey) -> [String: Any] {
        var row: [String: Any] = ["id": key.id, "name": key.name, "role": key.role.rawValue, "created_at": isoTime(key.createdAt)]
        if let used = key.lastUsedAt { row["last_used_at"] = isoTime(used) }
        if let revoked = key.revokedAt { row["revoked_at"] = isoTime(revoked) }
        return row
    }

    /// The `{email}` path parameter, percent-decoded, its domain lower-cased as the checkout stores
    /// addresses (the part before `@` is kept as the shopper typed it).
    static func email(_ context: CheckoutRequestContext) throws -> String {
        let raw = try context.parameters.require("email")
        let decoded = raw.removingPercentEncoding ?? raw
        return EmailAddress.normalized(decoded) ?? decoded
    }

    /// A customer's export (`CustomerExport`) as a download: JSON, an attachment, never cached.
    static func export(_ shop: Shop, _ email: String) async throws -> Response {
        var response = Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try await shop.customerData.export(email))))
        response.headers[.contentDisposition] = "attachment; filename=\"customer-export.json\""
        response.headers[.cacheControl] = "no-store"
        return response
    }

    static func csv(_ text: String, name: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(name)\"", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
