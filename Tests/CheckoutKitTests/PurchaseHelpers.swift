import CheckoutKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

extension TestClientProtocol {
    /// Buys `lines` with the test provider; returns the order id and token once it is paid.
    func buy(_ lines: [(String, Int)], email: String = "buyer@example.com") async throws -> (id: String, token: String) {
        let cart = try await cart(lines)
        let checkout = try await json(.post, "/api/checkout", ["cart_id": cart, "email": email])
        let url = try #require(checkout["payment_url"] as? String)
        let paid = try await execute(uri: url.pathAndQuery + "/pay", method: .post)
        #expect(paid.status == .found)
        return (checkout["order_id"] as? String ?? "", checkout["order_token"] as? String ?? "")
    }

    /// Starts a membership with the test provider; returns the order and the payment page path (with its controls).
    func subscribe(_ plan: String, email: String) async throws -> (order: String, page: String) {
        let reply = try await json(.post, "/api/plans/\(plan)/checkout", ["email": email])
        #expect(reply.status == .created, "\(reply.text)")
        let page = (reply["payment_url"] as? String ?? "").pathAndQuery
        let paid = try await execute(uri: page + "/pay", method: .post)
        #expect(paid.status == .found)
        return (reply["order_id"] as? String ?? "", page)
    }

    /// GETs a URL from an email or the API.
    func get(_ url: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await execute(uri: url.pathAndQuery, method: .get, headers: headers)
    }

    /// Signs in as `email` through the emailed link; returns the session cookie header.
    func signIn(_ email: String, checkout: TestCheckout, control: CheckoutControl) async throws -> HTTPFields {
        try await signIn(email, emails: checkout.emails, control: control)
    }

    /// Signs in as `email` through the link found in `emails`; returns the session cookie header.
    func signIn(_ email: String, emails: () -> [SentEmail], control: CheckoutControl) async throws -> HTTPFields {
        let link = try await signInLink(email, emails: emails, control: control)
        let followed = try await get(link)
        #expect(followed.status == .found)
        let cookie = try #require(followed.headers[.setCookie])
        #expect(cookie.contains("HttpOnly"))
        return [.cookie: String(cookie.split(separator: ";")[0])]
    }

    /// Asks for a sign-in link for `email` and returns it from the email sent.
    func signInLink(_ email: String, emails: () -> [SentEmail], control: CheckoutControl) async throws -> String {
        let asked = try await json(.post, "/api/account/login", ["email": email])
        #expect(asked.status == .accepted)
        await control.sendPendingMail()
        let mail = try #require(emails().last { $0.to == email && $0.subject.contains("sign-in link") })
        return try #require(mail.links.first { $0.contains("/account/login/") })
    }

    func account(_ cookie: HTTPFields) async throws -> [String: Any] {
        let response = try await execute(uri: "/api/account", method: .get, headers: cookie)
        return (try? JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8))) as? [String: Any] ?? [:]
    }
}

/// The download URLs in an account answer, by product SKU or magnet.
func accountDownloads(_ account: [String: Any]) -> [String: [String]] {
    var result: [String: [String]] = [:]
    for item in account["entitlements"] as? [[String: Any]] ?? [] {
        let key = item["sku"] as? String ?? item["item"] as? String ?? ""
        result[key, default: []] += (item["files"] as? [[String: Any]] ?? []).compactMap { $0["url"] as? String }
    }
    return result
}
