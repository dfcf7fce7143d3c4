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
        var json = OrderJSON(order)
        if order.paidAt != nil && order.kind == "purchase" {
            // Once paid, the thank-you page shows the downloads straight away.
            let now = shop.clock.seconds
            let delivery = shop.delivery
            let catalog = shop.catalog
            let (entitlements, deliveries) = try await shop.storage.read { tx in
                (
                    try delivery.ledger.current(tx, email: order.email, now: now).filter { $0.cause.hasPrefix("order:\(order.id):") }.sorted(),
                    try DeliveryView.data(tx, order: order.id, catalog: catalog)
                )
            }
            json.deliveries = deliveries
            json.downloads = entitlements.map { entitlement in
                OrderJSON.Download(
                    sku: entitlement.productSKU ?? "", title: entitlement.productSKU.flatMap { catalog.productsBySKU[$0]?.title } ?? entitlement.item,
                    files: delivery.links.links(email: order.email, entitlement: entitlement, now: now).map { .init(name: $0.name, url: $0.url) })
            }
        }
        var response = jsonResponse(json)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8), right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        return zip(left, right).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
