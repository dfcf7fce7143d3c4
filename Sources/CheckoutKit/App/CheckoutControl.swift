/// Runs the service's background work on demand: what tests and tools use to make "the email was
/// sent" or "the webhook was delivered" happen now instead of on the workers' schedule.
public struct CheckoutControl: Sendable {
    let shop: Shop

    /// Sends every email due; returns how many were sent.
    @discardableResult
    public func sendPendingMail() async -> Int { await shop.mail.drain() }

    /// Attempts every outgoing webhook delivery due; returns how many succeeded.
    @discardableResult
    public func deliverPendingWebhooks() async -> Int { await shop.webhooks.drain() }

    /// Purges what the retention policy no longer keeps, now (the hourly `RetentionJob`'s work).
    public func purgeExpiredData() async throws -> RetentionPurge {
        try await RetentionJob(
            storage: shop.storage.base, policy: shop.configuration.retention, clock: shop.clock, registry: shop.metrics.registry, logger: shop.logger,
            mailFolder: { [folder = shop.configuration.mailFolder] _ in folder }
        ).purge()
    }

    /// The shop's data-subject requests (export, erasure), as the admin API runs them.
    public var customers: CustomerData { shop.customerData }

    /// Processes every stored payment event that is due.
    public func processPendingEvents() async { await shop.processor.processDue() }

    /// What `email` may download now, as `item cause` lines, sorted.
    public func entitlements(of email: String) async throws -> [String] {
        let (ledger, now) = (shop.delivery.ledger, shop.clock.seconds)
        return try await shop.storage.read { tx in
            try ledger.current(tx, email: email, now: now).sorted().map { "\($0.item) \($0.cause)" }
        }
    }
}
