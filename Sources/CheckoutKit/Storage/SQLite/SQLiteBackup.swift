import Foundation
import GRDB

/// SQLite's side of `DatabaseBackup`, through GRDB's online backup (`sqlite3_backup_*`).
enum SQLiteBackup {
    /// Copies the database at `source` to `target` in one backup step: one read transaction, so the
    /// copy is one commit's state while the service keeps writing. The copy leaves WAL mode, so it
    /// is one file.
    static func copy(_ source: String, to target: String, singleFile: Bool = true) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        let from = try DatabaseQueue(path: source, configuration: configuration)
        let to = try DatabaseQueue(path: target, configuration: configuration)
        try from.backup(to: to)
        if singleFile { try to.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") } }
        try from.close()
        try to.close()
    }

    /// `PRAGMA integrity_check`, then the migrations the copy holds.
    /// - Throws: `DatabaseBackup.Problem` naming the file when it is not a sound SQLite database.
    static func verify(_ path: String) throws -> [String] {
        var configuration = Configuration()
        configuration.readonly = true
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            return try queue.read { db in
                let check = try String.fetchAll(db, sql: "PRAGMA integrity_check")
                guard check == ["ok"] else {
                    throw DatabaseBackup.Problem(description: "the backup \(path) is damaged: \(check.prefix(3).joined(separator: "; "))")
                }
                // Every recorded migration, also those this version does not know (a newer checkout's).
                guard try db.tableExists("grdb_migrations") else { return [] }
                return try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
            }
        } catch let problem as DatabaseBackup.Problem {
            throw problem
        } catch {
            throw DatabaseBackup.Problem(description: "the backup \(path) is not a readable checkout database: \(error)")
        }
    }

    /// Whether the file at `path` exists and holds any table.
    static func hasTables(_ path: String) throws -> Bool {
        guard FileManager.default.fileExists(atPath: path) else { return false }
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'") ?? 0 } > 0
    }
}
