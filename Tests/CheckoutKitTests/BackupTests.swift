import AsyncHTTPClient
@testable import CheckoutKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import TestSupport
import Synchronization
import Testing

/// Backups on both backends: a copy taken while the service serves, verified and restored into an
/// empty database only; a damaged copy refused naming it; the schedule keeping the newest copies and
/// reporting their age; and a killed service restored from its newest copy, consistent, missing only
/// what came after the copy.
@Suite struct BackupTests {
    /// A database of the backend under test with nothing in it, for a restore.
    static func emptyDatabase(_ checkout: TestCheckout, _ name: String) throws -> StorageLocation {
        if let server = TestDatabases.serverURL { return .postgres(url: try TestDatabases.create("", server: server)) }
        return .sqlite(path: checkout.folder + "/\(name).sqlite")
    }

    @Test func aCopyTakenWhileServingRestoresIntoAnEmptyDatabaseOnly() async throws {
        let checkout = try TestCheckout()
        let folder = checkout.folder + "/backups"
        try await checkout.run { client, _ in
            let first = try await client.buy([("HS-DIGITAL-PLANNER", 1)], email: "a@example.com")
            let copy = try await DatabaseBackup.take(checkout.configuration.storageLocation, to: folder, now: 1_795_000_000)
            #expect(copy.path.hasSuffix(TestDatabases.onPostgres ? "checkout-20261118T110640Z.pgdump" : "checkout-20261118T110640Z.sqlite"), "\(copy.path)")
            #expect(DatabaseBackup.copies(in: folder) == [copy])
            _ = try await client.buy([("HS-DIGITAL-PLANNER", 1)], email: "b@example.com")

            let target = try Self.emptyDatabase(checkout, "restored")
            try await DatabaseBackup.restore(copy.path, into: target, force: false)
            let restored: [String] = try await readStored(target) { tx in try tx.sql.values("SELECT id FROM orders ORDER BY id") }
            #expect(restored == [first.id], "the copy holds what was there when it was taken")

            // A database that holds the checkout's tables is refused, naming it, unless forced.
            let live = checkout.configuration.storageLocation
            await #expect(throws: DatabaseBackup.Problem.self) { try await DatabaseBackup.restore(copy.path, into: live, force: false) }
            // Not even with --force while the service has it open: it would lose what the service writes.
            do {
                try await DatabaseBackup.restore(copy.path, into: live, force: true)
                Issue.record("a restore over the running service's database was not refused")
            } catch let problem as DatabaseBackup.Problem {
                #expect(problem.description.contains("even with --force"), "\(problem)")
            }
            #expect(try await client.json(.get, "/api/orders/\(first.id)?token=\(first.token)").status == .ok, "the live data is untouched")
            do {
                try await DatabaseBackup.restore(copy.path, into: target, force: false)
                Issue.record("a restore over a database with tables was not refused")
            } catch let problem as DatabaseBackup.Problem {
                #expect(problem.description.contains("--force") && problem.description.contains("\(target)"), "\(problem)")
            }
            try await DatabaseBackup.restore(copy.path, into: target, force: true)
            let again: Int = try await readStored(target) { tx in try tx.sql.value("SELECT COUNT(*) FROM orders") ?? -1 }
            #expect(again == 1)
        }
    }

