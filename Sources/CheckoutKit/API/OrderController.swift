import Foundation
import Hummingbird

/// `GET /api/orders/{id}?token=…`: an order, for whoever holds its unguessable token.
struct OrderController: Sendable {
    let shop: Shop

    @Sendable func show(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        let id = try context.parameters.require("order")
        let token = request.uri.queryParameters["token"].map(String.init) ?? ""
        guard let order = try await shop.orders.find(id), Self.constantTimeEqual(order.token, token) else {
            throw CheckoutError.orderNotFound
        }
        var response = try jsonResponse(OrderJSON(order))
        response.headers[.cacheControl] = "no-store"
        return response
    }

    static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8), right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        return zip(left, right).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
