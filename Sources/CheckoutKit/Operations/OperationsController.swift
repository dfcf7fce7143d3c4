import Foundation
import Hummingbird
import NIOCore
import ShopCore

/// `/healthz`, `/readyz`, `/metrics` and `/openapi.yaml`.
struct OperationsController: Sendable {
    let shop: Shop

    /// The OpenAPI document before the catalog's SKUs go in; one copy a process, not one a shop.
    static let openAPITemplate = String(decoding: PackageResources.openapi_yaml, as: UTF8.self)

    func register(on router: Router<CheckoutRequestContext>) {
        router.get("/healthz") { _, _ in try jsonResponse(["status": "ok"]) }
        router.get("/readyz", use: ready)
        router.get("/metrics", use: metrics)
        router.get("/openapi.yaml") { [shop] _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.render(Self.openAPITemplate, catalog: shop.catalog))))
        }
    }

    struct Readiness: Encodable {
        let status: String
        let database: Bool
        let catalogProducts: Int

        enum CodingKeys: String, CodingKey {
            case status, database
            case catalogProducts = "catalog_products"
        }
    }

    @Sendable func ready(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        let database = await shop.storage.isReady()
        let products = shop.catalog.catalog.products.count
        let ready = database && products > 0
        var response = try jsonResponse(
            Readiness(status: ready ? "ready" : "not ready", database: database, catalogProducts: products),
            status: ready ? .ok : .serviceUnavailable)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    @Sendable func metrics(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        // A database that does not answer is a gauge at 0, not a failed scrape (which would hide
        // every other series while it lasts).
        let ready = await shop.storage.isReady() && !shop.catalog.catalog.products.isEmpty
        shop.metrics.gauge("checkout_ready", help: "1 while /readyz answers ready, else 0.").set(Int64(ready ? 1 : 0))
        if ready { try await refreshGauges() }
        if let backups = shop.configuration.backups {
            BackupSchedule.setGauges(backups, registry: shop.metrics.registry, now: shop.clock.seconds)
        }
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: shop.metrics.registry.emitToBuffer())))
    }

    /// Gauges that describe stored state are read from the database when scraped.
    func refreshGauges() async throws {
        setGauges(try await shop.storage.read { tx in try tx.gauges.facts() })
    }

    /// Sets the shop's gauges from its stored facts (`GaugeRecords`).
    func setGauges(_ facts: GaugeRecords.Facts) {
        for status in OrderStatus.allCases {
            shop.metrics.gauge("checkout_orders", labels: [("status", status.rawValue)], help: "Orders by status.")
                .set(Int64(facts.orders[status.rawValue] ?? 0))
        }
        let now = shop.clock.seconds
        let grace = shop.configuration.gracePeriod
        let catalog = shop.catalog
        var active: [String: Int] = [:]
        var monthly: Int64 = 0
        for subscription in facts.subscriptions where EntitlementRules.grantsAccess(subscription, now: now, grace: grace) {
            active[subscription.plan, default: 0] += 1
            if let plan = catalog.plansBySlug[subscription.plan], subscription.status != .trialing {
                monthly = monthly.addingSaturated(plan.interval == .year ? plan.price.amount / 12 : plan.price.amount)
            }
        }
        for plan in catalog.catalog.plans {
            shop.metrics.gauge("checkout_subscriptions_active", labels: [("plan", plan.slug)], help: "Subscriptions giving access, by plan.")
                .set(Int64(active[plan.slug] ?? 0))
        }
        shop.metrics.gauge(
            "checkout_mrr_minor_units", labels: [("currency", catalog.catalog.currency.code)],
            help: "Monthly recurring revenue of paying subscriptions (yearly plans / 12), in minor units."
        ).set(monthly)
        shop.metrics.gauge("checkout_webhook_events_pending", help: "Stored payment events not yet processed.").set(Int64(facts.pendingEvents))
        shop.metrics.gauge("checkout_webhook_events_failing", help: "Stored payment events whose processing failed and will be retried.")
            .set(Int64(facts.failingEvents))
        let age = { (since: Int?) in Int64(since.map { max(0, now - $0) } ?? 0) }
        shop.metrics.gauge("checkout_webhook_events_oldest_pending_age_seconds", help: "Seconds the oldest unprocessed payment event has waited (0: none).")
            .set(age(facts.oldestPendingEvent))
        shop.metrics.gauge("checkout_outgoing_webhooks_pending", help: "Outgoing webhook deliveries not yet delivered.").set(Int64(facts.pendingDeliveries))
        shop.metrics.gauge(
            "checkout_outgoing_webhooks_oldest_pending_age_seconds", help: "Seconds the oldest undelivered outgoing webhook has waited (0: none)."
        ).set(age(facts.oldestPendingDelivery))
        shop.metrics.gauge("checkout_emails_pending", help: "Emails queued, not yet sent nor failed for good.").set(Int64(facts.pendingEmails))
        shop.metrics.gauge("checkout_emails_oldest_pending_age_seconds", help: "Seconds the oldest unsent email has waited (0: none).")
            .set(age(facts.oldestPendingEmail))
        for status in DeliveryStatus.allCases {
            shop.metrics.gauge("checkout_deliveries", labels: [("status", status.rawValue)], help: "Paid lines' deliveries by status.")
                .set(Int64(facts.deliveries[status.rawValue] ?? 0))
        }
        for product in catalog.catalog.products where product.delivery == .licenseKey {
            shop.metrics.gauge(
                "checkout_license_keys_available", labels: [("sku", product.sku)],
                help: "Licence keys left in a SKU's pool (a product with a license-pattern makes more when it is empty)."
            ).set(Int64(facts.licenseKeys[product.sku] ?? 0))
        }
    }
}
