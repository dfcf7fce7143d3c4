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
        return migrator
    }
}
