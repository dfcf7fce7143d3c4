/// What a backend gives the portable stores (`Storage/SQL/…Records`): statements run inside the one
/// transaction of a `CheckoutStorage.read` or `write`. SQL is written once, in the dialect SQLite and
/// PostgreSQL share: `?` or `?N` placeholders, `ON CONFLICT … DO NOTHING`, `RETURNING`, integers for
/// booleans, `CASE` instead of two-argument `MAX`, and `CAST(SUM(…) AS BIGINT)`. A placeholder whose
/// type its context does not give (a SELECT list) is written `CAST(? AS TYPE)`: PostgreSQL prepares
/// each statement once per connection and must know every parameter's type from the SQL.
protocol SQLStatements {
    /// Runs one statement and returns its rows (none for most writes).
    func query(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow]

    /// Runs one statement whose rows nobody reads. A backend may send it and go on (PostgreSQL
    /// does, so a transaction's writes cost one wait, not one each); its error then surfaces at the
    /// next `query`, `savepoint` or the commit, still inside the transaction.
    func execute(_ sql: String, _ arguments: [SQLValue]) throws

    /// Runs `body` in a savepoint: when it throws, only its own writes roll back, and the error is
    /// rethrown. A conflict that needs the whole transaction retried (`StorageConflict`) is rethrown too.
    func savepoint<T>(_ body: () throws -> T) throws -> T

    /// What ends a SELECT that claims rows for this transaction and passes over rows another
    /// transaction holds: ` FOR UPDATE SKIP LOCKED` on PostgreSQL, where several instances take work
    /// from one queue at once; nothing on SQLite, whose one writer already runs write transactions
    /// one at a time.
    var skipLocked: String { get }

    /// SQL that is true when `column` contains the next `?` argument (given in lower case), its ASCII
    /// letters compared case-blind; with `blob`, the column holds UTF-8 bytes (a JSON payload). For
    /// the rare scans that look for a person's address anywhere in a column (`PersonalDataRecords`).
    func contains(_ column: String, blob: Bool) -> String

    /// `expression` in lower case, every letter folded as Swift's `lowercased()` does (SQLite's own
    /// `lower` folds only ASCII: `Ü` would stay); the rare person-wide lookups use it.
    func lowered(_ expression: String) -> String
}

/// The transaction lost a race with another one and ran again from the start; raised by a backend
/// when it gives up after retrying, and by `savepoint` so a retry is never swallowed as a failure.
struct StorageConflict: Error, CustomStringConvertible {
    let reason: String
    var description: String { "the database transaction conflicted with another one: \(reason)" }
}

extension SQLStatements {
    var skipLocked: String { "" }

    func contains(_ column: String, blob: Bool) -> String {
        "instr(\(lowered(blob ? "CAST(\(column) AS TEXT)" : column)), ?) > 0"
    }

    /// GRDB's `swiftLowercaseString`, on every SQLite connection it opens.
    func lowered(_ expression: String) -> String { "swiftLowercaseString(\(expression))" }

    func rows(_ sql: String, _ arguments: any SQLBindable...) throws -> [SQLRow] {
        try query(sql, arguments.map(\.sqlValue))
    }

    func row(_ sql: String, _ arguments: any SQLBindable...) throws -> SQLRow? {
        try query(sql, arguments.map(\.sqlValue)).first
    }

    /// The first column of the first row; nil when there is no row (or the value is NULL, for an optional `T`).
    func value<T: SQLColumn>(_ sql: String, _ arguments: any SQLBindable...) throws -> T? {
        guard let row = try query(sql, arguments.map(\.sqlValue)).first else { return nil }
        return try row[0] as T
    }

    /// The first column of every row.
    func values<T: SQLColumn>(_ sql: String, _ arguments: any SQLBindable...) throws -> [T] {
        try query(sql, arguments.map(\.sqlValue)).map { try $0[0] as T }
    }

    func run(_ sql: String, _ arguments: any SQLBindable...) throws {
        try execute(sql, arguments.map(\.sqlValue))
    }
}
