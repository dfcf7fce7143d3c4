import Foundation
import Hummingbird
import ShopCore

/// `/api/carts`: server-side carts, priced from the catalog on every read.
struct CartController: Sendable {
    let shop: Shop

    var endpoints: RouteCollection<CheckoutRequestContext> {
        let routes = RouteCollection(context: CheckoutRequestContext.self)
        routes.post(use: create)
        routes.get(":cart", use: show)
        routes.post(":cart/lines", use: addLine)
        routes.patch(":cart/lines/:line", use: updateLine)
        routes.delete(":cart/lines/:line", use: removeLine)
        routes.post(":cart/coupon", use: applyCoupon)
        routes.delete(":cart/coupon", use: removeCoupon)
        return routes
    }

    struct NewCart: Decodable {
        let lines: [NewLine]?
    }

    struct NewLine: Decodable {
        let sku: String
        let quantity: Int?
    }

    struct LineChange: Decodable {
        let quantity: Int
    }

    struct CouponRequest: Decodable {
        let code: String
    }

    @Sendable func create(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        let body = try await decodeJSON(NewCart.self, from: request, context: context)
        var lines: [(sku: String, quantity: Int)] = []
        for (position, line) in (body.lines ?? []).enumerated() {
            do {
                try CartPricing.validate(sku: line.sku, quantity: line.quantity ?? 1, in: shop.catalog)
            } catch {
                throw CheckoutError.invalid(field: "lines.\(position).\(error.field)", message: error.message)
            }
            lines.append((line.sku, line.quantity ?? 1))
        }
        let cart = try await shop.carts.create(lines: lines)
        shop.metrics.cartsCreated.increment()
        return jsonResponse(shop.cartJSON(cart), status: .created)
    }

    @Sendable func show(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        guard let cart = try shop.carts.find(try context.parameters.require("cart")) else { throw CheckoutError.cartNotFound }
        return jsonResponse(shop.cartJSON(cart))
    }

    @Sendable func addLine(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        let body = try await decodeJSON(NewLine.self, from: request, context: context)
        let quantity = body.quantity ?? 1
        do { try CartPricing.validate(sku: body.sku, quantity: quantity, in: shop.catalog) } catch { throw CheckoutError.pricing(error) }
        let cart = try await shop.carts.addLine(
            cart: try context.parameters.require("cart"), sku: body.sku, quantity: quantity, limit: CartPricing.maxQuantity)
        return jsonResponse(shop.cartJSON(cart))
    }

    @Sendable func updateLine(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        let body = try await decodeJSON(LineChange.self, from: request, context: context)
        guard (1...CartPricing.maxQuantity).contains(body.quantity) else { throw CheckoutError.pricing(.quantityOutOfRange(body.quantity)) }
        let cart = try await shop.carts.updateLine(
            cart: try context.parameters.require("cart"), line: try context.parameters.require("line"), quantity: body.quantity)
        return jsonResponse(shop.cartJSON(cart))
    }

    @Sendable func removeLine(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        let cart = try await shop.carts.removeLine(cart: try context.parameters.require("cart"), line: try context.parameters.require("line"))
        return jsonResponse(shop.cartJSON(cart))
    }

    @Sendable func applyCoupon(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        let body = try await decodeJSON(CouponRequest.self, from: request, context: context)
        let id = try context.parameters.require("cart")
        guard let cart = try shop.carts.find(id) else { throw CheckoutError.cartNotFound }
        let code = body.code.trimmingCharacters(in: .whitespaces).uppercased()
        do {
            try CartPricing.validateCoupon(code, lines: cart.lines, index: shop.catalog, today: shop.clock.today)
        } catch {
            throw CheckoutError.pricing(error)
        }
        return jsonResponse(shop.cartJSON(try await shop.carts.setCoupon(cart: id, code: code)))
    }

    @Sendable func removeCoupon(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        jsonResponse(shop.cartJSON(try await shop.carts.setCoupon(cart: try context.parameters.require("cart"), code: nil)))
    }
}
