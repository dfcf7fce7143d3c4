import ShopCore

/// People who asked for a free lead magnet (`leads`), one row per address and magnet in each shop.
struct LeadRecords {
    let sql: any SQLStatements
    let shop: String

    struct Lead {
        let id: String
        let email: String
        let magnet: String
        let token: String
        let lastSentAt: Int
        let confirmedAt: Int?
    }

    /// The lead of `email` for `magnet`, stored first if there is none, and held until the transaction
    /// ends (two requests at once send one confirmation).
    func findOrAdd(email: String, magnet: String, now: Int) throws -> Lead? {
        try sql.run("""
            INSERT INTO leads (shop_id, id, email, magnet, token, created_at, last_sent_at) VALUES (?, ?, ?, ?, ?, ?, 0)
            ON CONFLICT DO NOTHING
            """, shop, RandomToken.make(prefix: "lead_"), email, magnet, RandomToken.make(bytes: 24), now)
        return try sql.row("""
            UPDATE leads SET last_sent_at = last_sent_at WHERE email = ? AND magnet = ? AND shop_id = ?
            RETURNING id, email, magnet, token, last_sent_at, confirmed_at
            """, email, magnet, shop).map(Self.lead)
    }

    func find(token: String) throws -> Lead? {
        try sql.row("SELECT id, email, magnet, token, last_sent_at, confirmed_at FROM leads WHERE token = ? AND shop_id = ?", token, shop).map(Self.lead)
    }

    func markSent(_ id: String, at time: Int) throws {
        try sql.run("UPDATE leads SET last_sent_at = ? WHERE id = ? AND shop_id = ?", time, id, shop)
    }

    /// Confirms a lead once; false when it was confirmed before.
    func confirm(_ id: String, at time: Int) throws -> Bool {
        try sql.row("UPDATE leads SET confirmed_at = ? WHERE id = ? AND shop_id = ? AND confirmed_at IS NULL RETURNING id", time, id, shop) != nil
    }

    func facts(email: String) throws -> [LeadFact] {
        try sql.rows("SELECT id, magnet, confirmed_at FROM leads WHERE email = ? AND shop_id = ?", email, shop)
            .map { LeadFact(id: try $0[0], magnet: try $0[1], confirmed: (try $0[2] as Int?) != nil) }
    }

    private static func lead(_ row: SQLRow) throws -> Lead {
        Lead(id: try row[0], email: try row[1], magnet: try row[2], token: try row[3], lastSentAt: try row[4], confirmedAt: try row[5])
    }
}
