import Crypto
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import ShopCore

/// Accounts without passwords: an emailed one-time link signs the shopper in with an HttpOnly session
/// cookie; the account lists what they can download, their orders and their subscriptions.
struct AccountController: Sendable {
    let shop: Shop
    static let cookie = "checkout_session"
    static let loginLifetime = 15 * 60
    static let sessionLifetime = 30 * 24 * 3600

    struct LoginRequest: Decodable {
        let email: String?
    }

    @Sendable func login(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        try await FormProblem.answering(request, back: shop.siteURL + "/account/") {
            try await sendLink(request, context: context)
        }
    }

    private func sendLink(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        let body = try await RequestBody.formOrJSON(LoginRequest.self, from: request, context: context)
        let email = try EmailAddress.required(body.value.email)
        let now = shop.clock.seconds
        if let wait = shop.limiter.hit("login-ip:" + context.remoteIP, rule: shop.configuration.loginLimitPerIP, now: now)
            ?? shop.limiter.hit("login-email:" + email, rule: shop.configuration.loginLimitPerAddress, now: now) {
            throw CheckoutError.tooManyRequests(retryAfter: wait)
        }
        let token = RandomToken.make(bytes: 32)
        let url = shop.address.publicURL + "/account/login/" + token
        let (subject, text) = shop.templates.render(.magicLink, [
            "shop": .text(shop.shopName), "login_url": .text(url), "minutes": .int(Self.loginLifetime / 60),
        ])
        try await shop.database.write { db in
            // Only known customers get an email; the answer is the same either way, so it reveals nothing.
            let known = try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM orders WHERE email = ?1 AND paid_at IS NOT NULL)
                    OR EXISTS (SELECT 1 FROM subscriptions WHERE email = ?1)
                    OR EXISTS (SELECT 1 FROM leads WHERE email = ?1 AND confirmed_at IS NOT NULL)
                """, arguments: [email]) ?? false
            guard known else { return }
            try db.execute(
                sql: "INSERT INTO login_tokens (token_hash, email, expires_at) VALUES (?, ?, ?)",
                arguments: [Self.hash(token), email, now + Self.loginLifetime])
            try Outbox.enqueue(db, key: "login:\(Self.hash(token))", to: email, subject: subject, body: text, now: now)
        }
        shop.mail.notify()
        if body.isForm { return .redirect(to: shop.siteURL + "/account/?login=sent", type: .found) }
        return try jsonResponse(["status": "sent"], status: .accepted)
    }

    /// `GET /account/login/{token}`: the emailed link. Signs in and goes to the account page.
    @Sendable func follow(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        let now = shop.clock.seconds
        let session = RandomToken.make(bytes: 32)
        let email = try await shop.database.write { db -> String? in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT email FROM login_tokens WHERE token_hash = ? AND used_at IS NULL AND expires_at >= ?",
                arguments: [Self.hash(token), now])
            else { return nil }
            try db.execute(sql: "UPDATE login_tokens SET used_at = ? WHERE token_hash = ?", arguments: [now, Self.hash(token)])
            try db.execute(
                sql: "INSERT INTO sessions (id_hash, email, created_at, expires_at) VALUES (?, ?, ?, ?)",
                arguments: [Self.hash(session), row[0] as String, now, now + Self.sessionLifetime])
            return row[0]
        }
        guard email != nil else {
            return MessagePage.response(
                status: .gone, title: "This sign-in link has expired",
                message: "Sign-in links work once, for \(Self.loginLifetime / 60) minutes. Ask for a new one on the account page.",
                link: ("Go to your account", shop.siteURL + "/account/"))
        }
        var response = Response.redirect(to: shop.siteURL + "/account/", type: .found)
        response.setCookie(cookie(session, maxAge: Self.sessionLifetime))
        return response
    }

    @Sendable func show(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        let email = try await signedIn(request)
        let now = shop.clock.seconds
        let delivery = shop.delivery
        let catalog = shop.catalog
        let (entitlements, orders, subscriptions) = try await shop.database.read { db in
            (
                try delivery.ledger.current(db, email: email, now: now).sorted(),
                try String.fetchAll(db, sql: "SELECT id FROM orders WHERE email = ? AND paid_at IS NOT NULL ORDER BY created_at DESC", arguments: [email])
                    .compactMap { try OrderStore.load(db, id: $0) },
                try Row.fetchAll(
                    db, sql: "SELECT id, plan, status, current_period_end, cancel_at_period_end FROM subscriptions WHERE email = ? ORDER BY created_at DESC",
                    arguments: [email]
                ).map { (id: $0[0] as String, plan: $0[1] as String, status: $0[2] as String, periodEnd: $0[3] as Int, cancelling: $0[4] as Bool) }
            )
        }
        var items: [[String: Any]] = []
        var seen = Set<String>()
        for entitlement in entitlements where seen.insert(entitlement.item).inserted {
            let sku = entitlement.productSKU
            let title = sku.flatMap { catalog.productsBySKU[$0]?.title }
                ?? entitlement.magnetSlug.flatMap { catalog.leadMagnetsBySlug[$0]?.title } ?? entitlement.item
            let files = delivery.links.links(email: email, entitlement: entitlement, now: now).map { ["name": $0.name, "url": $0.url] }
            var item: [String: Any] = ["item": entitlement.item, "title": title, "cause": entitlement.cause, "files": files]
            if let sku { item["sku"] = sku }
            items.append(item)
        }
        let account: [String: Any] = [
            "email": email,
            "entitlements": items,
            "orders": orders.map { order -> [String: Any] in
                [
                    "id": order.id, "status": order.status.rawValue, "total": ["amount": order.total, "currency": order.currency],
                    "created_at": isoTime(order.createdAt), "kind": order.kind,
                    "lines": order.lines.map { ["sku": $0.sku, "title": $0.title, "quantity": $0.quantity, "refunded": $0.refundedAt != nil] },
                ]
            },
            "subscriptions": subscriptions.map { row -> [String: Any] in
                let status = SubscriptionStatus(rawValue: row.status) ?? .incomplete
                let fact = SubscriptionFact(id: row.id, plan: row.plan, status: status, currentPeriodEnd: row.periodEnd)
                return [
                    "id": row.id, "plan": row.plan, "plan_title": catalog.plansBySlug[row.plan]?.title ?? row.plan, "status": status.rawValue,
                    "current_period_end": isoTime(row.periodEnd), "cancel_at_period_end": row.cancelling,
                    "access": EntitlementRules.grantsAccess(fact, now: now, grace: delivery.ledger.grace),
                ]
            },
        ]
        let data = try JSONSerialization.data(withJSONObject: account, options: [.sortedKeys, .withoutEscapingSlashes])
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    @Sendable func cancel(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        try await setCancel(true, request: request, context: context)
    }

    @Sendable func resume(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        try await setCancel(false, request: request, context: context)
    }

    private func setCancel(_ cancel: Bool, request: Request, context: CheckoutRequestContext) async throws -> Response {
        let email = try await signedIn(request)
        let id = try context.parameters.require("subscription")
        guard let row = try await shop.database.read({ db in
            try Row.fetchOne(
                db, sql: "SELECT provider_id, status, current_period_end, order_id, plan FROM subscriptions WHERE id = ? AND email = ?",
                arguments: [id, email]
            ).map { (provider: $0[0] as String? ?? id, status: $0[1] as String, periodEnd: $0[2] as Int, order: $0[3] as String?, plan: $0[4] as String) }
        }) else { throw CheckoutError.invalid(field: "subscription", message: "no subscription \(Quoted(id)) on this account") }
        try await shop.provider.setCancelAtPeriodEnd(CancelAtPeriodEnd(
            providerID: row.provider, cancel: cancel, status: row.status, periodEnd: row.periodEnd, orderID: row.order ?? "", plan: row.plan))
        let state = try await shop.database.read { db in
            try Row.fetchOne(db, sql: "SELECT status, cancel_at_period_end FROM subscriptions WHERE id = ?", arguments: [id])
                .map { (status: $0[0] as String, cancelling: $0[1] as Bool) }
        }
        return try jsonResponse(SubscriptionState(id: id, status: state?.status ?? "", cancelAtPeriodEnd: state?.cancelling ?? cancel))
    }

    @Sendable func logout(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        if let session = request.cookies[Self.cookie]?.value {
            try await shop.database.write { db in
                try db.execute(sql: "DELETE FROM sessions WHERE id_hash = ?", arguments: [Self.hash(session)])
            }
        }
        var response = try jsonResponse(["status": "signed_out"])
        response.setCookie(cookie("", maxAge: 0))
        return response
    }

    /// The signed-in customer's email, or a 401.
    func signedIn(_ request: Request) async throws -> String {
        let now = shop.clock.seconds
        guard let session = request.cookies[Self.cookie]?.value,
              let email = try await shop.database.read({ db in
                  try String.fetchOne(
                      db, sql: "SELECT email FROM sessions WHERE id_hash = ? AND expires_at >= ?", arguments: [Self.hash(session), now])
              })
        else { throw CheckoutError.notSignedIn }
        return email
    }

    private func cookie(_ value: String, maxAge: Int) -> Cookie {
        let secure = shop.address.publicURL.hasPrefix("https://")
        // Cross-origin storefronts need SameSite=None (which browsers only accept with Secure).
        let crossSite = shop.address.corsOrigin != nil && secure
        return Cookie(
            name: Self.cookie, value: value, maxAge: maxAge, path: "/", secure: secure, httpOnly: true,
            sameSite: crossSite ? .none : .lax)
    }

    static func hash(_ secret: String) -> String {
        Data(SHA256.hash(data: Data(secret.utf8))).hexString
    }

    struct SubscriptionState: Encodable {
        let id: String
        let status: String
        let cancelAtPeriodEnd: Bool

        enum CodingKeys: String, CodingKey {
            case id, status
            case cancelAtPeriodEnd = "cancel_at_period_end"
        }
    }
}
