/// The one deliberately cross-shop read: which shops have background work due (`DueWorkScanner`).
/// It names shops and nothing else; each shop's workers then claim their own rows, scoped as always.
struct DueWorkRecords {
    let sql: any SQLStatements

    /// Ids of the shops with a payment event to process, an email to send or an outgoing webhook to
    /// deliver, due at `now` (seconds since 1970) and not claimed by a live instance.
    func shops(now: Int) throws -> Set<String> {
        Set(try sql.values("""
            SELECT shop_id FROM webhook_events WHERE processed_at IS NULL AND next_attempt_at <= ?1
            UNION SELECT shop_id FROM outbox
                WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?1 AND claimed_until <= ?1
            UNION SELECT shop_id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ?1 AND claimed_until <= ?1
            """, now) as [String])
    }
}
