import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ShopCore
import SiteCore

/// The console's pages: the built-in `admin-*.mustache` templates rendered with the project's
/// Mustache engine, each page's body inside `admin-layout`. Pages are HTML with a little inline
/// script (confirm before a refund, submit on a period change) and work without it.
enum ConsolePages {
    static let library: TemplateLibrary = {
        let sources: [String: [UInt8]] = [
            "layout": PackageResources.admin_layout_mustache, "login": PackageResources.admin_login_mustache,
            "dashboard": PackageResources.admin_dashboard_mustache, "orders": PackageResources.admin_orders_mustache,
            "order": PackageResources.admin_order_mustache, "customers": PackageResources.admin_customers_mustache,
            "customer": PackageResources.admin_customer_mustache, "subscriptions": PackageResources.admin_subscriptions_mustache,
            "leads": PackageResources.admin_leads_mustache, "webhooks": PackageResources.admin_webhooks_mustache,
            "webhook": PackageResources.admin_webhook_mustache, "audit": PackageResources.admin_audit_mustache,
            "message": PackageResources.admin_message_mustache,
        ]
        // The templates ship with the binary and are parsed by a test (`ConsoleTests`); one that
        // failed to parse would render as an empty page, never crash the service.
        return TemplateLibrary(templates: sources.compactMapValues { try? CompiledTemplate(String(decoding: $0, as: UTF8.self)) })
    }()

    /// A page: `template`'s body with `context`, inside the layout with the console's navigation.
    static func page(
        _ template: String, title: String, shop: String, principal: StaffPrincipal?, nav: String? = nil, context: [String: Any] = [:],
        flash: String? = nil, problem: String? = nil, status: HTTPResponse.Status = .ok
    ) -> Response {
        var values = context.mapValues(value)
        if let principal {
            values["csrf"] = .text(principal.csrf ?? "")
            values["can_read"] = .bool(principal.role.allows(.read))
            values["can_refund"] = .bool(principal.role.allows(.refund))
            values["can_resend"] = .bool(principal.role.allows(.resendReceipt))
            values["can_grant"] = .bool(principal.role.allows(.grantEntitlements))
            values["can_manage"] = .bool(principal.role.allows(.manageWebhooks))
            values["can_export"] = .bool(principal.role.allows(.exportPersonalData))
            values["can_erase"] = .bool(principal.role.allows(.erasePersonalData))
        }
        let body = library.render(template, .object(values))
        var layout: [String: TemplateValue] = [
            "title": .text(title), "shop": .text(shop), "body": .text(String(decoding: body, as: UTF8.self)),
            "flash": .text(flash), "problem": .text(problem),
        ]
        if let principal {
            layout["principal"] = .bool(true)
            layout["actor"] = .text(principal.actor.replacingOccurrences(of: "staff:", with: ""))
            layout["role"] = .text(principal.role.rawValue)
            layout["csrf"] = .text(principal.csrf ?? "")
            layout["can_read"] = .bool(principal.role.allows(.read))
            if let nav { layout["nav_" + nav] = .bool(true) }
        }
        let html = library.render("layout", .object(layout), sizeHint: 32_768)
        return Response(
            status: status,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                // The console is never framed (clickjacking) and loads nothing from elsewhere.
                HTTPField.Name("X-Frame-Options")!: "DENY",
                HTTPField.Name("Content-Security-Policy")!:
                    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
                HTTPField.Name("Referrer-Policy")!: "same-origin",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: html)))
    }

    /// A JSON-shaped value (`JSONSerialization`'s types) as a template value.
    static func value(_ any: Any) -> TemplateValue {
        switch any {
        case let text as String: return .text(text)
        case let flag as Bool: return .bool(flag)
        case let number as Int: return .int(number)
        case let number as Int64: return .int(Int(number))
        case let list as [Any]: return .list(list.map(value))
        case let object as [String: Any]: return .object(object.mapValues(value))
        case let value as TemplateValue: return value
        default: return .null
        }
    }
}
