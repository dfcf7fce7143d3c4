import Foundation
import Hummingbird
import ShopCore

/// A paid line's deliveries as the thank-you page, the account and the admin API show them: method,
/// status, licence keys and history.
///
/// `{"id", "line_id", "sku", "title", "method", "status", "keys": [...], "history": [{"status", "note", "at"}]}`
enum DeliveryView {
    /// The deliveries of `order` as serialized JSON (an array), for reads that return `Sendable` values.
    static func data(_ tx: StorageTransaction, order: String, catalog: CatalogIndex) throws -> Data {
        try JSONSerialization.data(withJSONObject: try load(tx, order: order, catalog: catalog), options: [.sortedKeys, .withoutEscapingSlashes])
    }

    /// The deliveries of `order`, oldest first, as JSON objects.
    static func load(_ tx: StorageTransaction, order: String, catalog: CatalogIndex) throws -> [[String: Any]] {
        try tx.deliveries.forOrder(order).map { delivery in
            [
                "id": delivery.id, "line_id": delivery.lineID, "sku": delivery.sku, "method": delivery.method.rawValue,
                "status": delivery.status.rawValue, "quantity": delivery.quantity,
                "title": catalog.productsBySKU[delivery.sku]?.title ?? delivery.sku,
                "keys": try tx.licenseKeys.keys(of: delivery.id),
                "history": try tx.deliveries.history(delivery.id).map { ["status": $0.status, "note": $0.note, "at": isoTime($0.at)] },
            ]
        }
    }

    /// `POST /api/admin/orders/{order}/deliveries/{delivery}/delivered` with the admin token: the
    /// operator marks a `manual` (or a pending or failed `webhook`) delivery delivered, with an optional
    /// `{"note"}`; 404 for a delivery not of that order, 422 for a licence-key or file delivery, or one
    /// already delivered or revoked.
    struct Controller: Sendable {
        let shop: Shop

        struct MarkRequest: Decodable {
            let note: String?
        }

        @Sendable func markDelivered(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
            let principal = try await AdminAccess(shop: shop).require(.fulfil, request)
            let body = try await RequestBody.json(MarkRequest.self, from: request, context: context)
            let (orderID, deliveryID) = (try context.parameters.require("order"), try context.parameters.require("delivery"))
            let note = String((body.note ?? "").prefix(500))
            let now = shop.clock.seconds
            let catalog = shop.catalog
            let data = try await shop.storage.write { tx -> Data in
                guard let delivery = try tx.deliveries.find(deliveryID), delivery.orderID == orderID else { throw CheckoutError.deliveryNotFound }
                guard delivery.method == .manual || delivery.method == .webhook else {
                    throw CheckoutError.invalid(
                        field: "delivery", message: "delivery \(delivery.id) is by \(delivery.method.rawValue): it is delivered with its keys (checkout keys import)")
                }
                // A failed webhook delivery may be fulfilled by hand too.
                guard [.pending, .failed].contains(delivery.status),
                      try Fulfilment.move(delivery, to: .delivered, note: note.isEmpty ? "marked delivered by the shop" : note, tx: tx, now: now)
                else {
                    throw CheckoutError.invalid(field: "delivery", message: "delivery \(delivery.id) is \(delivery.status.rawValue), not pending")
                }
                let view = try load(tx, order: orderID, catalog: catalog).first { $0["id"] as? String == deliveryID } ?? [:]
                try AuditLog.record(
                    tx, principal, action: "delivery.mark_delivered", target: "order:\(orderID)",
                    before: ["delivery": delivery.id, "status": delivery.status.rawValue], after: ["delivery": delivery.id, "status": "delivered"],
                    reason: note.isEmpty ? nil : note, now: now)
                return try JSONSerialization.data(withJSONObject: view, options: [.sortedKeys, .withoutEscapingSlashes])
            }
            shop.webhooks.notify()
            return Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        }
    }
}
