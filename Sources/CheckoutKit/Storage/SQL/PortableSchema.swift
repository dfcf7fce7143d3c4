/// Schema changes written once for both databases, in the column types they share (`integer` is
/// SQLite's `INTEGER` or PostgreSQL's `BIGINT`, both 64-bit).
enum PortableSchema {
    /// The unit amount a shopper named for a pay-what-you-want line (minor units; NULL otherwise).
    static let cartLineAmount = "ALTER TABLE cart_lines ADD COLUMN amount BIGINT"

    /// The operator's console (`StaffRecords`, `AuditRecords`, `EntitlementOverrideRecords`): API keys
    /// and staff members with their role, staff sign-in links and sessions (secrets stored only as
    /// SHA-256 hashes), the append-only audit log, entitlements granted or revoked by hand, and the
    /// indexes the dashboard's period queries read (`DashboardQueries`).
    static func admin(integer: String, id: String) -> [String] {
        [
            """
            CREATE TABLE staff_keys (
                shop_id TEXT NOT NULL DEFAULT '', id \(id) PRIMARY KEY NOT NULL, name TEXT NOT NULL, role TEXT NOT NULL,
                key_hash TEXT NOT NULL UNIQUE, created_at \(integer) NOT NULL, last_used_at \(integer), revoked_at \(integer))
            """,
            """
            CREATE TABLE staff_members (
                shop_id TEXT NOT NULL DEFAULT '', email TEXT NOT NULL, role TEXT NOT NULL, added_at \(integer) NOT NULL,
                PRIMARY KEY (shop_id, email))
            """,
            """
            CREATE TABLE staff_login_tokens (
                shop_id TEXT NOT NULL DEFAULT '', token_hash TEXT PRIMARY KEY NOT NULL, email TEXT NOT NULL,
                expires_at \(integer) NOT NULL, used_at \(integer))
            """,
            """
            CREATE TABLE staff_sessions (
                shop_id TEXT NOT NULL DEFAULT '', id_hash TEXT PRIMARY KEY NOT NULL, email TEXT NOT NULL, csrf TEXT NOT NULL,
                created_at \(integer) NOT NULL, expires_at \(integer) NOT NULL)
            """,
            """
            CREATE TABLE audit_log (
                shop_id TEXT NOT NULL DEFAULT '', id \(id) PRIMARY KEY NOT NULL, at \(integer) NOT NULL, actor TEXT NOT NULL,
                role TEXT NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL, before TEXT, after TEXT, reason TEXT)
            """,
            "CREATE INDEX audit_log_at ON audit_log(shop_id, at, id)",
            """
            CREATE TABLE entitlement_overrides (
                shop_id TEXT NOT NULL DEFAULT '', id \(id) PRIMARY KEY NOT NULL, email TEXT NOT NULL, item TEXT NOT NULL,
                effect TEXT NOT NULL, causes TEXT NOT NULL DEFAULT '', reason TEXT NOT NULL, actor TEXT NOT NULL,
                created_at \(integer) NOT NULL, ended_at \(integer), ended_by TEXT)
            """,
            "CREATE INDEX entitlement_overrides_email ON entitlement_overrides(shop_id, email)",
            "CREATE INDEX orders_shop_paid ON orders(shop_id, paid_at, currency, total, amount_refunded)",
            "CREATE INDEX orders_shop_created ON orders(shop_id, created_at, id)",
            "CREATE INDEX orders_shop_email ON orders(shop_id, email, created_at)",
            "CREATE INDEX carts_shop_created ON carts(shop_id, created_at)",
            "CREATE INDEX leads_shop_created ON leads(shop_id, created_at, id)",
            "CREATE INDEX leads_shop_email ON leads(shop_id, email)",
            "CREATE INDEX subscriptions_shop_created ON subscriptions(shop_id, created_at, id)",
            "CREATE INDEX subscriptions_shop_email ON subscriptions(shop_id, email)",
            "CREATE INDEX refunds_shop_created ON refunds(shop_id, created_at)",
            "CREATE INDEX subscriptions_shop_status ON subscriptions(shop_id, status, plan)",
            "CREATE INDEX line_deliveries_shop_updated ON line_deliveries(shop_id, updated_at)",
            "CREATE INDEX downloads_shop_last ON downloads(shop_id, last_at)",
        ]
    }

