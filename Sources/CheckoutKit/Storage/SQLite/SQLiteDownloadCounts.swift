import GRDB
import ShopCore

/// `DownloadCounts` in the checkout's SQLite database (`downloads`: grant, file, count, bytes).
struct SQLiteDownloadCounts: DownloadCounts {
    let database: CheckoutDatabase
    /// Whole downloads allowed per file per entitlement.
    let limit: Int

    /// Whether the grant has used every whole download of `file` already: a cheap check before
    /// asking a remote file's server for bytes that could not be sent anyway.
    func isSpent(grant: String, file: String) async throws -> Bool {
        let limit = self.limit
        return try await database.read { db in
            (try Int.fetchOne(db, sql: "SELECT count FROM downloads WHERE grant_key = ? AND file = ?", arguments: [grant, file]) ?? 0) >= limit
        }
    }

    /// Records a download of `bytes` of a file of `size` bytes if it fits; false when it does not.
    /// `whole` is whether it is the whole file.
    func record(grant: String, file: String, bytes: Int, of size: Int, whole: Bool, now: Int) async throws -> Bool {
        let budget = size.multipliedSaturated(by: limit.addingSaturated(1))
        let limit = self.limit
        return try await database.write { db in
            try db.execute(
                sql: "INSERT INTO downloads (grant_key, file, count, last_at) VALUES (?, ?, 0, ?) ON CONFLICT DO NOTHING",
                arguments: [grant, file, now])
            let counted = try String.fetchOne(
                db,
                sql: """
                    UPDATE downloads SET count = count + ?1, bytes = bytes + ?2, last_at = ?3
                    WHERE grant_key = ?4 AND file = ?5 AND count + ?1 <= ?6 AND bytes + ?2 <= ?7 RETURNING file
                    """,
                arguments: [whole ? 1 : 0, bytes, now, grant, file, limit, budget])
            return counted != nil
        }
    }
}
