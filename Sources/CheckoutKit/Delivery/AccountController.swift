import Crypto
import Foundation
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
        if let wait = try await shop.limiter.hit([
            ("login-ip:" + shop.clientAddress(request, context: context), shop.configuration.loginLimitPerIP),
            ("login-email:" + email, shop.configuration.loginLimitPerAddress),
        ], now: now) {
            throw CheckoutError.tooManyRequests(retryAfter: wait)
        }
        let token = RandomToken.make(bytes: 32)
        let url = shop.address.publicURL + "/account/login/" + token
        let (subject, text) = shop.templates.render(.magicLink, [
            "shop": .text(shop.shopName), "login_url": .text(url), "minutes": .int(Self.loginLifetime / 60),
        ])
        let tokenHash = Self.hash(token)
        try await shop.storage.write { tx in
            // Only known customers get an email; the answer is the same either way, so it reveals nothing.
            guard try tx.accounts.isKnownCustomer(email) else { return }
            try tx.accounts.addLoginToken(hash: tokenHash, email: email, expiresAt: now + Self.loginLifetime)
            try tx.outbox.enqueue(key: "login:\(tokenHash)", to: email, subject: subject, body: text, now: now)
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
        let (tokenHash, sessionHash) = (Self.hash(token), Self.hash(session))
        let email = try await shop.storage.write { tx -> String? in
            guard let email = try tx.accounts.redeemLoginToken(hash: tokenHash, now: now) else { return nil }
            try tx.accounts.addSession(hash: sessionHash, email: email, now: now, expiresAt: now + Self.sessionLifetime)
            return email
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
        let (entitlements, orders, subscriptions, deliveries) = try await shop.storage.read { tx in
            let orders = try tx.orders.paidIDs(email: email).compactMap { try tx.orders.find($0) }
            return (
                try delivery.ledger.current(tx, email: email, now: now).sorted(), orders, try tx.subscriptions.all(email: email),
                try orders.reduce(into: [String: Data]()) { $0[$1.id] = try DeliveryView.data(tx, order: $1.id, catalog: catalog) }
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
                    "deliveries": deliveries[order.id].flatMap { try? JSONSerialization.jsonObject(with: $0) } ?? [],
                ]
            },
            "subscriptions": subscriptions.map { row -> [String: Any] in
                let status = row.status ?? .incomplete
                let fact = SubscriptionFact(id: row.id, plan: row.plan, status: status, currentPeriodEnd: row.currentPeriodEnd)
                return [
                    "id": row.id, "plan": row.plan, "plan_title": catalog.plansBySlug[row.plan]?.title ?? row.plan, "status": status.rawValue,
                    "current_period_end": isoTime(row.currentPeriodEnd), "cancel_at_period_end": row.cancelAtPeriodEnd,
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
        guard let row = try await shop.storage.read({ tx in try tx.subscriptions.find(id) }), row.email == email else {
            throw CheckoutError.invalid(field: "subscription", message: "no subscription \(Quoted(id)) on this account")
        }
        try await shop.provider.setCancelAtPeriodEnd(CancelAtPeriodEnd(
            providerID: row.providerID ?? id, cancel: cancel, status: row.status?.rawValue ?? "", periodEnd: row.currentPeriodEnd,
            orderID: row.orderID ?? "", plan: row.plan))
        let state = try await shop.storage.read { tx in try tx.subscriptions.find(id) }
        return try jsonResponse(SubscriptionState(id: id, status: state?.status?.rawValue ?? "", cancelAtPeriodEnd: state?.cancelAtPeriodEnd ?? cancel))
    }

    @Sendable func logout(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        if let session = request.cookies[Self.cookie]?.value {
            let hash = Self.hash(session)
            try await shop.storage.write { tx in try tx.accounts.removeSession(hash: hash) }
        }
        var response = try jsonResponse(["status": "signed_out"])
        response.setCookie(cookie("", maxAge: 0))
        return response
    }

    /// The signed-in customer's email, or a 401.
    func signedIn(_ request: Request) async throws -> String {
        let now = shop.clock.seconds
        guard let session = request.cookies[Self.cookie]?.value,
              case let hash = Self.hash(session),
              let email = try await shop.storage.read({ tx in try tx.accounts.sessionEmail(hash: hash, now: now) })
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
