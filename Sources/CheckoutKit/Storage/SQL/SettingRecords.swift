/// The service's own settings, one value per name (`settings`: the first-start download-link key),
/// each shop's its own.
struct SettingRecords {
    let sql: any SQLStatements
    let shop: String

    /// The value stored under `name`, storing `made` first when there is none. Racing first starts
    /// all get the one value stored (`INSERT … ON CONFLICT DO NOTHING`, then a read), never an error.
    func value(named name: String, storingIfAbsent made: String) throws -> String {
        try sql.run("INSERT INTO settings (shop_id, key, value) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", shop, name, made)
        return try sql.value("SELECT value FROM settings WHERE key = ? AND shop_id = ?", name, shop) ?? made
    }
}
