import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import ShopCore

/// `POST /api/checkout`: turns a cart into a pending order with frozen lines and totals, then opens a
/// payment session. Idempotent under an `Idempotency-Key` header.
struct CheckoutController: Sendable {
    let shop: Shop

    struct CheckoutRequest: Decodable {
        let cartID: String
        let email: String

        enum CodingKeys: String, CodingKey {
            case cartID = "cart_id"
            case email
        }
    }

    struct CheckoutResponse: JSONBody {
        let orderID: String
        let orderToken: String
        let paymentURL: String
        let status: String

        func write(to json: inout JSONOutput) {
            json.object {
                $0.member("order_id", orderID)
                $0.member("order_token", orderToken)
                $0.member("payment_url", paymentURL)
                $0.member("status", status)
            }
        }
    }

    @Sendable func checkout(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        let body = try await RequestBody.json(CheckoutRequest.self, from: request, context: context)
        let key = request.headers[.idempotencyKey]
        let response = try await placeOrder(
            cartID: body.cartID, email: body.email, idempotencyKey: key, members: try await shop.memberPlans(request))
        return jsonResponse(response, status: .created)
    }

    /// Places an order for a cart, at member prices for `members`: shared by the JSON API and the
    /// plain-form checkout.
    func placeOrder(cartID: String, email rawEmail: String?, idempotencyKey: String?, members: [Plan] = []) async throws -> CheckoutResponse {
        let email = try EmailAddress.required(rawEmail)
        // Counted in code points, as the document's `maxLength` counts them (JSON Schema).
        if let key = idempotencyKey, key.isEmpty || key.unicodeScalars.count > 255 {
            throw CheckoutError.invalid(field: "Idempotency-Key", message: "the Idempotency-Key must be 1 to 255 characters")
        }
        let idempotency = idempotencyKey.map {
            OrderStore.Idempotency(key: $0, requestHash: Self.hash(cartID: cartID, email: email))
        }
        let (order, replayed, holdsStock) = try await order(cartID: cartID, email: email, idempotency: idempotency, members: members)
        let url: String
        do {
            url = try await shop.paymentURL(for: order) {
            var session = PaymentSessionRequest(order: order, successURL: shop.thankYouURL(order), cancelURL: shop.siteURL + "/cart/")
            // The session ends before the order's hold on limited stock does. Stripe counts its
            // 30-minute minimum from the session's creation, now: a minute more keeps clear of it.
            if holdsStock { session.expiresAt = shop.clock.seconds + shop.configuration.stockHold + 60 }
            return session
            }
        } catch {
            // No session, no payment: the order's units go back at once.
            if holdsStock { try? await shop.storage.write { tx in try tx.stock.settle(order: order.id, as: .released) } }
            throw error
        }
        // Counted once its payment session is open, which a replay may be the one to do.
        if !replayed || order.paymentURL == nil { shop.metrics.ordersCreated.increment() }
        return CheckoutResponse(orderID: order.id, orderToken: order.token, paymentURL: url, status: order.status.rawValue)
    }

    /// Prices the cart as stored and stores the order, priced again when the cart changed in between
    /// (on any instance): the order's lines are always the cart's lines at the moment it committed.
    /// An order of limited stock holds its units (`StockHold`) or is refused with `outOfStock`.
    private func order(
        cartID: String, email: String, idempotency: OrderStore.Idempotency?, members: [Plan]
    ) async throws -> (order: StoredOrder, replayed: Bool, holdsStock: Bool) {
        for attempt in 0..<Self.repricings {
            // A cart that changed is read again from the database, not from this process's cache.
            guard let cart = try await shop.carts.find(cartID, fresh: attempt > 0) else { throw CheckoutError.cartNotFound }
            let (priced, couponProblem) = shop.price(cart, members: members)
            guard !priced.lines.isEmpty else { throw CheckoutError.emptyCart }
            if let couponProblem { throw CheckoutError.pricing(couponProblem) }
            do { try CartPricing.checkTotal(priced) } catch { throw CheckoutError.pricing(error) }
            let index = shop.catalog
            let demand = StockRules.demand(of: priced.lines, index: index)
            // Held past the session's end by the time its last events take to arrive.
            let until = shop.clock.seconds + shop.configuration.stockHold + Self.eventGrace
            let stock = demand.isEmpty ? nil : StockHold(demand: demand, limits: StockRules.limits(in: index), until: until)
            do {
                let (order, replayed) = try await shop.orders.create(
                    cart: priced, pricedFrom: cart, email: email, currency: priced.total.currency.code, provider: shop.provider.name,
                    idempotency: idempotency, session: shop.provider.immediateSession(), stock: stock)
                return (order, replayed, stock != nil)
            } catch is OrderStore.CartChanged {
                continue
            }
        }
        throw CheckoutError.cartBusy
    }

    /// Seconds a hold on limited stock outlasts its payment session: a payment made in the session's
    /// last moments is reported by an event that may take this long to arrive.
    static let eventGrace = 15 * 60

    /// How many times a checkout prices a cart that keeps changing before it gives up with a 409.
    static let repricings = 8

    static func hash(cartID: String, email: String) -> String {
        Data(SHA256.hash(data: Data("\(cartID)\n\(email)".utf8))).hexString
    }
}

extension Shop {
    /// Where to send the shopper to pay for `order`: the session stored with it (opened without asking
    /// anyone, or by an earlier request with the same idempotency key), or one opened with the provider
    /// now and stored.
    func paymentURL(for order: StoredOrder, _ request: () -> PaymentSessionRequest) async throws -> String {
        if let url = order.paymentURL { return url }
        let session = try await provider.startSession(request())
        try await orders.attachSession(order: order.id, sessionID: session.id, url: session.url)
        return session.url
    }
}
