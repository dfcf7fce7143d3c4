import Foundation
import NIOCore
import PostgresNIO
import Synchronization

/// Statements prepared once per connection and run by name after, so PostgreSQL parses and plans
/// each of the checkout's few dozen statements once per connection instead of once per run. Measured
/// (perf, bench/ on 2 cores): parsing and planning was the largest part of the server's CPU for a
/// checkout. Only SELECT, INSERT, UPDATE, DELETE and WITH are prepared; BEGIN, COMMIT and DDL run as
/// they are.
final class PostgresPreparedStatements: Sendable {
    /// Per connection: the connection (to tell when it closed) and its statements by SQL.
    private let prepared = Mutex<[PostgresConnection.ID: (connection: PostgresConnection, statements: [String: PreparedQuery])]>([:])

    static func isPreparable(_ sql: String) -> Bool {
        let head = sql.prefix { !$0.isWhitespace }.uppercased()
        return ["SELECT", "INSERT", "UPDATE", "DELETE", "WITH"].contains(head)
    }

    func cached(_ sql: String, on connection: PostgresConnection) -> PreparedQuery? {
        prepared.withLock { $0[connection.id]?.statements[sql] }
    }

    /// Keeps a statement just prepared; the statements of connections the pool has closed since
    /// (idle ones close after a minute) are dropped here, so the cache holds open connections only.
    func keep(_ statement: PreparedQuery, _ sql: String, on connection: PostgresConnection) {
        prepared.withLock { prepared in
            if prepared[connection.id] == nil {
                prepared = prepared.filter { !$0.value.connection.isClosed }
            }
            prepared[connection.id, default: (connection, [:])].statements[sql] = statement
        }
    }

    /// PostgreSQL text cannot hold U+0000 (SQLite's can): a NUL a client sent in an id or a code
    /// becomes U+FFFD, which matches nothing, instead of an error from the server.
    static func text(_ value: String) -> String {
        value.utf8.contains(0) ? value.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") : value
    }

    /// The arguments as postgres-nio's binary values, in the types the prepared statement expects.
    static func data(_ arguments: [SQLValue]) -> [PostgresData] {
        arguments.map { argument in
            switch argument {
            case .null: return .null
            case .integer(let value): return PostgresData(int64: value)
            case .text(let value): return PostgresData(string: text(value))
            case .blob(let value): return PostgresData(bytes: value)
            }
        }
    }
}
