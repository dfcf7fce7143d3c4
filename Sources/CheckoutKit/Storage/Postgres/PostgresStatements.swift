import Foundation
import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// `SQLStatements` on one leased PostgreSQL connection. The portable stores are synchronous (so the
/// same transaction bodies run inside SQLite's group commit), so this runs on a thread of
/// `PostgresStorage`'s own pool, never on a Swift concurrency or event-loop thread, and waits for
/// postgres-nio's answers. Statements whose rows nobody reads (`execute`: BEGIN, most writes) are
/// sent without waiting; the connection runs them in order, and the thread waits once, at the next
/// statement whose rows it needs or at COMMIT, instead of once per statement. One per transaction,
/// used by one thread.
final class PostgresStatements: SQLStatements {
    let connection: PostgresConnection
    let logger: Logger
    let prepared: PostgresPreparedStatements
    /// Sent and not yet waited for, oldest first.
    private var pending: [(answer: EventLoopFuture<[PostgresRow]>, sql: String)] = []
    /// How long a statement's answer is waited for before the transaction fails (`PostgresNoAnswer`).
    let answerTimeout: TimeAmount
    /// Set when a statement went unanswered: every later wait fails at once, and the connection is
    /// closed when the transaction ends (`abandon`), even if a savepoint swallowed the error.
    private var silent = false
    /// No statement of the service runs for half a minute (the dashboard's year over a million orders
    /// takes two seconds); a migration over a large database may, and gets an hour. Without a bound,
    /// a connection closed under a statement in flight (seen when a service was stopped
    /// mid-transaction) or a silent network left the thread waiting for ever.
    static let statementTimeout = TimeAmount.seconds(30)
    static let migrationTimeout = TimeAmount.hours(1)

    init(connection: PostgresConnection, logger: Logger, prepared: PostgresPreparedStatements, answerTimeout: TimeAmount = statementTimeout) {
        self.connection = connection
        self.logger = logger
        self.prepared = prepared
        self.answerTimeout = answerTimeout
    }

    var skipLocked: String { " FOR UPDATE SKIP LOCKED" }

    func contains(_ column: String, blob: Bool) -> String {
        "strpos(lower(\(blob ? "convert_from(\(column), 'UTF8')" : column)), ?) > 0"
    }

    func lowered(_ expression: String) -> String { "lower(\(expression))" }

    func query(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow] {
        let answer = try send(sql, arguments)
        try settle()
        return try wait(answer, sql: sql).map(Self.row)
    }

    func execute(_ sql: String, _ arguments: [SQLValue]) throws {
        pending.append((try send(sql, arguments), sql))
    }

    /// Waits for every statement sent; throws the first one's error.
    func settle() throws {
        let sent = pending
        pending = []
        var failure: (any Error)?
        for statement in sent {
            do { _ = try wait(statement.answer, sql: statement.sql) } catch { failure = failure ?? error }
        }
        if let failure { throw failure }
    }

    private func send(_ sql: String, _ arguments: [SQLValue]) throws -> EventLoopFuture<[PostgresRow]> {
        let text = PostgresPlaceholders.translate(sql)
        guard PostgresPreparedStatements.isPreparable(text) else {
            return connection.query(try Self.statement(sql, arguments), logger: logger).map(\.rows)
        }
        if let statement = prepared.cached(text, on: connection) {
            return statement.execute(PostgresPreparedStatements.data(arguments))
        }
        // Prepared the first time this connection runs it: what was sent before settles first, so
        // an error is reported by the statement that made it.
        try settle()
        let statement = try wait(connection.prepare(query: text), sql: sql)
        prepared.keep(statement, text, on: connection)
        return statement.execute(PostgresPreparedStatements.data(arguments))
    }

    /// `sql` with its placeholders translated and `arguments` bound.
    static func statement(_ sql: String, _ arguments: [SQLValue]) throws -> PostgresQuery {
        var binds = PostgresBindings(capacity: arguments.count)
        for argument in arguments {
            switch argument {
            case .null: binds.appendNull()
            case .integer(let value): binds.append(value)
            case .text(let value): binds.append(PostgresPreparedStatements.text(value))
            case .blob(let value): try binds.append(value)
            }
        }
        return PostgresQuery(unsafeSQL: PostgresPlaceholders.translate(sql), binds: binds)
    }

