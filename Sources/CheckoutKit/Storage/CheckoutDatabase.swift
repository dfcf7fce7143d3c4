import Foundation
import GRDB

/// The checkout's SQLite database in WAL mode: carts, orders and the events that moved them.
public struct CheckoutDatabase: Sendable {
    public let path: String
    let pool: DatabasePool

    /// Opens (creating if needed) the database and applies every pending migration.
    public init(path: String) throws {
        self.path = path
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // WAL + NORMAL: a commit survives a killed process; FULL would also survive power loss at a
            // cost of an fsync per commit.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        try CheckoutSchema.migrator.migrate(pool)
    }

    /// Whether the database answers and every migration has been applied.
    public func isReady() async -> Bool {
        do {
            return try await pool.read { db in
                try CheckoutSchema.migrator.hasCompletedMigrations(db)
            }
        } catch {
            return false
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await pool.read(body)
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await pool.write(body)
    }
}
