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
        let quantity: RequestedQuantity?
        /// A pay-what-you-want unit amount, minor units.
        let amount: Int64?
    }

    struct LineChange: Decodable {
        let quantity: RequestedQuantity
    }

    struct CouponRequest: Decodable {
        let code: String
    }

    @Sendable func create(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        let body = try await RequestBody.json(NewCart.self, from: request, context: context)
        // Lines of the same SKU merge, as adding them one by one would.
        var lines: [(sku: String, quantity: Int, amount: Int64?)] = []
        for (position, line) in (body.lines ?? []).enumerated() {
            let quantity = line.quantity?.value ?? 1
            do {
                try CartPricing.validate(sku: line.sku, quantity: quantity, amount: line.amount, in: shop.catalog)
            } catch {
                throw CheckoutError.invalid(field: "lines.\(position).\(error.field)", message: error.message)
            }
            if let merged = lines.firstIndex(where: { $0.sku == line.sku }) {
                lines[merged].quantity += quantity
                lines[merged].amount = line.amount ?? lines[merged].amount
                guard lines[merged].quantity <= CartPricing.maxQuantity else {
                    let error = PricingError.quantityOutOfRange(String(lines[merged].quantity))
                    throw CheckoutError.invalid(field: "lines.\(position).quantity", message: error.message)
                }
            } else {
                guard lines.count < CartPricing.maxLines else { throw CheckoutError.pricing(.tooManyLines) }
                lines.append((line.sku, quantity, line.amount))
            }
        }
        try await StockController(shop: shop).check(lines.map { CartLineRequest(id: "", sku: $0.sku, quantity: $0.quantity) })
        let cart = try await shop.carts.create(lines: lines)
        shop.metrics.cartsCreated.increment()
        return jsonResponse(shop.cartJSON(cart, members: try await shop.memberPlans(request)), status: .created)
    }

    @Sendable func show(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        guard let cart = try await shop.carts.find(try context.parameters.require("cart")) else { throw CheckoutError.cartNotFound }
        return jsonResponse(shop.cartJSON(cart, members: try await shop.memberPlans(request)))
    }

    @Sendable func addLine(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        let body = try await RequestBody.json(NewLine.self, from: request, context: context)
        let quantity = body.quantity?.value ?? 1
        do {
            try CartPricing.validate(sku: body.sku, quantity: quantity, amount: body.amount, in: shop.catalog)
        } catch {
            throw CheckoutError.pricing(error)
        }
        let id = try context.parameters.require("cart")
        // The cart is read for its quantity only when the SKU has limited stock: adding a line stays one write.
        let stock = StockController(shop: shop)
        if stock.isLimited(body.sku) {
            let existing = try await shop.carts.find(id)?.lines.first { $0.sku == body.sku }?.quantity ?? 0
            try await stock.check([CartLineRequest(id: "", sku: body.sku, quantity: existing + quantity)])
        }
        let cart = try await shop.carts.addLine(cart: id, sku: body.sku, quantity: quantity, amount: body.amount, limit: CartPricing.maxQuantity)
        return jsonResponse(shop.cartJSON(cart, members: try await shop.memberPlans(request)))
    }

    @Sendable func updateLine(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        let body = try await RequestBody.json(LineChange.self, from: request, context: context)
        let quantity = body.quantity.value
        guard (1...CartPricing.maxQuantity).contains(quantity) else { throw CheckoutError.pricing(.quantityOutOfRange(String(quantity))) }
        let (id, lineID) = (try context.parameters.require("cart"), try context.parameters.require("line"))
        if let line = try await shop.carts.find(id)?.lines.first(where: { $0.id == lineID }) {
            try await StockController(shop: shop).check([CartLineRequest(id: "", sku: line.sku, quantity: quantity)])
        }
        let cart = try await shop.carts.updateLine(cart: id, line: lineID, quantity: quantity)
        return jsonResponse(shop.cartJSON(cart, members: try await shop.memberPlans(request)))
    }

    @Sendable func removeLine(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        let cart = try await shop.carts.removeLine(cart: try context.parameters.require("cart"), line: try context.parameters.require("line"))
        return jsonResponse(shop.cartJSON(cart, members: try await shop.memberPlans(request)))
    }

    @Sendable func applyCoupon(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        let body = try await RequestBody.json(CouponRequest.self, from: request, context: context)
        let id = try context.parameters.require("cart")
        guard let cart = try await shop.carts.find(id) else { throw CheckoutError.cartNotFound }
        let code = body.code.trimmingCharacters(in: .whitespaces).uppercased()
        do {
            try CartPricing.validateCoupon(code, lines: cart.lines, index: shop.catalog, at: shop.now)
        } catch {
            throw CheckoutError.pricing(error)
        }
        return jsonResponse(shop.cartJSON(try await shop.carts.setCoupon(cart: id, code: code), members: try await shop.memberPlans(request)))
    }

    @Sendable func removeCoupon(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        jsonResponse(shop.cartJSON(try await shop.carts.setCoupon(cart: try context.parameters.require("cart"), code: nil), members: try await shop.memberPlans(request)))
    }
}
