import Crypto
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import ShopCore
import Testing

@testable import CheckoutKit

/// Two shops in one deployment (`TestShops`): everything shop alpha hands a shopper — a cart id, an
/// order token, a download link, a session cookie, a sign-in link, a lead confirmation, a webhook
/// signature, an admin token — is presented to shop beta, and every one is refused exactly as
/// beta refuses a made-up one of the same shape: same status, same body. On SQLite and PostgreSQL.
@Suite struct ShopIsolationTests {
    /// The status and body beta gives the foreign credential equal those it gives a made-up one.
    func expectRefusedAsUnknown(_ foreign: TestResponse, _ unknown: TestResponse, _ what: String) {
        #expect(foreign.status == unknown.status, "\(what): \(foreign.status) for alpha's, \(unknown.status) for a made-up one")
        #expect(String(buffer: foreign.body) == String(buffer: unknown.body), "\(what)")
        #expect(foreign.status.code >= 400, "\(what) was accepted by the other shop")
    }

    @Test func everythingOneShopIssuesIsRefusedByTheOtherAsUnknown() async throws {
        let shops = try TestShops()
        try await shops.run { clients, _, control in
            let (alpha, beta) = (clients["alpha"]!, clients["beta"]!)
            let alphaControl = try #require(try await control.shop("alpha"))

            // A cart.
            let cart = try await alpha.cart([("KB-NOAH-COLORING-A4", 1)])
            let madeUpCart = "cart_" + RandomToken.make(bytes: 16)
            expectRefusedAsUnknown(
                try await beta.get("/api/carts/\(cart)"), try await beta.get("/api/carts/\(madeUpCart)"), "GET cart")
            for (foreign, unknown) in [(cart, madeUpCart)] {
                let line: [String: Any] = ["sku": "KB-NOAH-COLORING-A4", "quantity": 2]
                expectRefusedAsUnknown(
                    try await beta.raw(.post, "/api/carts/\(foreign)/lines", line), try await beta.raw(.post, "/api/carts/\(unknown)/lines", line),
                    "add to cart")
                expectRefusedAsUnknown(
                    try await beta.raw(.post, "/api/checkout", ["cart_id": foreign, "email": "x@example.com"]),
                    try await beta.raw(.post, "/api/checkout", ["cart_id": unknown, "email": "x@example.com"]), "checkout of a cart")
            }
            #expect(try await alpha.json(.get, "/api/carts/\(cart)").status == .ok, "alpha still has its cart, untouched")

            // An order and its token; the download links it carries.
            let order = try await alpha.buy([("KB-NOAH-COLORING-A4", 1)], email: "both@example.com")
            let madeUpOrder = (id: "ord_" + RandomToken.make(bytes: 12), token: RandomToken.make(bytes: 24))
            expectRefusedAsUnknown(
                try await beta.get("/api/orders/\(order.id)?token=\(order.token)"),
                try await beta.get("/api/orders/\(madeUpOrder.id)?token=\(madeUpOrder.token)"), "order lookup")
            let paid = try await alpha.json(.get, "/api/orders/\(order.id)?token=\(order.token)")
            #expect(paid["status"] as? String == "paid")
            let download = try #require(
                ((paid["downloads"] as? [[String: Any]])?.first?["files"] as? [[String: Any]])?.first?["url"] as? String)
            #expect(try await alpha.get(download).status == .ok)
            let token = String(download.pathAndQuery.dropFirst("/downloads/".count))
            expectRefusedAsUnknown(
                try await beta.get("/downloads/\(token)"), try await beta.get("/downloads/\(Self.reshuffled(token))"), "download link")

            // A sign-in link and a session; the customer exists in alpha only.
            let link = try await alpha.signInLink("both@example.com", emails: { shops.emails("alpha") }, control: alphaControl)
            let loginToken = String(link.pathAndQuery.dropFirst("/account/login/".count))
            expectRefusedAsUnknown(
                try await beta.get("/account/login/\(loginToken)"), try await beta.get("/account/login/\(Self.reshuffled(loginToken))"),
                "sign-in link")
            let session = try await alpha.signIn("both@example.com", emails: { shops.emails("alpha") }, control: alphaControl)
            #expect(try await alpha.account(session)["email"] as? String == "both@example.com")
            let cookie = try #require(session[.cookie])
            let (name, value) = (cookie.split(separator: "=")[0], cookie.split(separator: "=", maxSplits: 1)[1])
            expectRefusedAsUnknown(
                try await beta.get("/api/account", headers: session),
                try await beta.get("/api/account", headers: [.cookie: "\(name)=\(Self.reshuffled(String(value)))"]), "session cookie")

            // A lead confirmation.
            #expect(try await alpha.json(.post, "/api/leads", ["email": "lead@example.com", "magnet": "scripture-memory-cards"]).status == .accepted)
            await alphaControl.sendPendingMail()
            let confirm = try #require(shops.emails("alpha").last { $0.to == "lead@example.com" }?.links.first { $0.contains("/leads/confirm/") })
            let leadToken = String(confirm.pathAndQuery.dropFirst("/leads/confirm/".count))
            expectRefusedAsUnknown(
                try await beta.get("/leads/confirm/\(leadToken)"), try await beta.get("/leads/confirm/\(Self.reshuffled(leadToken))"),
                "lead confirmation")

            // Alpha's admin token, at beta; and beta's own token naming alpha's order.
            let line = try #require((paid["lines"] as? [[String: Any]])?.first?["id"] as? String)
            let refund = "/api/admin/orders/\(order.id)/refunds"
            let bearer = { (token: String) -> HTTPFields in [.authorization: "Bearer \(token)"] }
            expectRefusedAsUnknown(
                try await beta.raw(.post, refund, ["line_id": line], headers: bearer(TestShops.adminToken("alpha"))),
                try await beta.raw(.post, refund, ["line_id": line], headers: bearer("made-up-token")), "alpha's admin token")
            expectRefusedAsUnknown(
                try await beta.raw(.post, refund, ["line_id": line], headers: bearer(TestShops.adminToken("beta"))),
                try await beta.raw(.post, "/api/admin/orders/\(madeUpOrder.id)/refunds", ["line_id": line], headers: bearer(TestShops.adminToken("beta"))),
                "a refund of alpha's order through beta")
            #expect(try await alpha.json(.get, "/api/orders/\(order.id)?token=\(order.token)")["status"] as? String == "paid")

            // Nothing of alpha's customer shows at beta, though the address is the same.
            #expect(try await beta.json(.post, "/api/account/login", ["email": "both@example.com"]).status == .accepted)
            await (try #require(try await control.shop("beta"))).sendPendingMail()
            #expect(shops.emails("beta").isEmpty, "beta sends no sign-in link to alpha's customer")
        }
    }

