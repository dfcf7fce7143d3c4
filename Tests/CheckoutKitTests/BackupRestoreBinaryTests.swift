import AsyncHTTPClient
@testable import CheckoutKit
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization
import TestSupport
import Testing

/// `checkout serve --backup-dir` under load, killed, and `checkout restore` of its newest copy: the
/// copy is consistent (every paid order has its entitlements) and lacks only what came after it.
/// Also the `checkout backup`, `restore` and `customers` commands as an operator types them.
@Suite struct BackupRestoreBinaryTests {
    func call(_ client: HTTPClient, _ method: HTTPMethod, _ url: String, _ body: String? = nil, headers: [(String, String)] = []) async throws -> (Int, [String: Any]) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await client.execute(request, timeout: .seconds(20))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
        return (Int(response.status.code), (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:])
    }

    /// One purchase through the test provider: cart, checkout, pay (a signed payment event).
    func buy(_ client: HTTPClient, _ base: String, email: String) async throws {
        let (_, cart) = try await call(client, .POST, base + "/api/carts", #"{"lines":[{"sku":"HS-DIGITAL-PLANNER"}]}"#)
        let (_, placed) = try await call(client, .POST, base + "/api/checkout", "{\"cart_id\":\"\(cart["id"] as? String ?? "")\",\"email\":\"\(email)\"}")
        _ = try await call(client, .POST, (placed["payment_url"] as? String ?? "") + "/pay")
    }

    @Test func aKilledServiceIsRestoredFromItsNewestBackupConsistently() async throws {
        let checkout = try TestCheckout()
        let backups = checkout.folder + "/backups"
        let live = try checkout.databaseArguments("live")
        let arguments = live + [
            "--site", checkout.folder + "/site", "--mail-dir", checkout.folder + "/mail", "--backup-dir", backups, "--backup-every", "1s",
        ]
        let environment = ["CHECKOUT_WEBHOOK_SECRET": "whsec_backup", "CHECKOUT_ADMIN_TOKEN": "admin-backup"]
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        let server = try await ServerProcess.start(arguments, environment: environment)
        let log = server.keepReadingLog()
        let (created, _) = try await call(
            client, .POST, server.base + "/api/admin/webhooks", #"{"url":"http://127.0.0.1:9/hook","events":["*"]}"#,
            headers: [("Authorization", "Bearer admin-backup"), ("Content-Type", "application/json")])
        #expect(created == 201)

        // Four shoppers buy without pause while copies are taken every second; the process is
        // killed once three copies were made during the load.
        let load = LoadState()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for shopper in 0..<4 {
                group.addTask {
                    var n = 0
                    while !load.stop.load(ordering: .relaxed) {
                        n += 1
                        do {
                            try await buy(client, server.base, email: "s\(shopper)-\(n)@example.com")
                            load.bought.add(1, ordering: .relaxed)
                        } catch { if !load.stop.load(ordering: .relaxed) { throw error } }
                    }
                }
            }
            let startCopies = DatabaseBackup.copies(in: backups).count
            let enough = await eventually(within: 120) {
                DatabaseBackup.copies(in: backups).count >= startCopies + 3 && load.bought.load(ordering: .relaxed) >= 40
            }
            #expect(enough, "copies: \(DatabaseBackup.copies(in: backups)), bought \(load.bought.load(ordering: .relaxed)); log: \(log.lines.suffix(5))")
            kill(server.process.processIdentifier, SIGKILL)
            load.stop.store(true, ordering: .relaxed)
            try await group.waitForAll()
        }
        server.process.waitUntilExit()
        try await client.shutdown()
        #expect(!log.lines.contains { $0.contains("backup failed") }, "\(log.lines.filter { $0.contains("backup") }.prefix(3))")

        let newest = try #require(DatabaseBackup.copies(in: backups).first)
        let target = try BackupTests.emptyDatabase(checkout, "restored")
        let targetArguments: [String] = {
            if case .postgres(let url) = target { return ["--database-url", url] }
            if case .sqlite(let path) = target { return ["--db", path] }
            return []
        }()
        let restore = try await runProgram(try productsFolder().appendingPathComponent("checkout").path, ["restore", backups] + targetArguments)
        #expect(restore.status == 0 && restore.output.contains(newest.path), "\(restore.output)")

        let liveLocation: StorageLocation = live[0] == "--db" ? .sqlite(path: live[1]) : .postgres(url: live[1])
        let orders = "SELECT id, status, created_at, COALESCE(paid_at, 0) FROM orders"
        let restored = try await readStored(target) { tx in try tx.sql.query(orders, []).map { row in
            (id: try row[0] as String, status: try row[1] as String, created: try row[2] as Int, paid: try row[3] as Int) } }
        let killed = try await readStored(liveLocation) { tx in try tx.sql.query(orders, []).map { row in
            (id: try row[0] as String, status: try row[1] as String, created: try row[2] as Int, paid: try row[3] as Int) } }
        let withoutEntitlements: [String] = try await readStored(target) { tx in
            try tx.sql.values("""
                SELECT id FROM orders WHERE status = 'paid' AND kind = 'purchase' AND NOT EXISTS (
                    SELECT 1 FROM entitlements e WHERE e.shop_id = orders.shop_id AND e.cause LIKE 'order:' || orders.id || ':%')
                """)
        }
        #expect(restored.filter { $0.status == "paid" }.count >= 10, "the copy holds the paid orders of the load: \(restored.count)")
        #expect(withoutEntitlements.isEmpty, "paid orders without entitlements in the copy: \(withoutEntitlements)")
        // Only what came after the copy is missing: every order created, and every payment made,
        // before the copy started is in it as it was.
        let copied = Dictionary(uniqueKeysWithValues: restored.map { ($0.id, $0) })
        let lost = killed.filter { copied[$0.id] == nil }
        #expect(lost.allSatisfy { $0.created >= newest.takenAt }, "orders lost from before the copy: \(lost.filter { $0.created < newest.takenAt })")
        let unpaid = killed.filter { $0.status == "paid" && copied[$0.id]?.status == "pending" }
        #expect(unpaid.allSatisfy { $0.paid >= newest.takenAt }, "payments lost from before the copy: \(unpaid.filter { $0.paid < newest.takenAt })")
        #expect(restored.count <= killed.count && restored.allSatisfy { order in killed.contains { $0.id == order.id } })
    }

    @Test func theOperatorsCommandsNameWhatIsWrong() async throws {
        let checkout = try TestCheckout()
        let binary = try productsFolder().appendingPathComponent("checkout").path
        let database = try await checkout.createdDatabaseArguments("ops")
        try await { () async throws in
            var configuration = checkout.configuration
            if database[0] == "--db" { configuration.databasePath = database[1] } else { configuration.databaseURL = database[1] }
            let (application, _) = try await CheckoutApp.make(configuration, logger: .init(label: "test"))
            try await application.test(.router) { client in _ = try await client.buy([("HS-DIGITAL-PLANNER", 1)], email: "cli@example.com") }
        }()

        let export = try await runProgram(binary, ["customers", "export", "CLI@example.com"] + database)
        #expect(export.status == 0 && export.output.contains("\"object\" : \"customer_export\""), "\(export.output.prefix(300))")
        let unknown = try await runProgram(binary, ["customers", "export", "nobody@example.com"] + database)
        #expect(unknown.status != 0 && unknown.output.contains("nobody@example.com"), "\(unknown.output)")
        let malformed = try await runProgram(binary, ["customers", "erase", "not-an-address"] + database)
        #expect(malformed.status != 0 && malformed.output.contains("not-an-address"), "\(malformed.output)")
        let erase = try await runProgram(binary, ["customers", "erase", "cli@example.com", "--reason", "asked by mail", "--mail-dir", checkout.folder + "/mail"] + database)
        #expect(erase.status == 0 && erase.output.contains("erased_") && erase.output.contains("kept 1 orders"), "\(erase.output)")

        let backups = checkout.folder + "/cli-backups"
        let backup = try await runProgram(binary, ["backup", "--to", backups] + database)
        #expect(backup.status == 0 && backup.output.contains("verified"), "\(backup.output)")
        let refused = try await runProgram(binary, ["restore", backups] + database)
        #expect(refused.status != 0 && refused.output.contains("--force") && refused.output.contains(database[0] == "--db" ? database[1] : "127.0.0.1"), "\(refused.output)")
        let empty = try await runProgram(binary, ["restore", checkout.folder + "/nothing-here"] + database)
        #expect(empty.status != 0 && empty.output.contains("nothing-here"), "\(empty.output)")
        let badEvery = try await runProgram(binary, ["serve", "--backup-dir", backups, "--backup-every", "soon"] + database)
        #expect(badEvery.status != 0 && badEvery.output.contains("--backup-every") && badEvery.output.contains("soon"), "\(badEvery.output)")
        let lonely = try await runProgram(binary, ["serve", "--backup-every", "5m"] + database)
        #expect(lonely.status != 0 && lonely.output.contains("--backup-dir"), "\(lonely.output)")
        let unknown2 = try await runProgram(binary, ["customers", "erase", "never@example.com"] + database)
        #expect(unknown2.status != 0 && unknown2.output.contains("never@example.com"), "an address the shop never had is not erased: \(unknown2.output)")
        let longReason = try await runProgram(binary, ["customers", "erase", "x@example.com", "--reason", String(repeating: "r", count: 501)] + database)
        #expect(longReason.status != 0 && longReason.output.contains("501"), "\(longReason.output)")
        let shortHold = try await runProgram(binary, ["customers", "erase", "x@example.com", "--stock-hold-minutes", "0"] + database)
        #expect(shortHold.status != 0 && shortHold.output.contains("--stock-hold-minutes"), "\(shortHold.output)")
        let badPurge = try await runProgram(binary, ["serve", "--purge-sent-emails-after", "5m"] + database)
        #expect(badPurge.status != 0 && badPurge.output.contains("--purge-sent-emails-after") && badPurge.output.contains("5m"), "\(badPurge.output)")
    }
}

/// What the shoppers of a load test share: whether to stop, and how many purchases went through.
final class LoadState: Sendable {
    let stop = Atomic<Bool>(false)
    let bought = Atomic<Int>(0)
}
