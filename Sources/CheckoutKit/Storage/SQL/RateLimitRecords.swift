/// Rate-limit counters (`rate_limits`): one row per shop and key, holding its current window (a
/// client busy at one shop uses up nothing at another).
struct RateLimitRecords {
    let sql: any SQLStatements
    let shop: String

    /// Counts one hit in the window starting at `windowStart` (seconds since 1970) and returns the
    /// window's hits so far, this one included. One atomic upsert, so hits at once from several
    /// instances are all counted. A hit from an instance whose clock is behind counts in the newer
    /// window already stored.
    func hit(key: String, windowStart: Int, expiresAt: Int) throws -> Int {
        try sql.value("""
            INSERT INTO rate_limits (shop_id, key, window_start, hits, expires_at) VALUES (?4, ?1, ?2, 1, ?3)
            ON CONFLICT (shop_id, key) DO UPDATE SET
                hits = CASE WHEN rate_limits.window_start >= excluded.window_start THEN rate_limits.hits + 1 ELSE 1 END,
                expires_at = CASE WHEN rate_limits.window_start >= excluded.window_start THEN rate_limits.expires_at ELSE excluded.expires_at END,
                window_start = CASE WHEN rate_limits.window_start >= excluded.window_start THEN rate_limits.window_start ELSE excluded.window_start END
            RETURNING hits
            """, key, windowStart, expiresAt, shop) ?? 1
    }

    /// Removes up to `limit` of the shop's counters whose window ended, passing over any another transaction holds.
    func removeExpired(now: Int, limit: Int) throws {
        try sql.run("""
            DELETE FROM rate_limits
            WHERE shop_id = ?3 AND key IN (SELECT key FROM rate_limits WHERE shop_id = ?3 AND expires_at <= ?1 LIMIT ?2\(sql.skipLocked))
            """, now, limit, shop)
    }
}
