import GRDB

/// The checkout's tables, created and upgraded by numbered migrations.
enum CheckoutSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-carts-orders-events") { db in
            try db.execute(sql: """
                CREATE TABLE carts (
                    id TEXT PRIMARY KEY NOT NULL, coupon TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
                CREATE TABLE cart_lines (
                    id TEXT PRIMARY KEY NOT NULL,
                    cart_id TEXT NOT NULL REFERENCES carts(id) ON DELETE CASCADE,
                    sku TEXT NOT NULL, quantity INTEGER NOT NULL, position INTEGER NOT NULL,
                    UNIQUE (cart_id, sku));
                CREATE TABLE orders (
                    id TEXT PRIMARY KEY NOT NULL, token TEXT NOT NULL, email TEXT NOT NULL,
                    kind TEXT NOT NULL DEFAULT 'purchase', status TEXT NOT NULL,
                    currency TEXT NOT NULL, subtotal INTEGER NOT NULL, discount INTEGER NOT NULL, total INTEGER NOT NULL,
                    coupon TEXT, cart_id TEXT, provider TEXT NOT NULL, payment_session_id TEXT, payment_url TEXT,
                    payment_intent TEXT, created_at INTEGER NOT NULL, paid_at INTEGER, failed_at INTEGER,
                    expired_at INTEGER, amount_refunded INTEGER NOT NULL DEFAULT 0);
                CREATE UNIQUE INDEX orders_payment_session ON orders(payment_session_id);
                CREATE INDEX orders_payment_intent ON orders(payment_intent);
                CREATE INDEX orders_status ON orders(status);
                CREATE TABLE order_lines (
                    id TEXT PRIMARY KEY NOT NULL,
                    order_id TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
                    position INTEGER NOT NULL, sku TEXT NOT NULL, kind TEXT NOT NULL, title TEXT NOT NULL, option TEXT,
                    unit_price INTEGER NOT NULL, quantity INTEGER NOT NULL, total INTEGER NOT NULL, discount INTEGER NOT NULL,
                    grants TEXT NOT NULL, refunded_at INTEGER);
                CREATE INDEX order_lines_order ON order_lines(order_id);
                CREATE TABLE idempotency_keys (
                    key TEXT PRIMARY KEY NOT NULL, request_hash TEXT NOT NULL, order_id TEXT NOT NULL, created_at INTEGER NOT NULL);
                CREATE TABLE webhook_events (
                    sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                    id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, created INTEGER NOT NULL, payload BLOB NOT NULL,
                    received_at INTEGER NOT NULL, processed_at INTEGER, attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at INTEGER NOT NULL DEFAULT 0, last_error TEXT);
                CREATE INDEX webhook_events_pending ON webhook_events(processed_at, next_attempt_at);
                """)
        }
        migrator.registerMigration("v2-delivery") { db in
            try db.execute(sql: """
                CREATE TABLE settings (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                CREATE INDEX orders_email ON orders(email);
                CREATE TABLE refunds (
                    id TEXT PRIMARY KEY NOT NULL, order_id TEXT NOT NULL REFERENCES orders(id), line_id TEXT,
                    amount INTEGER NOT NULL, provider_refund_id TEXT UNIQUE, created_at INTEGER NOT NULL);
                CREATE INDEX refunds_order ON refunds(order_id);
                CREATE TABLE subscriptions (
                    id TEXT PRIMARY KEY NOT NULL, provider_id TEXT UNIQUE, order_id TEXT, email TEXT NOT NULL,
                    plan TEXT NOT NULL, status TEXT NOT NULL, status_at INTEGER NOT NULL, status_event TEXT NOT NULL DEFAULT '',
                    current_period_end INTEGER NOT NULL DEFAULT 0,
                    cancel_at_period_end INTEGER NOT NULL DEFAULT 0, cancel_at INTEGER NOT NULL DEFAULT 0,
                    cancel_event TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL);
                CREATE INDEX subscriptions_email ON subscriptions(email);
                CREATE TABLE leads (
                    id TEXT PRIMARY KEY NOT NULL, email TEXT NOT NULL, magnet TEXT NOT NULL, token TEXT NOT NULL UNIQUE,
                    created_at INTEGER NOT NULL, last_sent_at INTEGER NOT NULL, confirmed_at INTEGER,
                    UNIQUE (email, magnet));
                CREATE TABLE entitlements (
                    email TEXT NOT NULL, item TEXT NOT NULL, cause TEXT NOT NULL, granted_at INTEGER NOT NULL,
                    PRIMARY KEY (email, item, cause));
                CREATE TABLE entitlement_log (
                    sequence INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL, item TEXT NOT NULL,
                    change TEXT NOT NULL, cause TEXT NOT NULL, at INTEGER NOT NULL);
                CREATE INDEX entitlement_log_email ON entitlement_log(email);
                CREATE TABLE downloads (
                    grant_key TEXT NOT NULL, file TEXT NOT NULL, count INTEGER NOT NULL DEFAULT 0, last_at INTEGER,
                    PRIMARY KEY (grant_key, file));
                CREATE TABLE login_tokens (
                    token_hash TEXT PRIMARY KEY NOT NULL, email TEXT NOT NULL, expires_at INTEGER NOT NULL, used_at INTEGER);
                CREATE TABLE sessions (
                    id_hash TEXT PRIMARY KEY NOT NULL, email TEXT NOT NULL, created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
                CREATE TABLE outbox (
                    id TEXT PRIMARY KEY NOT NULL, dedupe_key TEXT NOT NULL UNIQUE, recipient TEXT NOT NULL,
                    subject TEXT NOT NULL, body TEXT NOT NULL, created_at INTEGER NOT NULL, sent_at INTEGER,
                    attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL DEFAULT 0, last_error TEXT);
                CREATE INDEX outbox_pending ON outbox(sent_at, next_attempt_at);
                CREATE TABLE webhook_endpoints (
                    id TEXT PRIMARY KEY NOT NULL, url TEXT NOT NULL, events TEXT NOT NULL, secret TEXT NOT NULL,
                    created_at INTEGER NOT NULL);
                CREATE TABLE webhook_deliveries (
                    id TEXT PRIMARY KEY NOT NULL, endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
                    event_id TEXT NOT NULL, event_type TEXT NOT NULL, payload BLOB NOT NULL, status TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL, last_status INTEGER, last_error TEXT,
                    created_at INTEGER NOT NULL, delivered_at INTEGER, UNIQUE (endpoint_id, event_id));
                CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at);
                """)
        }
        migrator.registerMigration("v3-outbox-failures") { db in
            // An email an SMTP relay refused for good (a 5xx answer) is marked failed, not retried.
            try db.execute(sql: "ALTER TABLE outbox ADD COLUMN failed_at INTEGER")
        }
        migrator.registerMigration("v4-download-bytes") { db in
            // Bytes sent per file and entitlement: ranges count against a budget (`DownloadCounts`).
            try db.execute(sql: "ALTER TABLE downloads ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0")
        }
        migrator.registerMigration("v5-customer-locks") { db in
            // A row per customer that entitlement changes lock first (`EntitlementRecords.lock`).
            try db.execute(sql: "CREATE TABLE customer_locks (email TEXT PRIMARY KEY NOT NULL)")
        }
        migrator.registerMigration("v6-instances") { db in
            // What several instances need (`PostgresSchema` v2 has the same): a cart's version, so an
            // order is priced from the cart as it is when the order commits; leases on the email and
            // webhook queues; rate-limit counters shared by every instance.
            try db.execute(sql: PortableSchema.instances(integer: "INTEGER"))
        }
        migrator.registerMigration("v7-shops") { db in
            // Every row belongs to a shop (`PostgresSchema` v3 has the same). SQLite cannot change a
            // table's key, so the tables whose key gains `shop_id` are copied into new ones.
            let rebuilt = Set(PortableSchema.shopKeys.map(\.table))
            for table in PortableSchema.shopTables where !rebuilt.contains(table) {
                try db.execute(sql: PortableSchema.addShopColumn(table))
            }
            try db.execute(sql: shopKeyedTables)
        }
        migrator.registerMigration("v8-refunds-line") { db in
            // Whether a line was refunded is asked of every purchase line when entitlements are worked
            // out; PostgreSQL had this index from its first migration (found by `QueryPlanTests`).
            try db.execute(sql: "CREATE INDEX refunds_line ON refunds(line_id)")
        }
        migrator.registerMigration("v9-line-amount") { db in
            try db.execute(sql: PortableSchema.cartLineAmount)
        }
        migrator.registerMigration("v10-stock") { db in
            for statement in PortableSchema.stock(integer: "INTEGER", id: "TEXT") { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v11-deliveries") { db in
            for statement in PortableSchema.deliveries(integer: "INTEGER", id: "TEXT") { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v12-admin") { db in
            for statement in PortableSchema.admin(integer: "INTEGER", id: "TEXT") { try db.execute(sql: statement) }
        }
        return migrator
    }

    /// The tables of `PortableSchema.shopKeys` as they are since v7, filled from their older selves.
    private static let shopKeyedTables = """
        CREATE TABLE new_idempotency_keys (
            shop_id TEXT NOT NULL DEFAULT '', key TEXT NOT NULL, request_hash TEXT NOT NULL, order_id TEXT NOT NULL,
            created_at INTEGER NOT NULL, PRIMARY KEY (shop_id, key));
        INSERT INTO new_idempotency_keys (key, request_hash, order_id, created_at)
            SELECT key, request_hash, order_id, created_at FROM idempotency_keys;
        CREATE TABLE new_webhook_events (
            sequence INTEGER PRIMARY KEY AUTOINCREMENT, shop_id TEXT NOT NULL DEFAULT '',
            id TEXT NOT NULL, type TEXT NOT NULL, created INTEGER NOT NULL, payload BLOB NOT NULL,
            received_at INTEGER NOT NULL, processed_at INTEGER, attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL DEFAULT 0, last_error TEXT, UNIQUE (shop_id, id));
        INSERT INTO new_webhook_events (sequence, id, type, created, payload, received_at, processed_at, attempts, next_attempt_at, last_error)
            SELECT sequence, id, type, created, payload, received_at, processed_at, attempts, next_attempt_at, last_error FROM webhook_events;
        CREATE TABLE new_settings (shop_id TEXT NOT NULL DEFAULT '', key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (shop_id, key));
        INSERT INTO new_settings (key, value) SELECT key, value FROM settings;
        CREATE TABLE new_leads (
            id TEXT PRIMARY KEY NOT NULL, shop_id TEXT NOT NULL DEFAULT '', email TEXT NOT NULL, magnet TEXT NOT NULL,
            token TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL, last_sent_at INTEGER NOT NULL, confirmed_at INTEGER,
            UNIQUE (shop_id, email, magnet));
        INSERT INTO new_leads (id, email, magnet, token, created_at, last_sent_at, confirmed_at)
            SELECT id, email, magnet, token, created_at, last_sent_at, confirmed_at FROM leads;
        CREATE TABLE new_entitlements (
            shop_id TEXT NOT NULL DEFAULT '', email TEXT NOT NULL, item TEXT NOT NULL, cause TEXT NOT NULL, granted_at INTEGER NOT NULL,
            PRIMARY KEY (shop_id, email, item, cause));
        INSERT INTO new_entitlements (email, item, cause, granted_at) SELECT email, item, cause, granted_at FROM entitlements;
        CREATE TABLE new_downloads (
            shop_id TEXT NOT NULL DEFAULT '', grant_key TEXT NOT NULL, file TEXT NOT NULL, count INTEGER NOT NULL DEFAULT 0,
            last_at INTEGER, bytes INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (shop_id, grant_key, file));
        INSERT INTO new_downloads (grant_key, file, count, last_at, bytes) SELECT grant_key, file, count, last_at, bytes FROM downloads;
        CREATE TABLE new_customer_locks (shop_id TEXT NOT NULL DEFAULT '', email TEXT NOT NULL, PRIMARY KEY (shop_id, email));
        INSERT INTO new_customer_locks (email) SELECT email FROM customer_locks;
        CREATE TABLE new_outbox (
            id TEXT PRIMARY KEY NOT NULL, shop_id TEXT NOT NULL DEFAULT '', dedupe_key TEXT NOT NULL, recipient TEXT NOT NULL,
            subject TEXT NOT NULL, body TEXT NOT NULL, created_at INTEGER NOT NULL, sent_at INTEGER,
            attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL DEFAULT 0, last_error TEXT, failed_at INTEGER,
            claimed_until INTEGER NOT NULL DEFAULT 0, claimed_by TEXT, UNIQUE (shop_id, dedupe_key));
        INSERT INTO new_outbox (
            id, dedupe_key, recipient, subject, body, created_at, sent_at, attempts, next_attempt_at, last_error, failed_at,
            claimed_until, claimed_by)
            SELECT id, dedupe_key, recipient, subject, body, created_at, sent_at, attempts, next_attempt_at, last_error, failed_at,
                   claimed_until, claimed_by FROM outbox;
        CREATE TABLE new_rate_limits (
            shop_id TEXT NOT NULL DEFAULT '', key TEXT NOT NULL, window_start INTEGER NOT NULL, hits INTEGER NOT NULL,
            expires_at INTEGER NOT NULL, PRIMARY KEY (shop_id, key));
        INSERT INTO new_rate_limits (key, window_start, hits, expires_at) SELECT key, window_start, hits, expires_at FROM rate_limits;
        DROP TABLE idempotency_keys; ALTER TABLE new_idempotency_keys RENAME TO idempotency_keys;
        DROP TABLE webhook_events; ALTER TABLE new_webhook_events RENAME TO webhook_events;
        CREATE INDEX webhook_events_pending ON webhook_events(processed_at, next_attempt_at);
        DROP TABLE settings; ALTER TABLE new_settings RENAME TO settings;
        DROP TABLE leads; ALTER TABLE new_leads RENAME TO leads;
        DROP TABLE entitlements; ALTER TABLE new_entitlements RENAME TO entitlements;
        DROP TABLE downloads; ALTER TABLE new_downloads RENAME TO downloads;
        DROP TABLE customer_locks; ALTER TABLE new_customer_locks RENAME TO customer_locks;
        DROP TABLE outbox; ALTER TABLE new_outbox RENAME TO outbox;
        CREATE INDEX outbox_pending ON outbox(sent_at, next_attempt_at);
        DROP TABLE rate_limits; ALTER TABLE new_rate_limits RENAME TO rate_limits;
        CREATE INDEX rate_limits_expiry ON rate_limits(expires_at);
        """
}
