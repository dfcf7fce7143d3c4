import AsyncHTTPClient
import Foundation
import GRDB
import Logging
import NIOCore
import ServiceLifecycle
import ShopCore

/// Delivers outgoing events to operators' endpoints, signed like Stripe's
/// (`Checkout-Signature: t=…,v1=…` over `"{t}.{body}"` with the endpoint's secret), retrying with
/// exponential backoff for up to three days, and keeping a log of every attempt's outcome.
actor WebhookDeliveryWorker: Service {
    static let giveUpAfter = 3 * 24 * 3600
    let database: CheckoutDatabase
    let clock: CheckoutClock
    let logger: Logger
    let metrics: CheckoutMetrics
    let client: HTTPClient
    /// The drain running or queued last; each drain waits for the one before, because an actor lets a
    /// second call in while the first awaits the network, and two overlapping drains would send twice.
    private var lastDrain: Task<Int, Never>?
    private let wakeUps = WorkerWakeUps()

    init(database: CheckoutDatabase, clock: CheckoutClock, logger: Logger, metrics: CheckoutMetrics, client: HTTPClient = .shared) {
        self.database = database
        self.clock = clock
        self.logger = logger
        self.metrics = metrics
        self.client = client
    }

    nonisolated func notify() { wakeUps.notify() }

    func run() async throws {
        await wakeUps.run(every: .seconds(5)) { await self.drain() }
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

    private func deliverDue() async -> Int {
        let now = clock.seconds
        guard let due = try? await database.read({ db in
            try Row.fetchAll(db, sql: """
                SELECT d.id, d.payload, d.attempts, d.created_at, e.url, e.secret
                FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
                WHERE d.status = 'pending' AND d.next_attempt_at <= ? ORDER BY d.created_at, d.id LIMIT 100
                """, arguments: [now]
            ).map { (id: $0[0] as String, payload: $0[1] as Data, attempts: ($0[2] as Int) + 1, created: $0[3] as Int, url: $0[4] as String, secret: $0[5] as String) }
        }) else { return 0 }
        var delivered = 0
        for (id, payload, attempts, created, url, secret) in due {
            var status: Int?
            var failure: String?
            do {
                var request = HTTPClientRequest(url: url)
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                request.headers.add(name: "User-Agent", value: "checkout-webhooks/1")
                request.headers.add(name: "Checkout-Signature", value: StripeSignature(secret: secret).header(for: payload, timestamp: now))
                request.body = .bytes(ByteBuffer(bytes: payload))
                let response = try await client.execute(request, timeout: .seconds(10))
                status = Int(response.status.code)
                if !(200..<300).contains(response.status.code) { failure = "HTTP \(response.status.code)" }
            } catch {
                failure = String(describing: error)
            }
            let finalStatus: String
            if failure == nil {
                finalStatus = "delivered"
                delivered += 1
            } else {
                metrics.webhookDeliveryFailures.increment()
                finalStatus = now - created >= Self.giveUpAfter ? "failed" : "pending"
                logger.warning("webhook delivery failed", metadata: ["delivery": "\(id)", "url": "\(url)", "error": "\(failure ?? "")"])
            }
            let next = now + min(6 * 3600, 30 << min(attempts - 1, 10))
            let (lastStatus, lastError) = (status, failure)
            try? await database.write { db in
                try db.execute(
                    sql: """
                        UPDATE webhook_deliveries SET status = ?, attempts = ?, last_status = ?, last_error = ?, next_attempt_at = ?,
                               delivered_at = CASE WHEN ? = 'delivered' THEN ? ELSE delivered_at END
                        WHERE id = ?
                        """,
                    arguments: [finalStatus, attempts, lastStatus, lastError, next, finalStatus, now, id])
            }
        }
        return delivered
    }
}
