import Foundation
import GRDB
import ServiceLifecycle

/// The checkout's SQLite database in WAL mode: carts, orders and the events that moved them.
public struct CheckoutDatabase: CheckoutStorage {
    public let path: String
    let pool: DatabasePool
    private let commits: GroupCommit
    /// A connection of its own for background checkpoints (`WALCheckpointer`): the pool's readers are
    /// read-only and its writer is busy with commits.
    private let checkpointer: DatabaseQueue
    /// Held while the database is open, so `checkout restore` refuses to overwrite it.
    private let inUse: DatabaseFileLock?

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
            // Deleted rows and the old copy of an updated row are overwritten with zeros, so an erased
            // customer's address is not left in the file's free space (`CustomerErasure`).
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
        inUse = DatabaseFileLock.shared(path)
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

    /// Copies the whole write-ahead log into the database and truncates it to zero bytes, so the old
    /// pages it held (with data since erased) are gone. Waits for readers up to the busy timeout; a
    /// reader holding an old snapshot past it makes this throw, and the erasure reports it.
    func forgetOverwrittenData() async throws {
        try await checkpointer.writeWithoutTransaction { db in
            let result = try db.checkpoint(.truncate)
            guard result.walFrameCount == 0 || result.walFrameCount == result.checkpointedFrameCount else {
                throw StartupError(description: "the write-ahead log of \(path) could not be emptied: a reader held an old snapshot")
            }
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

    func read<T: Sendable>(_ body: @escaping @Sendable (StorageTransaction) throws -> T) async throws -> T {
        try await pool.read { db in try body(StorageTransaction(sql: GRDBStatements(db: db))) }
    }

    /// Reads on the calling thread, outside a transaction: the async `read` hops to a reader's queue
    /// and back and wraps the query in BEGIN/COMMIT, which together cost more than a point lookup.
    /// `body` must run a single statement, which SQLite reads from one consistent snapshot.
    func lookup<T: Sendable>(_ body: @escaping @Sendable (StorageTransaction) throws -> T) async throws -> T {
        try lookupHere(body)
    }

    private func lookupHere<T>(_ body: (StorageTransaction) throws -> T) throws -> T {
        try pool.unsafeRead { db in try body(StorageTransaction(sql: GRDBStatements(db: db))) }
    }

    /// Runs `body` in a transaction of its own, committed together with the writes queued beside it
    /// (see `GroupCommit`); returns once that commit is durable, then runs its after-commit actions.
    func write<T: Sendable>(_ body: @escaping @Sendable (StorageTransaction) throws -> T) async throws -> T {
        let actions = CommitActions()
        let value = try await commits.write { db in try body(StorageTransaction(sql: GRDBStatements(db: db), commitActions: actions)) }
        actions.run()
        return value
    }

    /// Runs raw SQL in a write transaction: for tests of the group commit itself.
    func writeSQL<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await commits.write(body)
    }

    var services: [any Service] { [WALCheckpointer(database: self)] }

    var isSingleWriter: Bool { true }

    /// Nothing to do: GRDB closes the file when the last reference goes.
    func close() async {}
}
