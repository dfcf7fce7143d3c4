import Foundation
import GRDB

/// `SQLStatements` on a GRDB connection inside one of `CheckoutDatabase`'s transactions. Every
/// statement is prepared once per connection and kept (`cachedStatement`): the checkout runs the same
/// few dozen statements all day, and parsing one costs as much as running it.
struct GRDBStatements: SQLStatements {
    let db: Database

    func query(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow] {
        let statement = try db.cachedStatement(sql: sql)
        let bound = StatementArguments(arguments.map(Self.databaseValue))
        if statement.columnCount == 0 {
            try statement.execute(arguments: bound)
            return []
        }
        let cursor = try Row.fetchCursor(statement, arguments: bound)
        var rows: [SQLRow] = []
        while let row = try cursor.next() {
            rows.append(SQLRow(values: row.databaseValues.map(Self.sqlValue)))
        }
        return rows
    }

    func execute(_ sql: String, _ arguments: [SQLValue]) throws {
        try db.cachedStatement(sql: sql).execute(arguments: StatementArguments(arguments.map(Self.databaseValue)))
    }

    func savepoint<T>(_ body: () throws -> T) throws -> T {
        var result: T?
        try db.inSavepoint {
            result = try body()
            return .commit
        }
        guard let result else { throw StorageConflict(reason: "a savepoint ended without a result") }
        return result
    }

    private static func databaseValue(_ value: SQLValue) -> DatabaseValue {
        switch value {
        case .null: return .null
        case .integer(let int): return int.databaseValue
        case .text(let text): return text.databaseValue
        case .blob(let data): return data.databaseValue
        }
    }

    private static func sqlValue(_ value: DatabaseValue) -> SQLValue {
        switch value.storage {
        case .null: return .null
        case .int64(let int): return .integer(int)
        case .double(let double): return .integer(Int64(exactly: double.rounded()) ?? 0)
        case .string(let text): return .text(text)
        case .blob(let data): return .blob(data)
        }
    }
}
