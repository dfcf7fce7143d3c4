/// Downloads per entitlement and file (`downloads`: grant, file, count, bytes, last_at) in one shop.
struct DownloadRecords {
    let sql: any SQLStatements
    let shop: String

    /// Whole downloads of `file` counted for `grant`.
    func count(grant: String, file: String) throws -> Int {
        try sql.value("SELECT count FROM downloads WHERE shop_id = ? AND grant_key = ? AND file = ?", shop, grant, file) ?? 0
    }

    /// Adds one download (`whole`) and `bytes` if the totals stay within `limit` downloads and
    /// `budget` bytes; false, changing nothing, when they would not. One conditional UPDATE, so two
    /// downloads at once can never both take the last one.
    func record(grant: String, file: String, bytes: Int, whole: Bool, limit: Int, budget: Int, now: Int) throws -> Bool {
        try sql.run("INSERT INTO downloads (shop_id, grant_key, file, count, last_at) VALUES (?, ?, ?, 0, ?) ON CONFLICT DO NOTHING", shop, grant, file, now)
        return try sql.row("""
            UPDATE downloads SET count = count + ?1, bytes = bytes + ?2, last_at = ?3
            WHERE shop_id = ?8 AND grant_key = ?4 AND file = ?5 AND count + ?1 <= ?6 AND bytes + ?2 <= ?7 RETURNING file
            """, whole ? 1 : 0, bytes, now, grant, file, limit, budget, shop) != nil
    }
}
