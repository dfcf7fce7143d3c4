import Foundation
import Hummingbird
import ShopCore

/// The cart for pages used without JavaScript: plain form posts to `/cart/add`, `/cart/coupon` and
/// `/cart/checkout` that redirect back, with the cart id in the `checkout_cart` cookie the storefront
/// script also reads.
struct FormCartController: Sendable {
    let shop: Shop
    static let cookie = "checkout_cart"

    var endpoints: RouteCollection<CheckoutRequestContext> {
        let routes = RouteCollection(context: CheckoutRequestContext.self)
        routes.post("add", use: add)
        routes.post("coupon", use: coupon)
        routes.post("checkout", use: checkout)
        return routes
    }

    /// `sku`, `quantity` (default 1), `return_to` and, for a pay-what-you-want product, `amount` as
    /// the shopper typed it in the shop's currency (`5` or `5.50`), as the product and bundle pages post them.
    struct AddForm: Decodable {
        let sku: String?
        let quantity: RequestedQuantity?
        let returnTo: String?
        let amount: String?

        enum CodingKeys: String, CodingKey {
            case sku, quantity, amount
            case returnTo = "return_to"
        }
    }

    struct CouponForm: Decodable {
        let code: String?
    }

    struct CheckoutForm: Decodable {
        let email: String?
    }

    /// The minor units of an amount typed in the shop's currency; nil when none was typed.
    private func typedAmount(_ text: String?) throws(CheckoutError) -> Int64? {
        let typed = (text ?? "").trimmingCharacters(in: .whitespaces)
        guard !typed.isEmpty else { return nil }
        let currency = shop.catalog.catalog.currency
        guard let money = Money(decimal: Substring(typed), currency: currency), money.amount >= 0 else {
            throw CheckoutError.invalid(field: "amount", message: "\(Quoted(typed)) is not an amount in \(currency.code), e.g. 5.00")
        }
        return money.amount
    }

    @Sendable func add(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        do {
            let form = try await RequestBody.formOrJSON(AddForm.self, from: request, context: context).value
            let back = safeReturnPath(form.returnTo, fallback: "/cart/")
            do {
                let sku = form.sku ?? "", quantity = form.quantity?.value ?? 1
                let amount = try typedAmount(form.amount)
                try CartPricing.validate(sku: sku, quantity: quantity, amount: amount, in: shop.catalog)
                let existing = try await currentCart(request)
                let merged = (existing?.lines.first { $0.sku == sku }?.quantity ?? 0) + quantity
                try await StockController(shop: shop).check([CartLineRequest(id: "", sku: sku, quantity: merged)])
                let cart = if let existing { existing } else { try await shop.carts.create(lines: []) }
                let updated = try await shop.carts.addLine(
                    cart: cart.id, sku: sku, quantity: quantity, amount: amount, limit: CartPricing.maxQuantity)
                var response = Response.redirect(to: shop.siteURL + back + "#added", type: .found)
                response.setCookie(cartCookie(updated.id))
                return response
            } catch let error as PricingError {
                return problem(CheckoutError.pricing(error), back: back)
            } catch let error as CheckoutError {
                return problem(error, back: back)
            }
        } catch let error as CheckoutError {
            return problem(error, back: "/cart/")
        }
    }

    @Sendable func coupon(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        do {
            let form = try await RequestBody.formOrJSON(CouponForm.self, from: request, context: context).value
            guard let cart = try await currentCart(request) else { return problem(.cartNotFound, back: "/cart/") }
            let code = (form.code ?? "").trimmingCharacters(in: .whitespaces).uppercased()
            do {
                try CartPricing.validateCoupon(code, lines: cart.lines, index: shop.catalog, at: shop.now)
            } catch {
                return problem(.pricing(error), back: "/cart/")
            }
            _ = try await shop.carts.setCoupon(cart: cart.id, code: code)
            return .redirect(to: shop.siteURL + "/cart/", type: .found)
        } catch let error as CheckoutError {
            return problem(error, back: "/cart/")
        }
    }

    @Sendable func checkout(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        do {
            let form = try await RequestBody.formOrJSON(CheckoutForm.self, from: request, context: context).value
            guard let cart = try await currentCart(request) else { return problem(.cartNotFound, back: "/cart/") }
            let placed = try await CheckoutController(shop: shop).placeOrder(cartID: cart.id, email: form.email, idempotencyKey: nil, members: try await shop.memberPlans(request))
            var response = Response.redirect(to: placed.paymentURL, type: .found)
            response.setCookie(cartCookie("", maxAge: 0))
            return response
        } catch let error as CheckoutError {
            return problem(error, back: "/cart/")
        }
    }

    private func currentCart(_ request: Request) async throws -> StoredCart? {
        guard let id = request.cookies[Self.cookie]?.value, !id.isEmpty else { return nil }
        return try await shop.carts.find(id)
    }

    /// Not HttpOnly: the storefront script shares this cart.
    private func cartCookie(_ id: String, maxAge: Int = 30 * 86_400) -> Cookie {
        Cookie(
            name: Self.cookie, value: id, maxAge: maxAge, path: "/", secure: shop.address.publicURL.hasPrefix("https://"), httpOnly: false,
            sameSite: .lax)
    }

    private func problem(_ error: CheckoutError, back: String) -> Response {
        FormProblem.page(error, back: shop.siteURL + back)
    }
}
