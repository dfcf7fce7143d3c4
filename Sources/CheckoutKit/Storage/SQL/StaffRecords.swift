import ShopCore

/// An admin API key as listed: never its secret, which is shown once and stored only as a hash.
public struct StaffKey: Sendable, Equatable {
    public let id: String
    public let name: String
    public let role: StaffRole
    /// Seconds since 1970.
    public let createdAt: Int
    public let lastUsedAt: Int?
    public let revokedAt: Int?
}

/// A member of staff who may sign in to the console by emailed link.
public struct StaffMember: Sendable, Equatable {
    public let email: String
    public let role: StaffRole
    public let addedAt: Int
}

/// API keys, staff members, their sign-in links and console sessions (`staff_keys`,
/// `staff_members`, `staff_login_tokens`, `staff_sessions`). Secrets are stored as SHA-256 hashes.
struct StaffRecords {
    let sql: any SQLStatements
    let shop: String

    func addKey(id: String, name: String, role: StaffRole, hash: String, now: Int) throws {
        try sql.run(
            "INSERT INTO staff_keys (shop_id, id, name, role, key_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            shop, id, name, role.rawValue, hash, now)
    }

    func keys() throws -> [StaffKey] {
        try sql.rows(
            "SELECT id, name, role, created_at, last_used_at, revoked_at FROM staff_keys WHERE shop_id = ? ORDER BY created_at, id", shop
        ).map {
            StaffKey(
                id: try $0[0], name: try $0[1], role: StaffRole(rawValue: try $0[2]) ?? .analyst, createdAt: try $0[3],
                lastUsedAt: try $0[4], revokedAt: try $0[5])
        }
    }

    /// The unrevoked key with this hash: its id, name and role.
    func key(hash: String) throws -> (id: String, name: String, role: StaffRole, lastUsedAt: Int?)? {
        guard let row = try sql.row(
            "SELECT id, name, role, last_used_at FROM staff_keys WHERE key_hash = ? AND shop_id = ? AND revoked_at IS NULL", hash, shop),
            let role = StaffRole(rawValue: try row[2])
        else { return nil }
        return (try row[0], try row[1], role, try row[3])
    }

    func touchKey(_ id: String, at time: Int) throws {
        try sql.run("UPDATE staff_keys SET last_used_at = ? WHERE id = ? AND shop_id = ?", time, id, shop)
    }

    /// Revokes a key; false when there is no unrevoked key with that id.
    func revokeKey(_ id: String, at time: Int) throws -> Bool {
        try sql.row("UPDATE staff_keys SET revoked_at = ? WHERE id = ? AND shop_id = ? AND revoked_at IS NULL RETURNING id", time, id, shop) != nil
    }

    /// Adds a member of staff, or changes their role.
    func setMember(email: String, role: StaffRole, now: Int) throws {
        try sql.run("""
            INSERT INTO staff_members (shop_id, email, role, added_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (shop_id, email) DO UPDATE SET role = excluded.role
            """, shop, email, role.rawValue, now)
    }

    func members() throws -> [StaffMember] {
        try sql.rows("SELECT email, role, added_at FROM staff_members WHERE shop_id = ? ORDER BY email", shop).map {
            StaffMember(email: try $0[0], role: StaffRole(rawValue: try $0[1]) ?? .analyst, addedAt: try $0[2])
        }
    }

    func role(of email: String) throws -> StaffRole? {
        try (sql.value("SELECT role FROM staff_members WHERE email = ? AND shop_id = ?", email, shop) as String?).flatMap(StaffRole.init)
    }

    /// Removes a member and ends their sessions; false when there was no such member.
    func removeMember(_ email: String) throws -> Bool {
        try sql.run("DELETE FROM staff_sessions WHERE email = ? AND shop_id = ?", email, shop)
        return try sql.row("DELETE FROM staff_members WHERE email = ? AND shop_id = ? RETURNING email", email, shop) != nil
    }

    func addLoginToken(hash: String, email: String, expiresAt: Int) throws {
        try sql.run("INSERT INTO staff_login_tokens (shop_id, token_hash, email, expires_at) VALUES (?, ?, ?, ?)", shop, hash, email, expiresAt)
    }

    /// Uses a sign-in token once: its email when unused and unexpired at `now`.
    func redeemLoginToken(hash: String, now: Int) throws -> String? {
        try sql.value(
            "UPDATE staff_login_tokens SET used_at = ?1 WHERE token_hash = ?2 AND shop_id = ?3 AND used_at IS NULL AND expires_at >= ?1 RETURNING email",
            now, hash, shop)
    }

    func addSession(hash: String, email: String, csrf: String, now: Int, expiresAt: Int) throws {
        try sql.run(
            "INSERT INTO staff_sessions (shop_id, id_hash, email, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
            shop, hash, email, csrf, now, expiresAt)
    }

    /// The member and CSRF token of a session unexpired at `now`, with the member's current role
    /// (a role changed or removed takes effect on the next request).
    func session(hash: String, now: Int) throws -> (email: String, role: StaffRole, csrf: String)? {
        guard let row = try sql.row("""
            SELECT s.email, m.role, s.csrf FROM staff_sessions s JOIN staff_members m ON m.email = s.email AND m.shop_id = s.shop_id
            WHERE s.id_hash = ? AND s.shop_id = ? AND s.expires_at >= ?
            """, hash, shop, now),
            let role = StaffRole(rawValue: try row[1])
        else { return nil }
        return (try row[0], role, try row[2])
    }

    func removeSession(hash: String) throws {
        try sql.run("DELETE FROM staff_sessions WHERE id_hash = ? AND shop_id = ?", hash, shop)
    }
}
