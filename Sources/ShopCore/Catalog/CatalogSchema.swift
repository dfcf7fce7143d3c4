import GRDB

/// The catalog's tables, created and upgraded by numbered migrations.
enum CatalogSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-catalog") { db in
            try db.execute(sql: """
                CREATE TABLE catalog_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
                CREATE TABLE niches (
                    slug TEXT PRIMARY KEY NOT NULL, title TEXT NOT NULL, summary TEXT NOT NULL, position INTEGER NOT NULL);
                CREATE TABLE products (
                    sku TEXT PRIMARY KEY NOT NULL, slug TEXT NOT NULL, title TEXT NOT NULL, niche TEXT NOT NULL,
                    summary TEXT NOT NULL, description TEXT NOT NULL, price INTEGER NOT NULL, currency TEXT NOT NULL,
                    status TEXT NOT NULL, tags TEXT NOT NULL, image TEXT NOT NULL, released TEXT NOT NULL,
                    featured INTEGER NOT NULL, files TEXT NOT NULL);
                CREATE INDEX products_niche ON products(niche);
                CREATE TABLE variants (
                    sku TEXT PRIMARY KEY NOT NULL, product TEXT NOT NULL, title TEXT NOT NULL, price INTEGER,
                    files TEXT NOT NULL, position INTEGER NOT NULL);
                CREATE INDEX variants_product ON variants(product);
                CREATE TABLE bundles (
                    slug TEXT PRIMARY KEY NOT NULL, sku TEXT NOT NULL, title TEXT NOT NULL, summary TEXT NOT NULL,
                    discount_percent INTEGER NOT NULL, rule_niches TEXT NOT NULL, rule_tags TEXT NOT NULL,
                    rule_skus TEXT NOT NULL, image TEXT NOT NULL);
                CREATE TABLE plans (
                    slug TEXT PRIMARY KEY NOT NULL, sku TEXT NOT NULL, title TEXT NOT NULL, summary TEXT NOT NULL,
                    price INTEGER NOT NULL, currency TEXT NOT NULL, interval TEXT NOT NULL, niches TEXT NOT NULL,
                    grants_all INTEGER NOT NULL, trial_days INTEGER NOT NULL, features TEXT NOT NULL, position INTEGER NOT NULL);
                CREATE TABLE lead_magnets (
                    slug TEXT PRIMARY KEY NOT NULL, title TEXT NOT NULL, summary TEXT NOT NULL, file TEXT NOT NULL,
                    niche TEXT NOT NULL, image TEXT NOT NULL);
                CREATE TABLE coupons (
                    code TEXT PRIMARY KEY NOT NULL, percent_off INTEGER, amount_off INTEGER, starts_on TEXT NOT NULL,
                    expires_on TEXT NOT NULL, niches TEXT NOT NULL, minimum INTEGER, active INTEGER NOT NULL);
                """)
        }
        migrator.registerMigration("v2-price-rules") { db in
            // Scheduled sales, quantity tiers (`5:1500,20:1200`, minor units), pay what you want, member prices and limited stock.
            try db.execute(sql: """
                ALTER TABLE products ADD COLUMN sale_price INTEGER;
                ALTER TABLE products ADD COLUMN sale_starts TEXT NOT NULL DEFAULT '';
                ALTER TABLE products ADD COLUMN sale_ends TEXT NOT NULL DEFAULT '';
                ALTER TABLE products ADD COLUMN tiers TEXT NOT NULL DEFAULT '';
                ALTER TABLE products ADD COLUMN minimum_price INTEGER;
                ALTER TABLE variants ADD COLUMN sale_price INTEGER;
                ALTER TABLE variants ADD COLUMN sale_starts TEXT NOT NULL DEFAULT '';
                ALTER TABLE variants ADD COLUMN sale_ends TEXT NOT NULL DEFAULT '';
                ALTER TABLE plans ADD COLUMN member_discount INTEGER;
                ALTER TABLE products ADD COLUMN stock INTEGER;
                ALTER TABLE variants ADD COLUMN stock INTEGER;
                """)
        }
        migrator.registerMigration("v3-delivery") { db in
            try db.execute(sql: """
                ALTER TABLE products ADD COLUMN delivery TEXT NOT NULL DEFAULT 'file';
                ALTER TABLE products ADD COLUMN license_pattern TEXT NOT NULL DEFAULT '';
                """)
        }
        return migrator
    }
}
