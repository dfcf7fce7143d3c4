/// Schema changes written once for both databases, in the column types they share (`integer` is
/// SQLite's `INTEGER` or PostgreSQL's `BIGINT`, both 64-bit).
enum PortableSchema {
    /// What running several instances over one database needs:
    /// - `carts.version`, raised by every change to a cart, so an order priced from one version of the
    ///   cart is stored only while the cart is still at that version (`OrderRecords.insert`);
    /// - `claimed_until` and `claimed_by` on the email and outgoing-webhook queues: an instance claims a
    ///   row for a lease before sending it, and a row whose instance died is taken again when its lease
    ///   ends (`OutboxRecords.claimDue`, `WebhookRecords.claimDue`);
    /// - `rate_limits`: one counter per key and fixed window, counted by every instance (`RateLimiter`).
    static func instances(integer: String) -> String {
        """
        ALTER TABLE carts ADD COLUMN version \(integer) NOT NULL DEFAULT 0;
        ALTER TABLE outbox ADD COLUMN claimed_until \(integer) NOT NULL DEFAULT 0;
        ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
        ALTER TABLE webhook_deliveries ADD COLUMN claimed_until \(integer) NOT NULL DEFAULT 0;
        ALTER TABLE webhook_deliveries ADD COLUMN claimed_by TEXT;
        CREATE TABLE rate_limits (
            key TEXT PRIMARY KEY NOT NULL, window_start \(integer) NOT NULL, hits \(integer) NOT NULL,
            expires_at \(integer) NOT NULL);
        CREATE INDEX rate_limits_expiry ON rate_limits(expires_at);
        """
    }
}
