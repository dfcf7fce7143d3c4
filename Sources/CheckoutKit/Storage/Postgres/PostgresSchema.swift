/// The checkout's tables on PostgreSQL, created and upgraded by numbered migrations recorded in
/// `checkout_migrations`. The same tables and columns as `CheckoutSchema` (SQLite), in PostgreSQL's
/// types: BIGINT for every integer (SQLite's are 64-bit), BYTEA for blobs, identity columns for
/// SQLite's AUTOINCREMENT, and ids compared byte by byte (`COLLATE "C"`, SQLite's BINARY) so that
/// ordering by an id made with `RandomToken.makeOrdered` follows creation order whatever the
/// database's collation. Instances starting at once take an advisory lock, so one of them migrates.
enum PostgresSchema {
    static let migrations: [(id: String, statements: [String])] = [
        ("v1-checkout", [
            """
            CREATE TABLE carts (
                id TEXT COLLATE "C" PRIMARY KEY, coupon TEXT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE cart_lines (
                id TEXT COLLATE "C" PRIMARY KEY, cart_id TEXT NOT NULL REFERENCES carts(id) ON DELETE CASCADE,
                sku TEXT NOT NULL, quantity BIGINT NOT NULL, position BIGINT NOT NULL, UNIQUE (cart_id, sku))
            """,
            """
            CREATE TABLE orders (
                id TEXT COLLATE "C" PRIMARY KEY, token TEXT NOT NULL, email TEXT NOT NULL, kind TEXT NOT NULL DEFAULT 'purchase',
                status TEXT NOT NULL, currency TEXT NOT NULL, subtotal BIGINT NOT NULL, discount BIGINT NOT NULL, total BIGINT NOT NULL,
                coupon TEXT, cart_id TEXT, provider TEXT NOT NULL, payment_session_id TEXT UNIQUE, payment_url TEXT,
                payment_intent TEXT, created_at BIGINT NOT NULL, paid_at BIGINT, failed_at BIGINT, expired_at BIGINT,
                amount_refunded BIGINT NOT NULL DEFAULT 0)
            """,
            "CREATE INDEX orders_payment_intent ON orders(payment_intent)",
            "CREATE INDEX orders_status ON orders(status)",
            "CREATE INDEX orders_email ON orders(email)",
            """
            CREATE TABLE order_lines (
                id TEXT COLLATE "C" PRIMARY KEY, order_id TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
                position BIGINT NOT NULL, sku TEXT NOT NULL, kind TEXT NOT NULL, title TEXT NOT NULL, option TEXT,
                unit_price BIGINT NOT NULL, quantity BIGINT NOT NULL, total BIGINT NOT NULL, discount BIGINT NOT NULL,
                grants TEXT NOT NULL, refunded_at BIGINT)
            """,
            "CREATE INDEX order_lines_order ON order_lines(order_id)",
            """
            CREATE TABLE idempotency_keys (
                key TEXT PRIMARY KEY, request_hash TEXT NOT NULL, order_id TEXT NOT NULL, created_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE webhook_events (
                sequence BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, created BIGINT NOT NULL, payload BYTEA NOT NULL,
                received_at BIGINT NOT NULL, processed_at BIGINT, attempts BIGINT NOT NULL DEFAULT 0,
                next_attempt_at BIGINT NOT NULL DEFAULT 0, last_error TEXT)
            """,
            "CREATE INDEX webhook_events_pending ON webhook_events(processed_at, next_attempt_at)",
            "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            """
            CREATE TABLE refunds (
                id TEXT COLLATE "C" PRIMARY KEY, order_id TEXT NOT NULL REFERENCES orders(id), line_id TEXT,
                amount BIGINT NOT NULL, provider_refund_id TEXT UNIQUE, created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX refunds_order ON refunds(order_id)",
            "CREATE INDEX refunds_line ON refunds(line_id)",
            """
            CREATE TABLE subscriptions (
                id TEXT COLLATE "C" PRIMARY KEY, provider_id TEXT UNIQUE, order_id TEXT, email TEXT NOT NULL,
                plan TEXT NOT NULL, status TEXT NOT NULL, status_at BIGINT NOT NULL, status_event TEXT NOT NULL DEFAULT '',
                current_period_end BIGINT NOT NULL DEFAULT 0, cancel_at_period_end BIGINT NOT NULL DEFAULT 0,
                cancel_at BIGINT NOT NULL DEFAULT 0, cancel_event TEXT NOT NULL DEFAULT '', created_at BIGINT NOT NULL)
            """,
            "CREATE INDEX subscriptions_email ON subscriptions(email)",
            """
            CREATE TABLE leads (
                id TEXT COLLATE "C" PRIMARY KEY, email TEXT NOT NULL, magnet TEXT NOT NULL, token TEXT NOT NULL UNIQUE,
                created_at BIGINT NOT NULL, last_sent_at BIGINT NOT NULL, confirmed_at BIGINT, UNIQUE (email, magnet))
            """,
            """
            CREATE TABLE entitlements (
                email TEXT NOT NULL, item TEXT NOT NULL, cause TEXT NOT NULL, granted_at BIGINT NOT NULL,
                PRIMARY KEY (email, item, cause))
            """,
            """
            CREATE TABLE entitlement_log (
                sequence BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email TEXT NOT NULL, item TEXT NOT NULL,
                change TEXT NOT NULL, cause TEXT NOT NULL, at BIGINT NOT NULL)
            """,
            "CREATE INDEX entitlement_log_email ON entitlement_log(email)",
            """
            CREATE TABLE downloads (
                grant_key TEXT NOT NULL, file TEXT NOT NULL, count BIGINT NOT NULL DEFAULT 0, last_at BIGINT,
                bytes BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (grant_key, file))
            """,
            """
            CREATE TABLE login_tokens (
                token_hash TEXT PRIMARY KEY, email TEXT NOT NULL, expires_at BIGINT NOT NULL, used_at BIGINT)
            """,
            """
            CREATE TABLE sessions (
                id_hash TEXT PRIMARY KEY, email TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE outbox (
                id TEXT COLLATE "C" PRIMARY KEY, dedupe_key TEXT NOT NULL UNIQUE, recipient TEXT NOT NULL,
                subject TEXT NOT NULL, body TEXT NOT NULL, created_at BIGINT NOT NULL, sent_at BIGINT,
                attempts BIGINT NOT NULL DEFAULT 0, next_attempt_at BIGINT NOT NULL DEFAULT 0, last_error TEXT, failed_at BIGINT)
            """,
            "CREATE INDEX outbox_pending ON outbox(sent_at, next_attempt_at)",
            """
            CREATE TABLE webhook_endpoints (
                id TEXT COLLATE "C" PRIMARY KEY, url TEXT NOT NULL, events TEXT NOT NULL, secret TEXT NOT NULL, created_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE webhook_deliveries (
                id TEXT COLLATE "C" PRIMARY KEY, endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
                event_id TEXT NOT NULL, event_type TEXT NOT NULL, payload BYTEA NOT NULL, status TEXT NOT NULL,
                attempts BIGINT NOT NULL DEFAULT 0, next_attempt_at BIGINT NOT NULL, last_status BIGINT, last_error TEXT,
                created_at BIGINT NOT NULL, delivered_at BIGINT, UNIQUE (endpoint_id, event_id))
            """,
            "CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at)",
            "CREATE TABLE customer_locks (email TEXT PRIMARY KEY)",
        ]),
        ("v2-instances", PortableSchema.instances(integer: "BIGINT").split(separator: ";").map(String.init).filter {
            !$0.allSatisfy(\.isWhitespace)
        }),
        // Every row belongs to a shop (`PortableSchema.shopTables`); keys that may repeat from shop
        // to shop are unique per shop.
        ("v3-shops", PortableSchema.shopTables.map(PortableSchema.addShopColumn) + PortableSchema.shopKeys.map { key in
            "ALTER TABLE \(key.table) DROP CONSTRAINT \(key.constraint), ADD \(key.primary ? "PRIMARY KEY" : "UNIQUE") (\(key.columns))"
        }),
        // A column holding another table's id compares as that id does (`COLLATE "C"`). Before, a
        // join such as a cart with its lines took the id's collation, which the line's index on
        // `cart_id` (in the database's collation) cannot serve: every GET cart read all cart lines
        // (found by the 2,000-shop bench, where PostgreSQL spent 4 times the CPU per request).
        ("v4-id-collation", [
            "ALTER TABLE cart_lines ALTER COLUMN cart_id TYPE TEXT COLLATE \"C\"",
            "ALTER TABLE order_lines ALTER COLUMN order_id TYPE TEXT COLLATE \"C\"",
            "ALTER TABLE refunds ALTER COLUMN order_id TYPE TEXT COLLATE \"C\", ALTER COLUMN line_id TYPE TEXT COLLATE \"C\"",
            "ALTER TABLE webhook_deliveries ALTER COLUMN endpoint_id TYPE TEXT COLLATE \"C\"",
            "ALTER TABLE orders ALTER COLUMN cart_id TYPE TEXT COLLATE \"C\"",
            "ALTER TABLE subscriptions ALTER COLUMN order_id TYPE TEXT COLLATE \"C\"",
        ]),
        ("v5-line-amount", [PortableSchema.cartLineAmount]),
        ("v6-stock", PortableSchema.stock(integer: "BIGINT", id: "TEXT COLLATE \"C\"")),
        ("v7-deliveries", PortableSchema.deliveries(integer: "BIGINT", id: "TEXT COLLATE \"C\"")),
        ("v8-admin", PortableSchema.admin(integer: "BIGINT", id: "TEXT COLLATE \"C\"")),
    ]

    /// Applies every migration not yet recorded, each in the one transaction with its record.
    static func migrate(_ sql: PostgresStatements) throws {
        try sql.transaction(begin: "BEGIN") {
            // Any constant works, as long as it is this service's: instances starting together wait here.
            try sql.run("SELECT pg_advisory_xact_lock(4207733911)")
            try sql.run("CREATE TABLE IF NOT EXISTS checkout_migrations (id TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)")
            let applied = Set(try sql.values("SELECT id FROM checkout_migrations") as [String])
            for migration in migrations where !applied.contains(migration.id) {
                for statement in migration.statements { try sql.run(statement) }
                try sql.run(
                    "INSERT INTO checkout_migrations (id, applied_at) VALUES (?, CAST(EXTRACT(EPOCH FROM now()) AS BIGINT))", migration.id)
            }
        }
    }

    /// Whether every migration has been applied.
    static func isCurrent(_ sql: PostgresStatements) throws -> Bool {
        let applied = Set(try sql.values("SELECT id FROM checkout_migrations") as [String])
        return migrations.allSatisfy { applied.contains($0.id) }
    }
}