    static func row(_ row: PostgresRow) throws -> SQLRow {
        SQLRow(values: try row.map(value))
    }

    private func wait<Answer: Sendable>(_ answer: EventLoopFuture<Answer>, sql: String) throws -> Answer {
        guard !silent else { throw PostgresNoAnswer(seconds: answerTimeout.nanoseconds / 1_000_000_000, statement: sql) }
        let bounded = answer.eventLoop.makePromise(of: Answer.self)
        let done = FirstOnly()
        let first: @Sendable (Result<Answer, any Error>) -> Void = { result in
            guard done.claim() else { return }
            bounded.completeWith(result)
        }
        let timeout = answer.eventLoop.scheduleTask(in: answerTimeout) { [answerTimeout] in
            first(.failure(PostgresNoAnswer(seconds: answerTimeout.nanoseconds / 1_000_000_000, statement: sql)))
        }
        answer.whenComplete { result in
            timeout.cancel()
            first(result)
        }
        do {
            return try bounded.futureResult.wait()
        } catch let error as PostgresNoAnswer {
            silent = true
            throw error
        } catch let error as PSQLError {
            throw PostgresFailure(error, statement: sql)
        } catch let error as PostgresError {
            throw PostgresFailure(error, statement: sql)
        }
    }

    /// Runs `body` in a transaction opened with `begin` (nil: no transaction, one statement on its own).
    /// Throws `StorageConflict`-class failures (`PostgresFailure.isConflict`) for the caller to retry.
    func transaction<T>(begin: String?, _ body: () throws -> T) throws -> T {
        guard let begin else {
            do {
                let value = try body()
                try settle()
                return value
            } catch {
                try abandon(error)
                _ = try? settle()
                throw error
            }
        }
        do {
            try run(begin)
            let value = try body()
            try commit()
            return value
        } catch {
            try abandon(error)
            _ = try? settle()
            _ = try? query("ROLLBACK", [])
            throw error
        }
    }

    /// A connection that left a statement unanswered is closed, not rolled back and given back to the
    /// pool: its next transaction would wait on the same silence (each BEGIN for the whole timeout),
    /// and so would every one after it. The pool opens a new connection in its place.
    private func abandon(_ error: any Error) throws {
        guard silent else { return }
        logger.error("closing a PostgreSQL connection that left a statement unanswered", metadata: ["error": "\(error)"])
        // Closed before the pool has it back (this is a pool thread, never an event loop), so it is
        // never handed to another request.
        let closing: EventLoopFuture<Void> = connection.close()
        _ = try? closing.wait()
        throw error
    }

    /// Commits, and throws unless the server says it committed: a transaction an earlier failure left
    /// aborted answers COMMIT with a ROLLBACK tag and no error.
    private func commit() throws {
        let answer = connection.query("COMMIT", logger: logger)
        try settle()
        let tag = try wait(answer, sql: "COMMIT").metadata.command
        guard tag == "COMMIT" else { throw StorageConflict(reason: "the server rolled the transaction back at COMMIT (\(tag))") }
    }

    func savepoint<T>(_ body: () throws -> T) throws -> T {
        // What was sent before belongs to the transaction, not to the savepoint's body.
        try settle()
        try run("SAVEPOINT checkout_step")
        do {
            let value = try body()
            try run("RELEASE SAVEPOINT checkout_step")
            try settle()
            return value
        } catch let conflict as StorageConflict {
            // The whole transaction runs again; nothing of it may commit.
            throw conflict
        } catch let failure as PostgresFailure where failure.isConflict {
            throw failure.conflict
        } catch {
            do {
                try settle()
            } catch let failure as PostgresFailure where failure.isConflict {
                throw failure.conflict
            } catch {
                // The body's own error is the one to report; this one is rolled back with it.
            }
            try run("ROLLBACK TO SAVEPOINT checkout_step")
            try run("RELEASE SAVEPOINT checkout_step")
            try settle()
            throw error
        }
    }

