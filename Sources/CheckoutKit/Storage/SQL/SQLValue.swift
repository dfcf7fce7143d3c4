import Foundation

/// A value as the checkout's SQL stores it, the same on SQLite and PostgreSQL: 64-bit integers (also
/// booleans, as 0 and 1, so SQL compares them alike on both), UTF-8 text, bytes, or NULL.
enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case text(String)
    case blob(Data)
}

/// A Swift value that binds to a `?` placeholder.
protocol SQLBindable: Sendable {
    var sqlValue: SQLValue { get }
}

extension Int: SQLBindable { var sqlValue: SQLValue { .integer(Int64(self)) } }
extension Int64: SQLBindable { var sqlValue: SQLValue { .integer(self) } }
extension String: SQLBindable { var sqlValue: SQLValue { .text(self) } }
extension Data: SQLBindable { var sqlValue: SQLValue { .blob(self) } }
extension Bool: SQLBindable { var sqlValue: SQLValue { .integer(self ? 1 : 0) } }
extension Optional: SQLBindable where Wrapped: SQLBindable {
    var sqlValue: SQLValue { map(\.sqlValue) ?? .null }
}

/// A Swift value a result column decodes to.
protocol SQLColumn {
    /// Throws `SQLColumnMismatch` when the stored value is of another kind (or NULL for a non-optional).
    init(sqlValue: SQLValue) throws(SQLColumnMismatch)
}

/// A column read as the wrong kind: a schema and its code disagree, which is a fault of ours.
struct SQLColumnMismatch: Error, CustomStringConvertible {
    let expected: String
    let found: SQLValue
    var description: String { "expected \(expected) in a result column, found \(found)" }
}

extension Int64: SQLColumn {
    init(sqlValue: SQLValue) throws(SQLColumnMismatch) {
        guard case .integer(let value) = sqlValue else { throw SQLColumnMismatch(expected: "an integer", found: sqlValue) }
        self = value
    }
}

extension Int: SQLColumn {
    init(sqlValue: SQLValue) throws(SQLColumnMismatch) {
        guard case .integer(let value) = sqlValue, let int = Int(exactly: value) else {
            throw SQLColumnMismatch(expected: "an integer", found: sqlValue)
        }
        self = int
    }
}

extension Bool: SQLColumn {
    init(sqlValue: SQLValue) throws(SQLColumnMismatch) {
        guard case .integer(let value) = sqlValue else { throw SQLColumnMismatch(expected: "a boolean", found: sqlValue) }
        self = value != 0
    }
}

extension String: SQLColumn {
    init(sqlValue: SQLValue) throws(SQLColumnMismatch) {
        guard case .text(let value) = sqlValue else { throw SQLColumnMismatch(expected: "text", found: sqlValue) }
        self = value
    }
}

extension Data: SQLColumn {
    init(sqlValue: SQLValue) throws(SQLColumnMismatch) {
        switch sqlValue {
        case .blob(let value): self = value
        case .text(let value): self = Data(value.utf8)
        default: throw SQLColumnMismatch(expected: "bytes", found: sqlValue)
        }
    }
}

extension Optional: SQLColumn where Wrapped: SQLColumn {
    init(sqlValue: SQLValue) throws(SQLColumnMismatch) {
        self = sqlValue == .null ? nil : try Wrapped(sqlValue: sqlValue)
    }
}

/// One result row; columns by position, as the SELECT lists them.
struct SQLRow: Sendable {
    let values: [SQLValue]

    subscript<T: SQLColumn>(_ index: Int) -> T {
        get throws {
            guard values.indices.contains(index) else { throw SQLColumnMismatch(expected: "column \(index)", found: .null) }
            return try T(sqlValue: values[index])
        }
    }
}
