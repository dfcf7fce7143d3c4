import Foundation
import Logging
import Synchronization
import Testing

@testable import CheckoutKit

/// The statements that join one table's rows to another's by id reach the joined rows through an
/// index, on whichever backend the suite runs: a join that cannot (a PostgreSQL collation mismatch
/// did this to every GET cart) reads the whole table each time, which only shows with many rows.
@Suite struct QueryPlanTests {
    /// Records every statement a records call runs, then lets it run.
    final class Recording: SQLStatements, Sendable {
        /// The transaction's own statements, used only within the transaction that made this.
        nonisolated(unsafe) let base: any SQLStatements
        let statements = Mutex<[(sql: String, arguments: [SQLValue])]>([])

        init(_ base: any SQLStatements) { self.base = base }

        func query(_ sql: String, _ arguments: [SQLValue]) throws -> [SQLRow] {
            statements.withLock { $0.append((sql, arguments)) }
            return try base.query(sql, arguments)
        }

        func execute(_ sql: String, _ arguments: [SQLValue]) throws { _ = try query(sql, arguments) }

        func savepoint<T>(_ body: () throws -> T) throws -> T { try base.savepoint(body) }
    }

    @Test func joinsByIdUseAnIndex() async throws {
        let checkout = try TestCheckout()
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let storage = try await checkout.configuration.storageLocation.open(connections: 2, logger: logger)
        let postgres = storage is PostgresStorage
        let plans: [String] = try await storage.write { tx in
            var plans: [String] = []
            // Each call's statements, explained with the values it ran with; PostgreSQL is told to
            // avoid a sequential scan wherever an index can serve, so one in the plan is one it could not avoid.
            func explain(_ call: (StorageTransaction) throws -> Void) throws {
                let recording = Recording(tx.sql)
                try call(StorageTransaction(sql: recording, shop: "alpha"))
                for statement in recording.statements.withLock({ $0 }) where statement.sql.contains("JOIN") {
                    if postgres { try tx.sql.execute("SET LOCAL enable_seqscan = off", []) }
                    let rows = try tx.sql.query((postgres ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + statement.sql, statement.arguments)
                    plans.append(try rows.map { row in postgres ? try row[0] as String : try row[3] as String }.joined(separator: "\n"))
                }
            }
            try explain { _ = try $0.carts.find("cart_x") }
            try explain { _ = try $0.entitlements.purchases(email: "x@example.com") }
            try explain { _ = try $0.refunds.recordLine(providerRefundID: "re_x", order: "ord_x", line: "oli_x", at: 0) }
            return plans
        }
        await storage.close()
        #expect(plans.count == 3)
        for plan in plans {
            if postgres {
                #expect(!plan.contains("Seq Scan"), "\(plan)")
            } else {
                // SQLite says SEARCH for a lookup by index and SCAN for reading a whole table (or index).
                #expect(!plan.split(separator: "\n").contains { $0.hasPrefix("SCAN") }, "\(plan)")
            }
        }
    }
}