    @Test func aDamagedOrWrongKindOfBackupIsRefusedNamingIt() async throws {
        let checkout = try TestCheckout()
        let folder = checkout.folder + "/backups"
        try await checkout.run { client, _ in
            _ = try await client.buy([("HS-DIGITAL-PLANNER", 1)], email: "a@example.com")
        }
        let copy = try await DatabaseBackup.take(checkout.configuration.storageLocation, to: folder, now: 1_795_000_000)
        let damaged = folder + "/" + (TestDatabases.onPostgres ? "checkout-20260101T000000Z.pgdump" : "checkout-20260101T000000Z.sqlite")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: copy.path))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: damaged))
        do {
            try await DatabaseBackup.verify(damaged)
            Issue.record("a truncated backup passed verification")
        } catch let problem as DatabaseBackup.Problem {
            #expect(problem.description.contains(damaged), "\(problem)")
        }
        let target = try Self.emptyDatabase(checkout, "never")
        await #expect(throws: DatabaseBackup.Problem.self) { try await DatabaseBackup.restore(damaged, into: target, force: false) }
        let wrongKind: StorageLocation = TestDatabases.onPostgres ? .sqlite(path: checkout.folder + "/other.sqlite") : .postgres(url: "postgres://u@127.0.0.1:1/db")
        do {
            try await DatabaseBackup.restore(copy.path, into: wrongKind, force: false)
            Issue.record("a backup was restored into the other kind of database")
        } catch let problem as DatabaseBackup.Problem {
            #expect(problem.description.contains(copy.path), "\(problem)")
        }
        await #expect(throws: DatabaseBackup.Problem.self) { try await DatabaseBackup.verify(folder + "/checkout-20250101T000000Z.sqlite") }
    }

    @Test func aCopyFromANewerVersionIsRefusedAndAnOlderOneMayBeRestored() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("checkout-\(UUID().uuidString)").path
        _ = try CheckoutDatabase(path: folder + "/live.sqlite")
        let copy = try await DatabaseBackup.take(.sqlite(path: folder + "/live.sqlite"), to: folder + "/backups", now: 1_795_000_000)
        let newer = try CheckoutDatabase(path: copy.path)
        try await newer.writeSQL { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-future')") }
        do {
            try await DatabaseBackup.verify(copy.path, allowOlder: true)
            Issue.record("a copy made by a newer checkout passed")
        } catch let problem as DatabaseBackup.Problem {
            #expect(problem.description.contains("v99-future") && problem.description.contains(copy.path), "\(problem)")
        }
        try await newer.writeSQL { db in
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier IN ('v99-future', 'v12-admin')")
        }
        await #expect(throws: DatabaseBackup.Problem.self) { try await DatabaseBackup.verify(copy.path) }
        // An older copy is not what a schedule must make, but restores: the service migrates it.
        try await DatabaseBackup.verify(copy.path, allowOlder: true)
    }

    @Test func theScheduleKeepsTheNewestCopiesAndReportsTheirAge() async throws {
        var made = try TestCheckout()
        let folder = made.folder + "/backups"
        made.configuration.backups = BackupSettings(folder: folder, interval: 1, keep: 2)
        made.configuration.clock = .system
        let checkout = made
        try await checkout.run { client, _ in
            let seen = SeenCopies()
            let pruned = await eventually(within: 60) {
                let names = DatabaseBackup.copies(in: folder).map(\.path)
                seen.add(names)
                return names.count <= 2 && seen.count >= 3
            }
            #expect(pruned, "three copies taken, the newest two kept: \(DatabaseBackup.copies(in: folder))")
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body).split(separator: "\n")
            let age = try #require(metrics.first { $0.hasPrefix("checkout_backup_age_seconds ") })
            #expect((Double(age.split(separator: " ")[1]) ?? 99) <= 10, "\(age)")
            #expect(metrics.contains { $0.hasPrefix("checkout_backup_last_success_timestamp_seconds ") })
            #expect(metrics.contains("checkout_backup_failures_total 0"))
        }
    }

    @Test func aFailingScheduleCountsFailuresAndItsAgeKeepsGrowing() async throws {
        var made = try TestCheckout()
        let blocked = made.folder + "/not-a-folder"
        #expect(FileManager.default.createFile(atPath: blocked, contents: Data("a file where the folder should be".utf8)))
        made.configuration.backups = BackupSettings(folder: blocked, interval: 1, keep: 2)
        let checkout = made
        try await checkout.run { client, _ in
            let failed = try await eventually(within: 30) {
                let text = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
                return text.contains("checkout_backup_failures_total ") && !text.contains("checkout_backup_failures_total 0")
            }
            #expect(failed)
            let text = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(text.contains("checkout_backup_age_seconds ") && !text.contains("checkout_backup_last_success_timestamp_seconds"))
        }
    }
}

/// The copy names a test has seen in a backup folder.
final class SeenCopies: Sendable {
    private let names = Mutex<Set<String>>([])
    func add(_ more: [String]) { names.withLock { $0.formUnion(more) } }
    var count: Int { names.withLock { $0.count } }
}
