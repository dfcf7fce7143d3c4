import Foundation
import GRDB

/// The checkout's SQLite database in WAL mode: carts, orders and the events that moved them.
public struct CheckoutDatabase: Sendable {
    public let path: String
    let pool: DatabasePool
    private let commits: GroupCommit
    /// A connection of its own for background checkpoints (`WALCheckpointer`): the pool's readers are
    /// read-only and its writer is busy with commits.
    private let checkpointer: DatabaseQueue

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
            // `WALCheckpointer` checkpoints in the background; this is only the backstop (about 200 MB).
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 1000")
            try db.execute(sql: "PRAGMA journal_size_limit = 67108864")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        try CheckoutSchema.migrator.migrate(pool)
        commits = GroupCommit(pool: pool)
        checkpointer = try DatabaseQueue(path: path, configuration: configuration)
    }

    /// Grows with every commit of `write`: whether anything was written since the caller last looked.
    var writeCount: Int { commits.committedBatches }

    /// Copies committed pages from the write-ahead log into the database file without blocking the
    /// writer or readers; the log starts over once everything in it has been copied.
    func checkpoint() async throws {
        try await checkpointer.writeWithoutTransaction { db in
            _ = try db.checkpoint(.passive)
        }
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

    /// Reads on the calling thread, outside a transaction. For the point lookups every cart request
    /// makes: the async `read` hops to a reader's queue and back and wraps the query in BEGIN/COMMIT,
    /// which together cost more than the query. `body` must run a single statement, which SQLite
    /// reads from one consistent snapshot; never for scans or anything unbounded.
    func lookup<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.unsafeRead(body)
    }

    /// Runs `body` in a transaction of its own, committed together with the writes queued beside it
    /// (see `GroupCommit`); returns once that commit is durable.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await commits.write(body)
    }
}
