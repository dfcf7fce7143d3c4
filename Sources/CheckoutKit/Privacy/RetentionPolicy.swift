/// How long the checkout keeps personal data it no longer needs, in seconds; `RetentionJob` purges
/// what is older, across every shop of the deployment, once an hour. Orders, refunds and
/// subscriptions are never purged: they are the shop's books.
public struct RetentionPolicy: Sendable, Equatable {
    /// Leads whose address was never confirmed, after they asked (default 30 days).
    public var unconfirmedLeads = 30 * 86_400
    /// Customer and staff sessions and sign-in links, after they expired (default 1 day).
    public var expiredSessions = 86_400
    /// Outgoing webhook deliveries, after they were delivered; and the stored body of a payment
    /// provider's event, after it was processed (its id is kept, so a late retry is still known;
    /// default 30 days).
    public var webhookPayloads = 30 * 86_400
    /// Emails (their row, with the body), after they were sent or failed for good (default 90 days).
    public var sentEmails = 90 * 86_400

    public init() {}
}

/// How many rows one purge removed or emptied, by kind (the `kind` label of
/// `checkout_retention_purged_total`).
public struct RetentionPurge: Sendable, Equatable {
    public var counts: [String: Int] = [:]
    public var total: Int { counts.values.reduce(0, +) }
}
