import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import ShopCore

/// Delivers outgoing events to operators' endpoints, signed like Stripe's
/// (`Checkout-Signature: t=…,v1=…` over `"{t}.{body}"` with the endpoint's secret), retrying with
/// exponential backoff for up to three days, and keeping a log of every attempt's outcome. Every
/// instance runs one; each claims deliveries for a lease before attempting them (`QueueLease`).
/// One endpoint's deliveries go in order within an instance; across instances, as with Stripe's
/// webhooks, order is not promised (each payload carries its event's `created` time).
actor WebhookDeliveryWorker: Service {
    static let giveUpAfter = 3 * 24 * 3600
    let storage: any CheckoutStorage
    let clock: CheckoutClock
    let logger: Logger
    let metrics: CheckoutMetrics
    let client: HTTPClient
    let lease: QueueLease
    /// The drain running or queued last; each drain waits for the one before, because an actor lets a
    /// second call in while the first awaits the network, and two overlapping drains would send twice.
    private var lastDrain: Task<Int, Never>?
    private let wakeUps = WorkerWakeUps()
    /// Whether the worker looks at its queue on a timer too, for work that comes due over time and
    /// work another instance queued; false in a multi-shop deployment, where `DueWorkScanner`
    /// looks once for every shop instead.
    let polls: Bool

    /// How long an endpoint has to answer one attempt.
    let timeout: Duration

    /// The process's client for outgoing webhooks: AsyncHTTPClient's shared one, except that a refused
    /// connection fails the attempt at once. By default the client tries to connect again until the
    /// request's deadline, so an endpoint that is down held its lane (and a shutdown) for the whole
    /// timeout of every attempt.
    static let sharedClient: HTTPClient = {
        var configuration = HTTPClient.Configuration.singletonConfiguration
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    init(
        storage: any CheckoutStorage, clock: CheckoutClock, logger: Logger, metrics: CheckoutMetrics, timeout: Duration = .seconds(10),
        client: HTTPClient = WebhookDeliveryWorker.sharedClient, lease: QueueLease, polls: Bool = true
    ) {
        self.polls = polls
        self.storage = storage
        self.lease = lease
        self.timeout = timeout
        self.clock = clock
        self.logger = logger
        self.metrics = metrics
        self.client = client
    }

    nonisolated func notify() { wakeUps.notify() }

    func run() async throws {
        await wakeUps.run(every: .seconds(5), polls: polls) { await self.drain() }
    }

    /// Attempts every delivery that is due; returns how many succeeded.
    @discardableResult
    func drain() async -> Int {
        let previous = lastDrain
        let next = Task {
            _ = await previous?.value
            return await self.deliverDue()
        }
        lastDrain = next
        return await next.value
    }

    /// A delivery to attempt.
    private typealias Due = WebhookRecords.Due

    /// Endpoints worked on at once; each endpoint's deliveries go one after another, in order.
    static let parallelEndpoints = 8

    /// One pass: claims due deliveries of every endpoint without a lane running, runs each
    /// endpoint's as a lane of its own (at most `parallelEndpoints` at once), and claims again
    /// whenever a lane ends and (when it polls) every second while lanes run, so a slow or dead endpoint holds up
    /// only its own deliveries, never those that became due for another endpoint meanwhile. Ends
    /// when no lane runs and nothing is due.
    private func deliverDue() async -> Int {
        let (instance, lease) = (self.lease.instance, self.lease.seconds)
        return await withTaskGroup(of: (endpoint: String?, delivered: Int).self) { group in
            var delivered = 0
            var busy = Set<String>()
            var claimMore = true
            var ticking = false
            while true {
                let stopping = Task.isShuttingDownGracefully || Task.isCancelled
                let claiming = claimMore && !stopping && busy.count < Self.parallelEndpoints
                claimMore = false
                if claiming {
                    let claimedAt = clock.seconds
                    let skipped = Array(busy)
                    do {
                        let due = try await storage.write { tx in
                            try tx.webhooks.claimDue(
                                now: claimedAt, until: claimedAt + lease, instance: instance, limit: 100, excluding: skipped,
                                maxEndpoints: Self.parallelEndpoints - skipped.count)
                        }
                        var lanes: [String: [Due]] = [:]
                        var order: [String] = []
                        for delivery in due {
                            if lanes[delivery.endpoint] == nil { order.append(delivery.endpoint) }
                            lanes[delivery.endpoint, default: []].append(delivery)
                        }
                        for endpoint in order {
                            busy.insert(endpoint)
                            let lane = lanes[endpoint] ?? []
                            group.addTask { (endpoint, await self.deliver(lane: lane)) }
                        }
                        // A full batch may have left more due: claim again at once.
                        if due.count == 100 { claimMore = true }
                    } catch {
                        logger.error("could not claim webhook deliveries", metadata: ["error": "\(error)"])
                    }
                }
                // Nothing running and nothing claimed: the pass is over (a pending tick is cut short).
                if busy.isEmpty, !claimMore {
                    group.cancelAll()
                    break
                }
                // Polling instances look again every second while lanes run; in a multi-shop deployment
                // (no polling) a shop looks again when a lane ends, at the latest after one attempt's timeout.
                if !ticking, !stopping, polls {
                    ticking = true
                    group.addTask {
                        try? await Task.sleep(for: .seconds(1))
                        return (nil, 0)
                    }
                }
                if claimMore { continue }
                guard let finished = await group.next() else { break }
                delivered += finished.delivered
                if let endpoint = finished.endpoint { busy.remove(endpoint) } else { ticking = false }
                claimMore = true
            }
            if Task.isShuttingDownGracefully || Task.isCancelled {
                do {
                    try await storage.write { tx in try tx.webhooks.releaseClaims(instance: instance) }
                } catch {
                    logger.error("could not give back claimed deliveries; they are attempted when their lease ends", metadata: ["error": "\(error)"])
                }
            }
            return delivered
        }
    }

    /// Attempts one endpoint's deliveries in order; stops early when the service is shutting down, so
    /// SIGTERM is not held up by a backlog (what is left stays pending for the next start).
    private nonisolated func deliver(lane: [Due]) async -> Int {
        var delivered = 0
        let lease = self.lease.seconds
        for delivery in lane {
            guard !Task.isShuttingDownGracefully, !Task.isCancelled else { break }
            // Still ours, and still pending (not removed by `checkout webhooks remove`)? The claim is
            // renewed for the attempt, and every third of the lease while it runs.
            guard await renew(delivery.id, until: clock.seconds + lease) else { continue }
            let succeeded = await self.lease.holding(clock: clock, renew: { until in _ = await self.renew(delivery.id, until: until) }) {
                await attempt(delivery, now: clock.seconds)
            }
            if succeeded { delivered += 1 }
        }
        return delivered
    }

    /// Extends this instance's claim on a delivery; false when it no longer holds it (or on a database error, logged).
    private nonisolated func renew(_ id: String, until: Int) async -> Bool {
        let instance = lease.instance
        do {
            return try await storage.write { tx in try tx.webhooks.renewClaim(id, instance: instance, until: until) }
        } catch {
            logger.error("could not renew the claim on a webhook delivery", metadata: ["delivery": "\(id)", "error": "\(error)"])
            return false
        }
    }

    private nonisolated func attempt(_ delivery: Due, now: Int) async -> Bool {
        var status: Int?
        var failure: String?
        do {
            var request = HTTPClientRequest(url: delivery.url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "User-Agent", value: "checkout-webhooks/1")
            request.headers.add(name: "Checkout-Signature", value: StripeSignature(secret: delivery.secret).header(for: delivery.payload, timestamp: now))
            request.body = .bytes(ByteBuffer(bytes: delivery.payload))
            let response = try await client.execute(request, timeout: TimeAmount(timeout))
            status = Int(response.status.code)
            if !(200..<300).contains(response.status.code) { failure = "HTTP \(response.status.code)" }
        } catch {
            failure = String(describing: error)
        }
        let finalStatus: String
        if failure == nil {
            finalStatus = "delivered"
        } else {
            metrics.webhookDeliveryFailures.increment()
            finalStatus = now - delivery.created >= Self.giveUpAfter ? "failed" : "pending"
            logger.warning("webhook delivery failed", metadata: ["delivery": "\(delivery.id)", "url": "\(delivery.url)", "error": "\(failure ?? "")"])
        }
        let next = now + min(6 * 3600, 30 << min(delivery.attempts, 10))
        let (lastStatus, lastError, attempts, id, instance) = (status, failure, delivery.attempts + 1, delivery.id, lease.instance)
        do {
            try await storage.write { tx in
                try tx.webhooks.recordAttempt(
                    id, instance: instance, status: finalStatus, attempts: attempts, httpStatus: lastStatus, error: lastError, nextAttempt: next,
                    now: now)
                // A fulfilment request answered (or given up on) settles the deliveries it carried.
                if finalStatus != "pending" { try Fulfilment.fulfilmentEnded(webhookDelivery: id, delivered: finalStatus == "delivered", tx: tx, now: now) }
            }
        } catch {
            // The delivery stays claimed until its lease ends, then is attempted again.
            logger.error("webhook attempt not recorded", metadata: ["delivery": "\(delivery.id)", "error": "\(error)"])
        }
        return failure == nil
    }
}