    private static func value(_ cell: PostgresCell) throws -> SQLValue {
        do {
            return try decode(cell)
        } catch {
            // postgres-nio's description hides which column and why; the reflection says.
            throw SQLColumnMismatch(expected: "column \(cell.columnName) (\(cell.dataType), \(cell.format)): \(String(reflecting: error))", found: .null)
        }
    }

    private static func decode(_ reported: PostgresCell) throws -> SQLValue {
        guard reported.bytes != nil else { return .null }
        // postgres-nio asks for every result in binary; a statement prepared with its older API
        // still reports the text format the statement's description gave before binding.
        let cell = PostgresCell(
            bytes: reported.bytes, dataType: reported.dataType, format: .binary, columnName: reported.columnName,
            columnIndex: reported.columnIndex)
        switch cell.dataType {
        case .int2, .int4, .int8: return .integer(try cell.decode(Int64.self))
        case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
        case .bytea: return .blob(try cell.decode(Data.self))
        case .numeric: return .integer(NSDecimalNumber(decimal: try cell.decode(Decimal.self)).int64Value)
        case .void: return .null
        default: return .text(try cell.decode(String.self))
        }
    }
}

/// A statement PostgreSQL refused, with its SQLSTATE and the server's message (postgres-nio's own
/// description hides both). Never shown to a client: logs only.
/// True once: the first of two racing outcomes wins (an answer, or its timeout).
final class FirstOnly: Sendable {
    private let taken = Atomic<Bool>(false)

    func claim() -> Bool { taken.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged }
}

/// A statement got no answer in time: the connection is gone or the server does not answer.
struct PostgresNoAnswer: Error, CustomStringConvertible {
    let seconds: Int64
    let statement: String
    var description: String { "PostgreSQL gave no answer within \(seconds) s to: \(statement.prefix(200))" }
}

struct PostgresFailure: Error, CustomStringConvertible {
    let sqlState: String?
    let message: String
    let statement: String

    init(_ error: PSQLError, statement: String) {
        sqlState = error.serverInfo?[.sqlState]
        message = error.serverInfo?[.message] ?? "\(error.code)"
        self.statement = statement
    }

    /// postgres-nio's older error type, which its prepared statements report.
    init(_ error: PostgresError, statement: String) {
        if case .server(let answer) = error {
            sqlState = answer.fields[.sqlState]
            message = answer.fields[.message] ?? "\(error)"
        } else {
            sqlState = nil
            message = "\(error)"
        }
        self.statement = statement
    }

    /// Serialization failure or deadlock: the transaction lost a race and should run again.
    var isConflict: Bool { sqlState == "40001" || sqlState == "40P01" }

    var conflict: StorageConflict { StorageConflict(reason: message) }

    var description: String {
        "PostgreSQL: \(message)\(sqlState.map { " (SQLSTATE \($0))" } ?? "") in \(statement.prefix(120))"
    }
}

/// The portable SQL's `?` and `?N` placeholders as PostgreSQL's `$N`, translated once per statement.
enum PostgresPlaceholders {
    private static let translated = Mutex<[String: String]>([:])

    static func translate(_ sql: String) -> String {
        if let known = translated.withLock({ $0[sql] }) { return known }
        var output = ""
        var next = 1
        var inLiteral = false
        var characters = sql.makeIterator()
        var pending = characters.next()
        while let character = pending {
            pending = characters.next()
            if character == "'" { inLiteral.toggle() }
            guard character == "?", !inLiteral else {
                output.append(character)
                continue
            }
            var digits = ""
            while let digit = pending, digit.isASCII, digit.isNumber {
                digits.append(digit)
                pending = characters.next()
            }
            if digits.isEmpty {
                digits = String(next)
                next += 1
            }
            output += "$" + digits
        }
        translated.withLock { $0[sql] = output }
        return output
    }
}
