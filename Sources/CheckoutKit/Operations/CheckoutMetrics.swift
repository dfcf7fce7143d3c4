import Prometheus
import Synchronization

/// One shop's Prometheus metrics, on a registry of its own (so several apps in one test process
/// don't mix), or on the registry every shop of a multi-shop deployment shares, each series then
/// labelled with its `shop` (an id from the shops file, so the label's values are bounded).
public final class CheckoutMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    /// `[("shop", ID)]` in a multi-shop deployment, else empty: the labels every series starts with.
    private let shopLabels: [(String, String)]
    let cartsCreated: Counter
    let ordersCreated: Counter
    let ordersPaid: Counter
    let webhookEvents: Counter
    let webhookVerificationFailures: Counter
    let leadsConfirmed: Counter
    let emailFailures: Counter
    let webhookDeliveryFailures: Counter
    /// The request counter and histogram per route, method and status: the registry's own lookup
    /// builds and hashes label arrays under a lock, on every request.
    private let requestSeries = Mutex<[RequestSeries: (Counter, DurationHistogram)]>([:])

    private struct RequestSeries: Hashable {
        let route: String
        let method: String
        let status: Int
    }

    static let latencyBuckets: [Duration] = [
        .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
        .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
    ]

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), shop: String? = nil) {
        self.registry = registry
        let shopLabels = shop.map { [("shop", $0)] } ?? []
        self.shopLabels = shopLabels
        cartsCreated = registry.makeCounter(descriptor: .named("checkout_carts_created_total", help: "Carts created."), labels: shopLabels)
        ordersCreated = registry.makeCounter(
            descriptor: .named("checkout_orders_created_total", help: "Orders placed (checkout sessions started)."), labels: shopLabels)
        ordersPaid = registry.makeCounter(
            descriptor: .named("checkout_orders_paid_total", help: "Orders that became paid."), labels: shopLabels)
        webhookEvents = registry.makeCounter(
            descriptor: .named("checkout_webhook_events_total", help: "Verified payment events received."), labels: shopLabels)
        webhookVerificationFailures = registry.makeCounter(
            descriptor: .named("checkout_webhook_verification_failures_total", help: "Payment events refused for a bad signature."),
            labels: shopLabels)
        leadsConfirmed = registry.makeCounter(
            descriptor: .named("checkout_leads_confirmed_total", help: "Lead magnet addresses confirmed."), labels: shopLabels)
        emailFailures = registry.makeCounter(
            descriptor: .named("checkout_email_failures_total", help: "Failed attempts to send an email."), labels: shopLabels)
        webhookDeliveryFailures = registry.makeCounter(
            descriptor: .named("checkout_outgoing_webhook_failures_total", help: "Failed attempts to deliver an outgoing webhook."),
            labels: shopLabels)
    }

    func downloads(outcome: String) {
        registry.makeCounter(
            descriptor: .named("checkout_downloads_total", help: "Download requests by outcome: ok, expired, invalid, not_entitled, limit."),
            labels: shopLabels + [("outcome", outcome)]).increment()
    }

    func request(route: String, method: String, status: Int, duration: Duration) {
        let key = RequestSeries(route: route, method: method, status: status)
        let (counter, histogram) = requestSeries.withLock { series in
            if let found = series[key] { return found }
            let made = (
                registry.makeCounter(
                    descriptor: .named("checkout_http_requests_total", help: "HTTP requests by route, method and status."),
                    labels: shopLabels + [("route", route), ("method", method), ("status", String(status))]),
                registry.makeDurationHistogram(
                    descriptor: .named("checkout_http_request_duration_seconds", help: "HTTP request latency by route."),
                    labels: shopLabels + [("route", route)], buckets: Self.latencyBuckets)
            )
            series[key] = made
            return made
        }
        counter.increment()
        histogram.record(duration)
    }

    /// Counters only grow (Prometheus's client traps on a negative step), so a negative amount, which a
    /// well-formed catalog never has, counts as zero.
    func revenue(_ amount: Int64, currency: String) {
        registry.makeCounter(
            descriptor: .named("checkout_revenue_minor_units_total", help: "Paid order totals in minor units (cents), before refunds."),
            labels: shopLabels + [("currency", currency)]).increment(by: max(0, amount))
    }

    func refunded(_ amount: Int64, currency: String) {
        registry.makeCounter(
            descriptor: .named("checkout_refunded_minor_units_total", help: "Refunded amounts in minor units."),
            labels: shopLabels + [("currency", currency)]).increment(by: max(0, amount))
    }

    /// Customers erased through the admin API (`checkout customers erase` runs in its own process).
    func customerErased() {
        registry.makeCounter(
            descriptor: .named("checkout_customers_erased_total", help: "Customers erased (GDPR art. 17)."), labels: shopLabels).increment()
    }

    /// A gauge by name and labels, set at scrape time from the database.
    func gauge(_ name: String, labels: [(String, String)] = [], help: String) -> Gauge {
        registry.makeGauge(descriptor: .named(name, help: help), labels: shopLabels + labels)
    }
}

extension MetricNameDescriptor {
    /// A metric by its whole name, its unit already its last word (`checkout_orders_paid_total`,
    /// `checkout_backup_age_seconds`, as Prometheus's naming guide has them): the descriptor joins
    /// its non-empty parts with `_`, so the name stays as it is.
    static func named(_ name: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }
}
