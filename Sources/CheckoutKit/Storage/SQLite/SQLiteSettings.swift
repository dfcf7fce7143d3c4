import GRDB

/// `SettingsStorage` in the checkout's SQLite database (`settings`: key, value).
struct SQLiteSettings: SettingsStorage {
    let database: CheckoutDatabase

    func value(named name: String, storingIfAbsent made: String) async throws -> String {
        try await database.write { db in
            try db.execute(sql: "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT DO NOTHING", arguments: [name, made])
            return try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [name]) ?? made
        }
    }
}
