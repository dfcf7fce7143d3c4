import Foundation
import HTTPTypes
import Hummingbird
import ShopCore

/// Staff sign in to the console as customers sign in to their account: an emailed link that works
/// once for 15 minutes, then an HttpOnly, SameSite=Lax session cookie (`checkout_staff`, 12
/// hours) with its own CSRF token. Lax, not Strict: the link is followed from a mail client, another
/// site, and a Strict cookie set by that navigation would be missing from the redirect to the
/// dashboard; every write needs the CSRF token anyway. Only addresses added with
/// `checkout admin staff add` get a link; the answer is the same for any other, so it says nothing
/// about who is staff.
struct StaffLogin: Sendable {
    let shop: Shop
    static let loginLifetime = 15 * 60
    static let sessionLifetime = 12 * 3600

    struct LoginForm: Decodable {
        let email: String?
    }

    /// `GET /admin/login`.
    @Sendable func form(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        let sent = request.uri.queryParameters.get("sent") != nil
        return ConsolePages.page("login", title: "Sign in", shop: shop.shopName, principal: nil,
                                 context: ["sent": sent, "minutes": Self.loginLifetime / 60])
    }

    /// `POST /admin/login` (form): emails a sign-in link to a member of staff.
    @Sendable func send(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        let body = try await RequestBody.formOrJSON(LoginForm.self, from: request, context: context)
        let email: String
        do {
            email = try EmailAddress.required(body.value.email).lowercased()
        } catch let error as CheckoutError {
            return ConsolePages.page("login", title: "Sign in", shop: shop.shopName, principal: nil, problem: error.message, status: .unprocessableContent)
        }
        let now = shop.clock.seconds
        if let wait = try await shop.limiter.hit([
            ("staff-login-ip:" + shop.clientAddress(request, context: context), shop.configuration.loginLimitPerIP),
            ("staff-login-email:" + email, shop.configuration.loginLimitPerAddress),
        ], now: now) {
            throw CheckoutError.tooManyRequests(retryAfter: wait)
        }
        let token = RandomToken.make(bytes: 32)
        let url = shop.address.publicURL + "/admin/login/" + token
        let hash = AdminAccess.hash(token)
        let shopName = shop.shopName
        try await shop.storage.write { tx in
            guard try tx.staff.role(of: email) != nil else { return }
            try tx.staff.addLoginToken(hash: hash, email: email, expiresAt: now + Self.loginLifetime)
            try tx.outbox.enqueue(
                key: "staff-login:\(hash)", to: email, subject: "Sign in to the \(shopName) console",
                body: "Sign in to the \(shopName) console:\n\n\(url)\n\nThe link works once, for \(Self.loginLifetime / 60) minutes. "
                    + "If you did not ask for it, ignore this email.\n",
                now: now)
        }
        shop.mail.notify()
        if body.isForm { return .redirect(to: "/admin/login?sent=1", type: .normal) }
        return try adminJSON(["status": "sent"], status: .accepted)
    }

    /// `GET /admin/login/{token}`: signs in and goes to the dashboard.
    @Sendable func follow(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        let now = shop.clock.seconds
        let session = RandomToken.make(bytes: 32)
        let csrf = RandomToken.make(bytes: 24)
        let (tokenHash, sessionHash) = (AdminAccess.hash(token), AdminAccess.hash(session))
        let signedIn = try await shop.storage.write { tx -> Bool in
            guard let email = try tx.staff.redeemLoginToken(hash: tokenHash, now: now), try tx.staff.role(of: email) != nil else { return false }
            try tx.staff.addSession(hash: sessionHash, email: email, csrf: csrf, now: now, expiresAt: now + Self.sessionLifetime)
            return true
        }
        guard signedIn else {
            return ConsolePages.page(
                "message", title: "Link expired", shop: shop.shopName, principal: nil,
                context: ["heading": "This sign-in link has expired", "message": "Sign-in links work once, for \(Self.loginLifetime / 60) minutes.",
                          "link": "/admin/login", "link_text": "Ask for a new one"],
                status: .gone)
        }
        var response = Response.redirect(to: "/admin/", type: .normal)
        response.setCookie(cookie(session, maxAge: Self.sessionLifetime))
        return response
    }

    /// `POST /admin/logout` (with the CSRF token): ends the session.
    @Sendable func logout(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        let form = try await RequestBody.formOrJSON(ConsoleForm.self, from: request, context: context)
        _ = try await AdminAccess(shop: shop).require(.readReports, request, csrf: form.value.csrf)
        if let session = request.cookies[AdminAccess.cookieName(shop)]?.value {
            let hash = AdminAccess.hash(session)
            try await shop.storage.write { tx in try tx.staff.removeSession(hash: hash) }
        }
        var response = Response.redirect(to: "/admin/login", type: .normal)
        response.setCookie(cookie("", maxAge: 0))
        return response
    }

    private func cookie(_ value: String, maxAge: Int) -> Cookie {
        Cookie(
            name: AdminAccess.cookieName(shop), value: value, maxAge: maxAge, path: "/", secure: shop.address.publicURL.hasPrefix("https://"),
            httpOnly: true, sameSite: .lax)
    }
}

/// The fields every console form carries.
struct ConsoleForm: Decodable {
    let csrf: String?
}
