import Foundation
import Logging
import Synchronization
import NIOPosix
import PostgresNIO
import ServiceLifecycle

/// The checkout's state in PostgreSQL, shared by any number of `checkout serve` instances.
///
/// Connections come from postgres-nio's `PostgresClient` pool. A transaction body is synchronous (the
/// same bodies run on SQLite), so it runs on a thread of this storage's own pool, one per pooled
/// connection, holding its leased connection from `BEGIN` to `COMMIT`.
///
/// Writes run in PostgreSQL's default READ COMMITTED isolation. What SQLite's single writer gives for
/// free (no lost update when two requests change one order, cart, membership or customer) comes from
/// the records themselves: a change that reads before it writes first locks what it reads with an
/// UPDATE (`OrderRecords.lock`, `CartRecords.lock`, `SubscriptionRecords.lock`,
/// `EntitlementRecords.lock`, …), which both databases accept, and races on a new row are settled by
/// `INSERT … ON CONFLICT`. SERIALIZABLE was tried first and measured: checkouts conflicted with each
/// other on the indexes' newest page (predicate locks on the orders they insert), and 40 % of
/// transactions ran twice at 64 connections. A transaction that does lose a race (a deadlock,
/// SQLSTATE 40P01, or a serialization failure, 40001) runs again from the start, up to `retries`
/// times, with a short random back-off.
final class PostgresStorage: CheckoutStorage {
    let client: PostgresClient
    let logger: Logger
    /// Statements prepared on each connection.
    let prepared = PostgresPreparedStatements()
    /// Runs the synchronous transaction bodies: one pool for the process, shared by every storage
    /// it opens (tests open many), with a thread for each connection that may be leased at once.
    private var threads: NIOThreadPool { Self.threads }
    private static let threads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 64)
        pool.start()
        return pool
    }()
    /// `client.run()`, started at open so migrations can run before the service is up.
    private let running: Task<Void, Never>
    static let retries = 40
    /// How long a start may wait for its first connection before it fails (postgres-nio itself keeps
    /// trying to connect for ever). Once running, a request waits for a connection as long as its
    /// client does: a database that went away comes back without a restart.
    /// 10 s, or `CHECKOUT_DATABASE_CONNECT_TIMEOUT` seconds (1 to 600): a machine under heavy load (the
    /// PostgreSQL pass of the tests) may need longer.
    static let connectDeadline: Duration = .seconds(
        Int(ProcessInfo.processInfo.environment["CHECKOUT_DATABASE_CONNECT_TIMEOUT"] ?? "").flatMap { (1...600).contains($0) ? $0 : nil } ?? 10)

    /// Connects to `url` (`postgres://user:password@host:port/database`), applies every pending
    /// migration, and returns the storage; throws `PostgresURL.Problem` for an unusable URL and
    /// `PostgresFailure` when the server refuses.
    static func open(url: String, connections: Int, logger: Logger) async throws -> PostgresStorage {
        let storage = PostgresStorage(configuration: try PostgresURL.configuration(url, connections: connections), logger: logger)
        await storage.started()
        do {
            // The deadline is for reaching the server; a migration then takes what it takes.
            try await storage.withinDeadline { try await storage.run(begin: nil) { sql in try sql.run("SELECT 1") } }
            try await storage.run(begin: nil, answerTimeout: PostgresStatements.migrationTimeout) { sql in try PostgresSchema.migrate(sql) }
        } catch is PostgresUnreachable {
            await storage.close()
            throw PostgresUnreachable(
                description: "no connection within \(connectDeadline): is the server running, and are the host, port, database, user and password right?")
        } catch {
            await storage.close()
            throw error
        }
        return storage
    }

    private init(configuration: PostgresClient.Configuration, logger: Logger) {
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        self.logger = logger
        running = Task { await client.run() }
    }

    /// Waits until `client.run()` has begun, so the first lease does not find it not running yet
    /// (postgres-nio logs a warning, then waits).
    private func started() async {
        for _ in 0..<100 {
            await Task.yield()
        }
    }

    /// Transactions running now.
    private let inFlight = Atomic<Int>(0)

    /// Closes every connection; the storage is unusable after. Transactions still running get up to
    /// ten seconds to end first: a connection closed under one left its statements unanswered.
    func close() async {
        for _ in 0..<1000 where inFlight.load(ordering: .relaxed) > 0 {
            try? await Task.sleep(for: .milliseconds(10))
        }
        running.cancel()
        // The pool ends once every leased connection is back; a transaction whose statement will
        // never be answered (its connection went under it) must not hold up a shutdown for good.
        let running = self.running
        _ = await Self.value(within: .seconds(10)) { await running.value }
    }

    /// `work`'s value, or nil when `limit` passes first; `work` is then cancelled and not awaited (a
    /// task group would wait for it, and a statement blocked on a thread ends only when it ends).
    private static func value<T: Sendable>(within limit: Duration, _ work: @escaping @Sendable () async -> T) async -> T? {
        let (stream, finished) = AsyncStream.makeStream(of: T?.self)
        let worker = Task { finished.yield(await work()) }
        let timer = Task {
            try? await Task.sleep(for: limit)
            finished.yield(nil)
        }
        var outcome: T?
        for await first in stream {
            outcome = first
            break
        }
        timer.cancel()
        if outcome == nil { worker.cancel() }
        return outcome
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (StorageTransaction) throws -> T) async throws -> T {
        try await transaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (StorageTransaction) throws -> T) async throws -> T {
        try await transaction(begin: "BEGIN", body)
    }

    /// Runs the body's one statement without a thread of the pool: the body runs once to learn its
    /// statement (`SQLStatementRecorder`), the statement runs on the connection's event loop, and the
    /// body runs again over its rows. Each hop between threads is a context switch, and on 2 cores a
    /// checkout's were most of the checkout process's time (measured with perf).
    func lookup<T: Sendable>(_ body: @escaping @Sendable (StorageTransaction) throws -> T) async throws -> T {
        let recorder = SQLStatementRecorder()
        do {
            return try body(StorageTransaction(sql: recorder))
        } catch is SQLStatementRecorder.Recorded {}
        guard let statement = recorder.statement else { throw StorageConflict(reason: "a lookup recorded no statement") }
        let rows = try await query(statement.sql, statement.arguments)
        return try body(StorageTransaction(sql: SQLStatementRecorder(answer: rows)))
    }

    /// Runs one statement on its own (committed by itself) on a pooled connection's event loop,
    /// prepared on that connection the first time.
    func query(_ sql: String, _ arguments: [SQLValue]) async throws -> [SQLRow] {
        let (text, prepared) = (PostgresPlaceholders.translate(sql), self.prepared)
        inFlight.add(1, ordering: .relaxed)
        defer { inFlight.subtract(1, ordering: .relaxed) }
        do {
            return try await client.withConnection { connection in
                let statement: PreparedQuery
                if let cached = prepared.cached(text, on: connection) {
                    statement = cached
                } else {
                    statement = try await connection.prepare(query: text).get()
                    prepared.keep(statement, text, on: connection)
                }
                return try await statement.execute(PostgresPreparedStatements.data(arguments)).get().map(PostgresStatements.row)
            }
        } catch let error as PSQLError {
            throw PostgresFailure(error, statement: sql)
        } catch let error as PostgresError {
            throw PostgresFailure(error, statement: sql)
        }
    }

    private func transaction<T: Sendable>(begin: String?, _ body: @escaping @Sendable (StorageTransaction) throws -> T) async throws -> T {
        var attempt = 0
        while true {
            let actions = CommitActions()
            do {
                let value = try await run(begin: begin) { sql in try body(StorageTransaction(sql: sql, commitActions: actions)) }
                actions.run()
                return value
            } catch let failure as PostgresFailure where failure.isConflict && attempt < Self.retries {
                attempt += 1
            } catch is StorageConflict where attempt < Self.retries {
                attempt += 1
            }
            // Spread the retries of transactions that collided, so they do not collide again.
            try await Task.sleep(for: .microseconds(Int.random(in: 100...(500 << min(attempt, 5)))))
        }
    }

    /// Runs `body` on a pooled connection, on one of this storage's threads.
    private func run<T: Sendable>(
        begin: String?, answerTimeout: TimeAmount = PostgresStatements.statementTimeout, _ body: @escaping @Sendable (PostgresStatements) throws -> T
    ) async throws -> T {
        let (threads, logger, prepared) = (self.threads, self.logger, self.prepared)
        inFlight.add(1, ordering: .relaxed)
        defer { inFlight.subtract(1, ordering: .relaxed) }
        return try await client.withConnection { connection in
            try await threads.runIfActive {
                let sql = PostgresStatements(connection: connection, logger: logger, prepared: prepared, answerTimeout: answerTimeout)
                return try sql.transaction(begin: begin) { try body(sql) }
            }
        }
    }

    /// Runs `body`, which leases a connection first, or throws `PostgresUnreachable` when it has
    /// none within `connectDeadline` (the server is down or refuses us).
    /// The body runs as a task of its own: at the deadline this returns at once, even when the body
    /// is blocked on a statement (a task group would wait for it), and the body ends when it ends.
    private func withinDeadline<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let outcome = await Self.value(within: Self.connectDeadline) { () async -> Result<T, any Error> in
            do { return .success(try await body()) } catch { return .failure(error) }
        }
        guard let outcome else { throw PostgresUnreachable(description: "no database connection within \(Self.connectDeadline)") }
        return try outcome.get()
    }

    func isReady() async -> Bool {
        (try? await run(begin: nil) { sql in try PostgresSchema.isCurrent(sql) }) ?? false
    }

    var services: [any Service] { [PostgresLifecycle(storage: self)] }

    var isSingleWriter: Bool { false }
}

/// The server could not be reached in time; says so without the password.
struct PostgresUnreachable: Error, CustomStringConvertible {
    let description: String
}

/// Keeps the storage's connections for as long as the service runs and closes them on shutdown
/// (listed first among the services, so it stops after the workers that use the database).
struct PostgresLifecycle: Service {
    let storage: PostgresStorage

    func run() async throws {
        try? await gracefulShutdown()
        await storage.close()
    }
}
