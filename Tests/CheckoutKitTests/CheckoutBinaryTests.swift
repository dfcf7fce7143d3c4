import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization
import TestSupport
import Testing

/// The `checkout` executable as an operator runs it: flags, environment secret, real port, SIGTERM.
@Suite struct CheckoutBinaryTests {
    /// Kill the process between storing the paid event and sending the receipt; on restart exactly one
    /// receipt goes out and the entitlements are there.
    @Test func aKillBetweenPaymentAndEmailLosesNothingAndSendsOnce() async throws {
        let checkout = try TestCheckout()
        let arguments = try checkout.databaseArguments("crash") + ["--site", checkout.folder + "/site", "--mail-dir", checkout.folder + "/mail"]
        let environment = ["CHECKOUT_WEBHOOK_SECRET": "whsec_crash", "CHECKOUT_DOWNLOAD_SECRET": "download-key"]
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        // Shut down on every path: a failure below must be recorded, not end the run (an HTTPClient
        // dropped without `shutdown()` stops the process in debug builds, and with it every other suite).
        var second: ServerProcess?
        do {
            var orderURL = ""
            do {
                let first = try await ServerProcess.start(arguments + ["--hold-mail"], environment: environment)
                let cart = try await call(client, .POST, first.base + "/api/carts", #"{"lines":[{"sku":"HS-DIGITAL-PLANNER"}]}"#).1
                let placed = try await call(client, .POST, first.base + "/api/checkout", "{\"cart_id\":\"\(cart["id"] as? String ?? "")\",\"email\":\"crash@example.com\"}").1
                let (payStatus, _, _) = try await call(client, .POST, (placed["payment_url"] as? String ?? "") + "/pay")
                #expect(payStatus == 302)
                orderURL = "/api/orders/\(placed["order_id"] as? String ?? "")?token=\(placed["order_token"] as? String ?? "")"
                let (_, paid, _) = try await call(client, .GET, first.base + orderURL)
                #expect(paid["status"] as? String == "paid")
                #expect(((try? FileManager.default.contentsOfDirectory(atPath: checkout.folder + "/mail")) ?? []).isEmpty, "mail was held")
                kill(first.process.processIdentifier, SIGKILL)
                first.process.waitUntilExit()
                #expect(first.process.terminationReason == .uncaughtSignal)
            }
            let started = try await ServerProcess.start(arguments, environment: environment)
            second = started
            #expect(await started.waitForLog("email sent"), "\(started.lastText)")
            let mails = try FileManager.default.contentsOfDirectory(atPath: checkout.folder + "/mail").filter { $0.hasSuffix(".eml") }
            #expect(mails.count == 1, "exactly one receipt")
            let receipt = try String(contentsOfFile: checkout.folder + "/mail/" + (try #require(mails.first)), encoding: .utf8)
            #expect(receipt.contains("To: crash@example.com"))
            let (_, order, _) = try await call(client, .GET, started.base + orderURL)
            let download = try #require(((order["downloads"] as? [[String: Any]])?.first?["files"] as? [[String: Any]])?.first?["url"] as? String)
            #expect(try await call(client, .GET, download).0 == 200, "the entitlements are there")
        } catch {
            try? await client.shutdown()
            second?.process.terminate()
            throw error
        }
        try await client.shutdown()
        second?.process.terminate()
        second?.process.waitUntilExit()
    }

    func call(_ client: HTTPClient, _ method: HTTPMethod, _ url: String, _ body: String? = nil) async throws -> (Int, [String: Any], String?) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await client.execute(request, timeout: .seconds(10))
        let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
        return (Int(response.status.code), (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:],
                response.headers.first(name: "location"))
    }

    /// A URL with a password set in the environment (as the README says to keep it out of the process
    /// list) is not printed by `--help`, which shows options' defaults; the option still reads it.
    @Test func helpNeverPrintsSecretsFromTheEnvironment() async throws {
        let binary = try productsFolder().appendingPathComponent("checkout").path
        let environment = [
            "CHECKOUT_DATABASE_URL": "postgres://shop:db-pass-4711@127.0.0.1:1/shop", "CHECKOUT_SMTP_URL": "smtps://mail:smtp-pass-4711@127.0.0.1:1",
        ]
        for command in [["serve"], ["backup"], ["restore"], ["webhooks", "list"], ["customers", "export"]] {
            let (status, output) = try await runProgram(binary, command + ["--help"], environment: environment)
            #expect(status == 0, "\(command): \(output)")
            #expect(output.contains("CHECKOUT_DATABASE_URL"), "\(command) names the variable: \(output)")
            #expect(!output.contains("pass-4711"), "\(command) printed a password: \(output)")
        }
        // Still read: `backup` tries the environment's database (nothing listens on port 1), not the SQLite file --db
        // defaults to, and its error leaves the password out.
        let folder = FileManager.default.temporaryDirectory.path + "/help-secrets-\(UUID())"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (status, output) = try await runProgram(binary, ["backup", "--to", folder + "/backups"], environment: environment)
        #expect(status != 0)
        #expect(!output.contains("checkout.sqlite"), "\(output)")
        #expect(!output.contains("pass-4711"), "\(output)")
    }

    @Test func servesTheExampleShopSellsOverHTTPAndShutsDownGracefully() async throws {
        let checkout = try TestCheckout()
        let process = Process()
        process.executableURL = try productsFolder().appendingPathComponent("checkout")
        process.arguments = ["serve", "--port", "0", "--db", checkout.folder + "/bin.sqlite", "--site", checkout.folder + "/site"]
        process.environment = ["CHECKOUT_WEBHOOK_SECRET": "whsec_from_env", "PATH": "/usr/bin:/bin"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        // The server logs the address it bound; read lines until it does (no sleeping).
        let handle = errors.fileHandleForReading
        let (port, log) = try await offCooperativePool { readUntilListening(handle) }
        let base = "http://127.0.0.1:\(try #require(port, "no listening line in:\n\(log)"))"
        #expect(!log.contains("whsec_from_env"), "secrets never reach the log")

        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        func call(_ method: HTTPMethod, _ path: String, _ body: String? = nil) async throws -> (Int, [String: Any], String?) {
            var request = HTTPClientRequest(url: path.hasPrefix("http") ? path : base + path)
            request.method = method
            if let body { request.body = .bytes(ByteBuffer(string: body)) }
            let response = try await client.execute(request, timeout: .seconds(10))
            let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
            return (Int(response.status.code), (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:],
                    response.headers.first(name: "location"))
        }
        let (_, cart, _) = try await call(.POST, "/api/carts", #"{"lines":[{"sku":"KB-NOAH-COLORING-A4"},{"sku":"PD-PRAYER-JOURNAL-LTR","quantity":2}]}"#)
        let cartID = try #require(cart["id"] as? String)
        let (status, order, _) = try await call(.POST, "/api/checkout", "{\"cart_id\":\"\(cartID)\",\"email\":\"op@example.com\"}")
        #expect(status == 201)
        let paymentURL = try #require(order["payment_url"] as? String)
        #expect(paymentURL.hasPrefix(base + "/test-pay/"))
        let (payStatus, _, location) = try await call(.POST, paymentURL + "/pay")
        #expect(payStatus == 302)
        #expect(location?.contains("/thank-you/?order=") == true)
        let (_, paid, _) = try await call(.GET, "/api/orders/\(order["order_id"] as? String ?? "")?token=\(order["order_token"] as? String ?? "")")
        #expect(paid["status"] as? String == "paid")

        try await client.shutdown()
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0, "SIGTERM shuts down gracefully")
    }
}

/// A `checkout serve` process of the tests, with helpers to talk to it.
struct ServerProcess {
    let process: Process
    let errors: Pipe
    let base: String
    /// The log up to the line that names the port.
    var startupLog = ""
    private let lastLog = ServerLog()
    var port: Int { Int(base.split(separator: ":").last ?? "") ?? 0 }

    static func start(_ arguments: [String], environment: [String: String]) async throws -> ServerProcess {
        let process = Process()
        process.executableURL = try productsFolder().appendingPathComponent("checkout")
        process.arguments = ["serve", "--port", "0"] + arguments
        process.environment = environment.merging(["PATH": "/usr/bin:/bin"]) { $1 }
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let handle = errors.fileHandleForReading
        let (port, log) = try await offCooperativePool { readUntilListening(handle) }
        guard let port else { throw TestFailure("the server did not start:\n\(log)") }
        return ServerProcess(process: process, errors: errors, base: "http://127.0.0.1:\(port)", startupLog: log)
    }

    /// Reads the rest of the log on a thread of its own, so a busy server never blocks on a full pipe.
    func keepReadingLog() -> ServerLog {
        let log = ServerLog()
        let handle = errors.fileHandleForReading
        Thread.detachNewThread {
            while true {
                let data = handle.availableData
                if data.isEmpty { return }
                log.append(String(decoding: data, as: UTF8.self))
            }
        }
        return log
    }

    /// Reads the log until a line contains `text` (blocking reads, no sleeping); false when the process
    /// ended first. A watchdog stops the process after `deadline` seconds, so a hang fails the test
    /// (with the log read so far in `lastLog`) instead of stalling the suite.
    func waitForLog(_ text: String, deadline: Int = 60) async -> Bool {
        let server = self
        return (try? await offCooperativePool { server.blockingWaitForLog(text, deadline: deadline) }) ?? false
    }

    private func blockingWaitForLog(_ text: String, deadline: Int) -> Bool {
        let process = self.process
        let found = Atomic<Bool>(false)
        DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(deadline)) {
            if !found.load(ordering: .relaxed), process.isRunning { process.terminate() }
        }
        var log = ""
        defer { lastLog.append(log) }
        while true {
            let data = errors.fileHandleForReading.availableData
            if data.isEmpty { return false }
            log += String(decoding: data, as: UTF8.self)
            if log.contains(text) {
                found.store(true, ordering: .relaxed)
                return true
            }
        }
    }

    /// What the last `waitForLog` read.
    var lastText: String { lastLog.lines.joined(separator: "\n") }
}

/// A server's log as read so far.
final class ServerLog: Sendable {
    private let text = Mutex("")
    func append(_ more: String) { text.withLock { $0 += more } }
    var lines: [Substring] { text.withLock { $0 }.split(separator: "\n") }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Reads the server's log, blocking on each read, until it names the address it listens on.
func readUntilListening(_ handle: FileHandle) -> (Int?, String) {
    var log = ""
    while true {
        let data = handle.availableData
        if data.isEmpty { return (nil, log) }
        log += String(decoding: data, as: UTF8.self)
        for line in log.split(separator: "\n") where line.contains("listening") || line.contains("started") {
            if let range = line.range(of: "127.0.0.1:") {
                return (Int(line[range.upperBound...].prefix { $0.isNumber }), log)
            }
        }
    }
}

/// The folder `swift build` puts the products in, next to the test bundle.
func productsFolder() throws -> URL {
    var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    while url.path != "/" {
        if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("checkout").path) { return url }
        url.deleteLastPathComponent()
    }
    struct Missing: Error {}
    throw Missing()
}