    @Test func aPaymentEventSignedForOneShopIsRefusedByTheOther() async throws {
        let shops = try TestShops()
        try await shops.run { clients, _, control in
            let (alpha, beta) = (clients["alpha"]!, clients["beta"]!)
            let order = try await alpha.pendingOrder()
            let now = Int(shops.time.now.timeIntervalSince1970)
            let events = EventFactory(secret: TestShops.webhookSecret("alpha"), now: now)
            let completed: [String: Any] = [
                "id": "cs_x", "object": "checkout.session", "client_reference_id": order.id, "payment_status": "paid", "payment_intent": "pi_x",
            ]
            let payload = try events.payload("checkout.session.completed", object: completed)
            // At beta's endpoint, alpha's signature is a wrong one, whatever host it comes through.
            for client in [beta, alpha] {
                let foreign = try await client.webhook(payload, signature: events.header(payload), path: "/webhooks/stripe/beta")
                let madeUp = try await client.webhook(payload, signature: events.header(payload, secret: "whsec_made_up"), path: "/webhooks/stripe/beta")
                #expect(foreign.status == .badRequest && madeUp.status == .badRequest)
                #expect(foreign.text == madeUp.text)
            }
            // Signed with beta's own secret, an event naming alpha's order changes nothing at alpha.
            let betaEvents = EventFactory(secret: TestShops.webhookSecret("beta"), now: now)
            let accepted = try await beta.webhook(payload, signature: betaEvents.header(payload), path: "/webhooks/stripe/beta")
            #expect(accepted.status == .ok)
            await (try #require(try await control.shop("beta"))).processPendingEvents()
            #expect(try await alpha.status(of: order) == "pending")
            // Alpha's own endpoint takes it, by id.
            let own = try await beta.webhook(payload, signature: events.header(payload), path: "/webhooks/stripe/alpha")
            #expect(own.status == .ok)
            await (try #require(try await control.shop("alpha"))).processPendingEvents()
            #expect(try await alpha.status(of: order) == "paid")
            let unknownShop = try await alpha.webhook(payload, signature: events.header(payload), path: "/webhooks/stripe/gamma")
            #expect(unknownShop.status == .notFound && unknownShop.text.isEmpty)
        }
    }

    @Test func oneKeyOrAddressInTwoShopsIsTwoSeparateThings() async throws {
        let shops = try TestShops()
        try await shops.run { clients, _, control in
            // One Idempotency-Key, sent to both shops: two orders, each its shop's.
            var orders: [String: String] = [:]
            for id in TestShops.ids {
                let cart = try await clients[id]!.cart([("KB-NOAH-COLORING-A4", 1)])
                let reply = try await clients[id]!.json(
                    .post, "/api/checkout", ["cart_id": cart, "email": "same@example.com"], headers: [HTTPField.Name("Idempotency-Key")!: "key-used-twice"])
                #expect(reply.status == .created, "\(reply.text)")
                orders[id] = reply["order_id"] as? String
            }
            #expect(orders["alpha"] != nil && orders["alpha"] != orders["beta"])
            // One address leads in both: one confirmation email from each shop, each from it.
            for id in TestShops.ids {
                #expect(try await clients[id]!.json(.post, "/api/leads", ["email": "l@example.com", "magnet": "scripture-memory-cards"]).status == .accepted)
                await (try #require(try await control.shop(id))).sendPendingMail()
                let confirmations = shops.emails(id).filter { $0.to == "l@example.com" }
                #expect(confirmations.count == 1, "\(id)")
                #expect(confirmations.first?.headers["From"] == "\(id.capitalized) <shop@\(id).example>")
            }
        }
    }

    /// Shops that sign download links with one key (an operator's shortcut) still keep them apart:
    /// the entitlement a link names is looked up in the shop that receives it.
    @Test func withOneDownloadKeyALinkOfOneShopIsRefusedByTheOther() async throws {
        let shops = try TestShops(sharedDownloadKey: true)
        try await shops.run { clients, _, _ in
            let (alpha, beta) = (clients["alpha"]!, clients["beta"]!)
            let order = try await alpha.buy([("KB-NOAH-COLORING-A4", 1)], email: "shared@example.com")
            let paid = try await alpha.json(.get, "/api/orders/\(order.id)?token=\(order.token)")
            let download = try #require(
                ((paid["downloads"] as? [[String: Any]])?.first?["files"] as? [[String: Any]])?.first?["url"] as? String)
            #expect(try await alpha.get(download).status == .ok)
            let token = String(download.pathAndQuery.dropFirst("/downloads/".count))
            // A link of the same shape, signed with the same key, for an order no shop has.
            let key = SymmetricKey(data: Data(TestShops.downloadKey.utf8))
            let link = try DownloadLink.verify(token, secret: key, now: Int(shops.time.now.timeIntervalSince1970))
            let madeUp = DownloadLink(
                email: link.email, entitlement: Entitlement(item: link.entitlement.item, cause: "order:ord_madeup:oli_madeup"),
                file: link.file, expires: link.expires
            ).token(secret: key)
            expectRefusedAsUnknown(try await beta.get("/downloads/\(token)"), try await beta.get("/downloads/\(madeUp)"), "download link")
        }
    }

    @Test func anUnknownHostGetsABare404() async throws {
        let shops = try TestShops()
        try await shops.run { clients, stranger, control in
            for path in ["/", "/api/carts/cart_x", "/api/orders/ord_x", "/webhooks/stripe", "/openapi.yaml"] {
                let response = try await stranger.get(path)
                #expect(response.status == .notFound, "\(path)")
                #expect(response.body.readableBytes == 0, "\(path) names nothing")
            }
            // A shop's second host, any letter case and a port reach it.
            let other = HostClient(base: stranger.base, host: "WWW.B.Test:8080")
            let cart = try await clients["beta"]!.cart()
            #expect(try await other.get("/api/carts/\(cart)").status == .ok)
            #expect(try await stranger.get("/healthz").status == .ok, "the deployment's health answers on any host")
            // What covers every shop answers on the operations listener only, never on a shop's host.
            for client in [stranger, clients["alpha"]!] as [any TestClientProtocol] {
                for path in ["/metrics", "/readyz"] {
                    let response = try await client.get(path)
                    #expect(response.status == .notFound && response.body.readableBytes == 0, "\(path)")
                }
            }
            #expect(try await TestShops.operations(control, "/metrics").text.contains("checkout_carts_created_total{shop=\"beta\"} 1"))
        }
    }

    @Test func overARealSocketTheHostHeaderPicksTheShop() async throws {
        let shops = try TestShops()
        try await shops.run(.ahc(.http)) { clients, stranger, _ in
            let cart = try await clients["alpha"]!.cart([("KB-NOAH-COLORING-A4", 1)])
            #expect(try await clients["alpha"]!.get("/api/carts/\(cart)").status == .ok)
            #expect(try await clients["beta"]!.get("/api/carts/\(cart)").status == .notFound)
            let unknown = try await stranger.get("/api/carts/\(cart)")
            #expect(unknown.status == .notFound && unknown.body.readableBytes == 0)
            #expect(try await HostClient(base: stranger.base, host: "b.test:443", header: true).cart().hasPrefix("cart_"))
        }
    }

    /// `token` with its characters in another order: the same shape, naming nothing.
    static func reshuffled(_ token: String) -> String {
        String(token.reversed())
    }
}

extension TestClientProtocol {
    /// A JSON request's raw response.
    func raw(_ method: HTTPRequest.Method, _ uri: String, _ body: [String: Any], headers: HTTPFields = [:]) async throws -> TestResponse {
        var fields = headers
        fields[.contentType] = "application/json"
        return try await execute(
            uri: uri, method: method, headers: fields, body: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
    }
}
