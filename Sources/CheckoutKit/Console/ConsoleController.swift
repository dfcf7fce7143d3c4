import Foundation
import HTTPTypes
import Hummingbird
import ShopCore

/// The console at `/admin/`: server-rendered pages over the same documents the admin API answers
/// with (`AdminOrders`, `AdminCustomers`, `AdminLists`, `AdminWebhooks`, `DashboardReport`), and
/// forms that post to the same actions. Signed-out visitors go to the sign-in page; a role's
/// forbidden page or action answers 403.
struct ConsoleController: Sendable {
    let shop: Shop

    func register(on router: Router<CheckoutRequestContext>) {
        let login = StaffLogin(shop: shop)
        router.get("admin/login", use: login.form)
        router.post("admin/login", use: login.send)
        router.get("admin/login/:token", use: login.follow)
        router.post("admin/logout", use: login.logout)
        let (orders, customers, lists, webhooks) = (AdminOrders(shop: shop), AdminCustomers(shop: shop), AdminLists(shop: shop), AdminWebhooks(shop: shop))
        get(router, "admin", .readReports, nav: "dashboard", title: "Dashboard") { request, _, _ in
            try await ("dashboard", dashboard(request))
        }
        router.get("admin/dashboard.csv") { request, _ in
            try await guarded(request, .readReports) { _ in
                let query = AdminQuery(request, timeZone: shop.now.timeZone)
                return AdminAPI.csv(try await DashboardReport.load(shop, query).csv(panel: query["panel"]), name: "\(query["panel"] ?? "dashboard").csv")
            }
        }
        get(router, "admin/orders", .readReports, nav: "orders", title: "Orders") { request, _, principal in
            let query = AdminQuery(request, timeZone: shop.now.timeZone)
            var page = try await orders.list(query, as: principal)
            page["filter"] = query.parameters
            page["statuses"] = OrderStatus.allCases.map { ["name": $0.rawValue, "selected": $0.rawValue == query["status"]] }
            page["next"] = Self.next(page, request)
            return ("orders", page)
        }
        get(router, "admin/orders/:order", .readReports, nav: "orders", title: "Order") { _, context, principal in
            ("order", ["order": try await orders.detail(try context.parameters.require("order"), as: principal)])
        }
        post(router, "admin/orders/:order/refund", .refund) { request, context, principal, form in
            let order = try context.parameters.require("order")
            _ = try await RefundController(shop: shop).refund(order: order, line: form["line_id"], reason: form["reason"], by: principal)
            return .redirect("/admin/orders/\(order)?done=refunded")
        }
        post(router, "admin/orders/:order/receipt", .resendReceipt) { _, context, principal, _ in
            let order = try context.parameters.require("order")
            try await orders.resendReceipt(order, as: principal)
            return .redirect("/admin/orders/\(order)?done=receipt")
        }
        get(router, "admin/customers", .read, nav: "customers", title: "Customers") { request, _, _ in
            let query = AdminQuery(request, timeZone: shop.now.timeZone)
            var page = try await customers.list(query)
            page["q"] = query["q"] ?? ""
            page["next"] = Self.next(page, request)
            return ("customers", page)
        }
        get(router, "admin/customers/:email", .read, nav: "customers", title: "Customer") { _, context, _ in
            ("customer", ["customer": try await customers.detail(try AdminAPI.email(context))])
        }
        post(router, "admin/customers/:email/entitlements", .grantEntitlements) { _, context, principal, form in
            let email = try AdminAPI.email(context)
            _ = try await customers.override(
                email, AdminCustomers.OverrideRequest(sku: form["sku"], item: nil, action: form["action"], reason: form["reason"]), as: principal)
            return .redirect("/admin/customers/\(pathSegment(EmailAddress.normalized(email) ?? email))?done=entitlement")
        }
        router.get("admin/customers/:email/export") { request, context in
            try await guarded(request, .exportPersonalData) { _ in try await AdminAPI.export(shop, try AdminAPI.email(context)) }
        }
        post(router, "admin/customers/:email/erase", .erasePersonalData) { _, context, principal, form in
            let email = try AdminAPI.email(context)
            guard form["confirm"].map({ $0.lowercased() == email.lowercased() }) == true else {
                throw CheckoutError.invalid(field: "confirm", message: "tick the box that names \(email) to erase them")
            }
            let erasure = try await shop.eraseCustomer(email, reason: form["reason"], by: principal)
            return .page("message", [
                "heading": "Erased", "link": "/admin/customers", "link_text": "Back to customers",
                "message": "\(email) is erased. \(erasure.orders.count) orders and \(erasure.subscriptions.count) subscriptions are kept as \(erasure.reference).",
            ])
        }
        get(router, "admin/subscriptions", .readReports, nav: "subscriptions", title: "Subscriptions") { request, _, principal in
            let query = AdminQuery(request, timeZone: shop.now.timeZone)
            var page = try await lists.subscriptions(query, as: principal)
            page["statuses"] = SubscriptionStatus.allCases.map { ["name": $0.rawValue, "selected": $0.rawValue == query["status"]] }
            page["next"] = Self.next(page, request)
            return ("subscriptions", page)
        }
        get(router, "admin/leads", .read, nav: "leads", title: "Leads") { request, _, _ in
            var page = try await lists.leads(AdminQuery(request, timeZone: shop.now.timeZone))
            page["next"] = Self.next(page, request)
            return ("leads", page)
        }
        router.get("admin/leads.csv") { request, _ in
            try await guarded(request, .read) { _ in AdminAPI.csv(try await lists.leadsCSV(), name: "leads.csv") }
        }
        get(router, "admin/webhooks", .read, nav: "webhooks", title: "Webhooks") { _, _, _ in ("webhooks", try await webhooks.list()) }
        post(router, "admin/webhooks", .manageWebhooks) { _, _, principal, form in
            let events = (form["events"] ?? "*").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            // The secret is shown in this answer only, never put in a URL (logs, history, Referer).
            let created = try await webhooks.create(AdminWebhooks.CreateRequest(url: form["url"], events: events), as: principal)
            var page = try await webhooks.list()
            page["secret"] = created
            return .page("webhooks", page)
        }
        post(router, "admin/webhooks/:endpoint/rotate", .manageWebhooks) { _, context, principal, _ in
            let rotated = try await webhooks.rotate(try context.parameters.require("endpoint"), as: principal)
            var page = try await webhooks.list()
            page["secret"] = rotated
            return .page("webhooks", page)
        }
        post(router, "admin/webhooks/:endpoint/delete", .manageWebhooks) { _, context, principal, _ in
            try await webhooks.delete(try context.parameters.require("endpoint"), as: principal)
            return .redirect("/admin/webhooks?done=deleted")
        }
        get(router, "admin/webhooks/:endpoint", .read, nav: "webhooks", title: "Webhook deliveries") { _, context, _ in
            let endpoint = try context.parameters.require("endpoint")
            var page = try await webhooks.deliveries(endpoint, limit: 100)
            page["endpoint"] = endpoint
            return ("webhook", page)
        }
        post(router, "admin/webhooks/:endpoint/deliveries/:delivery/redeliver", .manageWebhooks) { _, context, principal, _ in
            let endpoint = try context.parameters.require("endpoint")
            try await webhooks.redeliver(endpoint, delivery: try context.parameters.require("delivery"), as: principal)
            return .redirect("/admin/webhooks/\(endpoint)?done=redelivered")
        }
        get(router, "admin/audit", .read, nav: "audit", title: "Audit log") { request, _, _ in
            var page = try await lists.audit(AdminQuery(request, timeZone: shop.now.timeZone))
            page["data"] = (page["data"] as? [[String: Any]] ?? []).map { entry in
                var entry = entry
                entry["before_text"] = entry["before"].flatMap { try? AuditLog.json(["": $0]) }.map { String($0.dropFirst(4).dropLast()) } ?? "–"
                entry["after_text"] = entry["after"].flatMap { try? AuditLog.json(["": $0]) }.map { String($0.dropFirst(4).dropLast()) } ?? "–"
                return entry
            }
            page["next"] = Self.next(page, request)
            return ("audit", page)
        }
    }
}
