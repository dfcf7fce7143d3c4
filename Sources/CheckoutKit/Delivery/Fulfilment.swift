import Logging
import ShopCore

/// Delivers what a paid order bought, by each product's method (`DeliveryMethod`), and keeps each
/// delivery's status and history: one delivery per paid line and product (a bundle line has one per
/// product it holds). Every change of status is logged (`delivery_log`) and announced as a
/// `delivery.<status>` outgoing event, in the transaction that made it.
///
/// - `file`: delivered at once (the download links are in the receipt and the account).
/// - `license-key`: one key per unit from the SKU's pool, or made from `license-pattern` when the pool
///   runs dry; pending while neither has keys (`checkout keys import` delivers it). A warning is
///   logged, and `checkout_license_keys_available` shows it, when a pool runs low.
/// - `webhook`: pending; a `fulfilment.requested` event goes to the endpoints that subscribe to it,
///   and the first 2xx answer makes it delivered (`failed` if none answers within three days).
/// - `manual`: pending until the operator marks it delivered.
/// A refund revokes the line's deliveries and their keys.
struct Fulfilment: Sendable {
    let catalog: @Sendable () -> CatalogIndex
    let logger: Logger
    /// A pool with fewer keys left than this is reported as running low.
    let lowKeyPool: Int

    static let defaultLowKeyPool = 10

    /// Creates and starts the deliveries of a newly paid purchase.
    func paid(_ order: StoredOrder, tx: StorageTransaction, now: Int) throws {
        guard order.kind == "purchase" else { return }
        let index = catalog()
        // In SKU order: licence keys lock their SKU's pool, and two orders never wait on each other in a cycle.
        let units = order.lines.filter { $0.refundedAt == nil }.flatMap { line in line.grants.map { (line, $0) } }.sorted { $0.1 < $1.1 }
        for (line, sku) in units {
            let method = index.productsBySKU[sku]?.delivery ?? .file
            // Files are delivered as the order is paid: one record, one event.
            let (status, note): (DeliveryStatus, String) = method == .file ? (.delivered, "files ready to download") : (.pending, "paid")
            guard let delivery = try tx.deliveries.create(
                order: order.id, line: line.id, sku: sku, method: method, quantity: line.quantity, status: status, note: note, now: now)
            else { continue }
            try Self.announce(delivery, tx: tx, now: now)
            try start(delivery, order: order, line: line, product: index.productsBySKU[sku], tx: tx, now: now)
        }
    }

    private func start(
        _ delivery: StoredDelivery, order: StoredOrder, line: StoredOrderLine, product: Product?, tx: StorageTransaction, now: Int
    ) throws {
        switch delivery.method {
        case .file:
            break
        case .licenseKey:
            try assignKeys(delivery, pattern: product?.licensePattern ?? "", tx: tx, now: now)
        case .webhook:
            let data: [String: Any] = [
                "delivery_id": delivery.id, "order_id": order.id, "line_id": delivery.lineID, "sku": delivery.sku,
                "quantity": delivery.quantity, "email": order.email, "title": line.title, "option": line.option ?? "", "line_sku": line.sku,
            ]
            if let event = try OutgoingEvents.enqueue(tx, type: OutgoingEvents.fulfilment, data: data, now: now) {
                try tx.deliveries.setFulfilmentEvent(delivery.id, event: event)
            } else {
                logger.warning("no endpoint takes fulfilment.requested: the delivery waits", metadata: ["delivery": "\(delivery.id)", "sku": "\(delivery.sku)"])
            }
        case .manual:
            break
        }
    }

    /// Gives a licence-key delivery its keys: from the pool, then from the pattern; delivered once it
    /// has one per unit.
    func assignKeys(_ delivery: StoredDelivery, pattern: String, tx: StorageTransaction, now: Int) throws {
        // The pool's lock first, so what this delivery has already is counted after any other writer.
        try tx.stock.lock("keys:" + delivery.sku)
        let has = try tx.licenseKeys.keys(of: delivery.id).count
        guard has < delivery.quantity else { return }
        var keys = try tx.licenseKeys.assign(sku: delivery.sku, count: delivery.quantity - has, to: delivery.id, now: now)
        if keys.count < delivery.quantity && !pattern.isEmpty {
            var random = SystemRandomNumberGenerator()
            for _ in keys.count..<delivery.quantity {
                let key = LicensePattern.key(pattern, using: &random)
                try tx.licenseKeys.addAssigned(sku: delivery.sku, key: key, to: delivery.id, now: now)
                keys.append(key)
            }
        }
        let left = try tx.licenseKeys.available(sku: delivery.sku)
        if keys.count < delivery.quantity {
            logger.warning("licence key pool is empty: the delivery waits for `checkout keys import`",
                           metadata: ["sku": "\(delivery.sku)", "delivery": "\(delivery.id)"])
        } else {
            try Self.move(delivery, to: .delivered, note: "\(keys.count) licence key\(keys.count == 1 ? "" : "s") assigned", tx: tx, now: now)
            if pattern.isEmpty && left < lowKeyPool {
                logger.warning("licence key pool running low", metadata: ["sku": "\(delivery.sku)", "keys_left": "\(left)"])
            }
        }
    }

    /// Revokes the deliveries of a refunded line, and their keys.
    static func revoke(line: String, tx: StorageTransaction, now: Int) throws {
        for delivery in try tx.deliveries.forLine(line) where delivery.status != .revoked {
            try tx.licenseKeys.revoke(delivery: delivery.id)
            try move(delivery, to: .revoked, note: "line refunded", tx: tx, now: now)
        }
    }

    /// Marks a webhook delivery delivered (its fulfilment endpoint answered 2xx) or failed (none did
    /// within three days), after an outgoing webhook attempt (`webhookDelivery`) ended so.
    /// With several fulfilment endpoints, one giving up fails nothing while another may still answer,
    /// and a late 2xx makes a failed delivery delivered.
    static func fulfilmentEnded(webhookDelivery: String, delivered: Bool, tx: StorageTransaction, now: Int) throws {
        if !delivered, try tx.webhooks.siblingStillOpen(webhookDelivery) { return }
        for delivery in try tx.deliveries.carriedBy(webhookDelivery: webhookDelivery) where delivered || delivery.status == .pending {
            try move(delivery, to: delivered ? .delivered : .failed,
                     note: delivered ? "the fulfilment endpoint answered 2xx" : "no fulfilment endpoint answered 2xx", tx: tx, now: now)
        }
    }

    /// Moves `delivery` to `status` and announces it; false (nothing done) when it is there already or revoked.
    @discardableResult
    static func move(_ delivery: StoredDelivery, to status: DeliveryStatus, note: String, tx: StorageTransaction, now: Int) throws -> Bool {
        guard try tx.deliveries.setStatus(delivery.id, status, note: note, now: now), let moved = try tx.deliveries.find(delivery.id) else { return false }
        try announce(moved, tx: tx, now: now)
        return true
    }

    static func announce(_ delivery: StoredDelivery, tx: StorageTransaction, now: Int) throws {
        try OutgoingEvents.enqueue(tx, type: "delivery." + delivery.status.rawValue, data: [
            "id": delivery.id, "order_id": delivery.orderID, "line_id": delivery.lineID, "sku": delivery.sku, "method": delivery.method.rawValue,
            "quantity": delivery.quantity, "status": delivery.status.rawValue,
        ], now: now)
    }
}
