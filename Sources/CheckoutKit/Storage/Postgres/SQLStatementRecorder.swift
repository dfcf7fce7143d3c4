import Synchronization

/// `SQLStatements` for `PostgresStorage.lookup`: first it records the one statement a lookup body
/// runs (and stops the body there), then it answers that statement with the rows it got. A second
/// statement is refused: a lookup is one statement.
final class SQLStatementRecorder: SQLStatements, Sendable {
    /// Thrown to stop the body once its statement is recorded.
    struct Recorded: Error {}

    private let state: Mutex<(statement: (sql: String, arguments: [SQLValue])?, answer: [SQLRow]?)>
    private let answering: Bool

    init(answer: [SQLRow]? = nil) {
        state = Mutex((nil, answer))
        answering = answer != nil
    }

    var statement: (sql: String, arguments: [SQLValue])? { state.withLock { $0.statement } }

    func query(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow] {
        try state.withLock { state in
            if answering {
                guard let answer = state.answer else { throw StorageConflict(reason: "a lookup ran a second statement: \(sql)") }
                state.answer = nil
                return answer
            }
            guard state.statement == nil else { throw StorageConflict(reason: "a lookup ran a second statement: \(sql)") }
            state.statement = (sql, arguments)
            throw Recorded()
        }
    }

    func execute(_ sql: String, _ arguments: [SQLValue]) throws {
        _ = try query(sql, arguments)
    }

    func savepoint<T>(_ body: () throws -> T) throws -> T {
        try body()
    }
}