    /// Deliveries (`DeliveryRecords`, `LicenseKeyRecords`): one per paid line and product, with its
    /// method, status and the log of its statuses; licence keys per SKU, available or assigned to a
    /// delivery (or revoked). `id` is the column type ids are kept in (PostgreSQL's `TEXT COLLATE "C"`).
    static func deliveries(integer: String, id: String) -> [String] {
        [
            """
            CREATE TABLE line_deliveries (
                shop_id TEXT NOT NULL DEFAULT '', id \(id) PRIMARY KEY NOT NULL, order_id \(id) NOT NULL, line_id \(id) NOT NULL,
                sku TEXT NOT NULL, method TEXT NOT NULL, quantity \(integer) NOT NULL, status TEXT NOT NULL, fulfilment_event_id \(id),
                created_at \(integer) NOT NULL, updated_at \(integer) NOT NULL, UNIQUE (shop_id, line_id, sku))
            """,
            "CREATE INDEX line_deliveries_order ON line_deliveries(order_id)",
            "CREATE INDEX line_deliveries_event ON line_deliveries(fulfilment_event_id)",
            "CREATE INDEX line_deliveries_pending ON line_deliveries(shop_id, sku, status)",
            """
            CREATE TABLE delivery_log (
                shop_id TEXT NOT NULL DEFAULT '', id \(id) PRIMARY KEY NOT NULL, delivery_id \(id) NOT NULL, status TEXT NOT NULL,
                note TEXT NOT NULL, at \(integer) NOT NULL)
            """,
            "CREATE INDEX delivery_log_delivery ON delivery_log(delivery_id)",
            """
            CREATE TABLE license_keys (
                shop_id TEXT NOT NULL DEFAULT '', id \(id) PRIMARY KEY NOT NULL, sku TEXT NOT NULL, key TEXT NOT NULL, state TEXT NOT NULL,
                delivery_id \(id), created_at \(integer) NOT NULL, assigned_at \(integer), UNIQUE (shop_id, sku, key))
            """,
            "CREATE INDEX license_keys_pool ON license_keys(shop_id, sku, state)",
            "CREATE INDEX license_keys_delivery ON license_keys(delivery_id)",
        ]
    }

    /// Limited stock (`StockRecords`): what each order holds of a SKU (`held` until the payment
    /// session ends, then `sold` or `released`), and one row per SKU that checkouts lock so two of
    /// them never count the same last unit. `id` is the column type ids are kept in.
    static func stock(integer: String, id: String) -> [String] {
        [
            """
            CREATE TABLE stock_holds (
                shop_id TEXT NOT NULL DEFAULT '', id \(id) PRIMARY KEY NOT NULL, order_id \(id) NOT NULL, sku TEXT NOT NULL,
                quantity \(integer) NOT NULL, state TEXT NOT NULL, expires_at \(integer) NOT NULL, created_at \(integer) NOT NULL)
            """,
            "CREATE INDEX stock_holds_sku ON stock_holds(shop_id, sku, state)",
            "CREATE INDEX stock_holds_order ON stock_holds(order_id)",
            """
            CREATE TABLE stock_locks (
                shop_id TEXT NOT NULL DEFAULT '', sku TEXT NOT NULL, version \(integer) NOT NULL, PRIMARY KEY (shop_id, sku))
            """,
        ]
    }

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

    /// The tables whose rows belong to a shop: all of them. Each gains `shop_id` (`''`, the single
    /// shop, for every row stored before), and every statement is scoped by it (`StorageTransaction.shop`).
    static let shopTables = [
        "carts", "cart_lines", "orders", "order_lines", "idempotency_keys", "webhook_events", "settings", "refunds", "subscriptions",
        "leads", "entitlements", "entitlement_log", "downloads", "login_tokens", "sessions", "outbox", "webhook_endpoints",
        "webhook_deliveries", "customer_locks", "rate_limits",
    ]

    /// The tables whose natural key (a Stripe event id, an idempotency key, an email address, a
    /// setting's name…) may repeat from shop to shop, with their key or unique columns to be
    /// prefixed with `shop_id`; every other table is keyed by a random id.
    static let shopKeys: [(table: String, constraint: String, columns: String, primary: Bool)] = [
        ("idempotency_keys", "idempotency_keys_pkey", "shop_id, key", true),
        ("webhook_events", "webhook_events_id_key", "shop_id, id", false),
        ("settings", "settings_pkey", "shop_id, key", true),
        ("leads", "leads_email_magnet_key", "shop_id, email, magnet", false),
        ("entitlements", "entitlements_pkey", "shop_id, email, item, cause", true),
        ("downloads", "downloads_pkey", "shop_id, grant_key, file", true),
        ("customer_locks", "customer_locks_pkey", "shop_id, email", true),
        ("outbox", "outbox_dedupe_key_key", "shop_id, dedupe_key", false),
        ("rate_limits", "rate_limits_pkey", "shop_id, key", true),
    ]

    static func addShopColumn(_ table: String) -> String {
        "ALTER TABLE \(table) ADD COLUMN shop_id TEXT NOT NULL DEFAULT ''"
    }
}
