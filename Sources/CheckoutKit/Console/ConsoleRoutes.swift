import Foundation
import HTTPTypes
import Hummingbird
import ShopCore

/// What a console form post leads to: back to a page (303, so a reload does not post again), or a
/// page shown once (a new signing secret).
enum ConsoleOutcome {
    case redirect(String)
    case page(String, [String: Any])
}

/// The fields of a console form, by name.
struct ConsoleFields: Decodable {
    let fields: [String: String]

    init(from decoder: Decoder) throws {
        fields = try [String: String](from: decoder)
    }

    subscript(_ name: String) -> String? {
        fields[name].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
    }
}

extension ConsoleController {
    /// What `?done=` says after a form's redirect (fixed texts: a link cannot make the console say anything else).
    static let done = [
        "refunded": "Refunded. The customer's access to that product has ended.", "receipt": "The receipt is on its way again.",
        "entitlement": "Saved, and recorded in the audit log.", "deleted": "The endpoint was deleted.",
        "redelivered": "The delivery will be sent again in a moment.",
    ]

    /// A page that needs `permission`: signed-out visitors are sent to sign in.
    func get(
        _ router: Router<CheckoutRequestContext>, _ path: RouterPath, _ permission: AdminPermission, nav: String, title: String,
        _ body: @escaping @Sendable (Request, CheckoutRequestContext, StaffPrincipal) async throws -> (String, [String: Any])
    ) {
        router.get(path) { request, context in
            try await guarded(request, permission) { principal in
                let (template, page) = try await body(request, context, principal)
                let flash = request.uri.queryParameters.get("done").flatMap { Self.done[$0] }
                return ConsolePages.page(template, title: title, shop: shop.shopName, principal: principal, nav: nav, context: page, flash: flash)
            }
        }
    }

    /// A form post that needs `permission` and the session's CSRF token.
    func post(
        _ router: Router<CheckoutRequestContext>, _ path: RouterPath, _ permission: AdminPermission,
        _ body: @escaping @Sendable (Request, CheckoutRequestContext, StaffPrincipal, ConsoleFields) async throws -> ConsoleOutcome
    ) {
        router.post(path) { request, context in
            let form = try await RequestBody.formOrJSON(ConsoleFields.self, from: request, context: context).value
            return try await guarded(request, permission, csrf: form["csrf"] ?? "") { principal in
                switch try await body(request, context, principal, form) {
                case let .redirect(location): return .redirect(to: location, type: .normal)
                case let .page(template, page):
                    return ConsolePages.page(template, title: "Done", shop: shop.shopName, principal: principal, context: page)
                }
            }
        }
    }

    /// Runs `body` as the request's principal, answering for people what the API answers in JSON.
    func guarded(
        _ request: Request, _ permission: AdminPermission, csrf: String? = nil, _ body: (StaffPrincipal) async throws -> Response
    ) async throws -> Response {
        let principal: StaffPrincipal
        do {
            principal = try await AdminAccess(shop: shop).require(permission, request, csrf: csrf)
        } catch CheckoutError.unauthorized {
            if request.method == .get { return .redirect(to: "/admin/login", type: .normal) }
            return message(nil, "Signed out", "Your console session has ended. Sign in again.", status: .unauthorized)
        } catch let error as CheckoutError {
            let signedIn = try? await AdminAccess(shop: shop).principal(request)
            return message(signedIn, "Not allowed", error.message, status: error.status)
        }
        do {
            return try await body(principal)
        } catch let error as CheckoutError {
            return message(principal, "That did not work", error.message, status: error.status)
        }
    }

    func message(_ principal: StaffPrincipal?, _ heading: String, _ text: String, status: HTTPResponse.Status) -> Response {
        ConsolePages.page(
            "message", title: heading, shop: shop.shopName, principal: principal,
            context: ["heading": heading, "message": text, "link": principal == nil ? "/admin/login" : "/admin/", "link_text": "Back to the console"],
            status: status)
    }

    /// The link to the next page of a list, keeping the request's filters.
    static func next(_ page: [String: Any], _ request: Request) -> String? {
        guard let cursor = page["next_cursor"] as? String else { return nil }
        var items = URLComponents(string: request.uri.description)?.queryItems?.filter { $0.name != "cursor" } ?? []
        items.append(URLQueryItem(name: "cursor", value: cursor))
        var components = URLComponents()
        components.path = request.uri.path
        components.queryItems = items
        return components.string
    }

    /// The dashboard page's context: the report, the period choices and the query to keep in links.
    func dashboard(_ request: Request) async throws -> [String: Any] {
        let query = AdminQuery(request, timeZone: shop.now.timeZone)
        let report = try await DashboardReport.load(shop, query)
        let days = Int(query["days"] ?? "") ?? 30
        var keep = URLComponents()
        keep.queryItems = ["days", "from", "to"].compactMap { name in query[name].map { URLQueryItem(name: name, value: $0) } }
        return [
            "first_day": report.firstDay, "last_day": report.lastDay, "from": query["from"] ?? "", "to": query["to"] ?? "",
            "query": keep.percentEncodedQuery ?? "",
            "choices": DashboardReport.choices.map { ["days": $0, "selected": $0 == days && query["from"] == nil] },
            "panels": report.panels.map { panel -> [String: Any] in
                [
                    "id": panel.id, "title": panel.title, "headline": panel.headline, "note": panel.note,
                    "chart": panel.chart, "columns": panel.columns, "rows": panel.rows.map { ["cells": $0.map(\.display)] },
                ]
            },
        ]
    }
}
