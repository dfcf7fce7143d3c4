import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// `checkout serve --shops` and `checkout webhooks --shop` as an operator runs them.
@Suite struct ShopsBinaryTests {
    func status(_ client: HTTPClient, _ method: HTTPMethod, _ url: String, host: String, body: String? = nil) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Host", value: host)
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        return Int(try await client.execute(request, timeout: .seconds(10)).status.code)
    }

    @Test func aShopAddedToTheFileAnswersAfterSIGHUP() async throws {
        let shops = try TestShops()
        let file = shops.folder + "/shops.yaml"
        let both = try String(contentsOfFile: file, encoding: .utf8)
        // Alpha alone at first: its block is everything before beta's.
        try String(both[..<both.range(of: "beta:")!.lowerBound]).write(toFile: file, atomically: true, encoding: .utf8)
        let database = try TestCheckout().databaseArguments("shops")
        let server = try await ServerProcess.start(
            database + ["--shops", file, "--mail-dir", shops.folder + "/mail"], environment: [:])
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        #expect(try await status(client, .POST, server.base + "/api/carts", host: "a.test", body: "{}") == 201)
        #expect(try await status(client, .POST, server.base + "/api/carts", host: "b.test", body: "{}") == 404)
        try both.write(toFile: file, atomically: true, encoding: .utf8)
        kill(server.process.processIdentifier, SIGHUP)
        // The SIGHUP's own reload (the watcher may also notice the file first: both are logged).
        #expect(await server.waitForLog(#""reason":"SIGHUP""#), "\(server.lastText)")
        #expect(try await status(client, .POST, server.base + "/api/carts", host: "b.test", body: "{}") == 201)
        // Each request's log line names its shop.
        #expect(await server.waitForLog(#""shop":"beta","status":"201""#), "\(server.lastText)")
        #expect(try await status(client, .POST, server.base + "/api/carts", host: "A.TEST.", body: "{}") == 201)
        // Two Host headers leave the shop to a guess: refused (RFC 9112 §3.2).
        var twice = HTTPClientRequest(url: server.base + "/api/carts")
        twice.method = .POST
        twice.headers.add(name: "Host", value: "a.test")
        twice.headers.add(name: "Host", value: "b.test")
        twice.body = .bytes(ByteBuffer(string: "{}"))
        #expect(try await client.execute(twice, timeout: .seconds(10)).status == .badRequest)
        try await client.shutdown()
        server.process.terminate()
        server.process.waitUntilExit()
        #expect(server.process.terminationStatus == 0, "SIGTERM shuts the deployment down gracefully")
    }

    @Test func aShopsFileThatDoesNotReadStopsTheStartNamingTheLine() async throws {
        let shops = try TestShops(shopsYAML: "alpha:\n  site: alpha\n  hosts: [a.test]\n  hosst: [b.test]\n")
        let run = try await runCheckout(["serve", "--shops", shops.folder + "/shops.yaml", "--db", shops.folder + "/x.sqlite", "--port", "0"])
        #expect(run.status != 0)
        #expect(run.errors.contains("\(shops.folder)/shops.yaml:4: error: unknown key 'hosst'"), "\(run.errors)")
    }

    @Test func webhookCommandsTakeTheShopAndCheckIt() async throws {
        let shops = try TestShops()
        let db = try await TestCheckout().createdDatabaseArguments("shop-hooks")
        let file = shops.folder + "/shops.yaml"
        let added = try await runCheckout(["webhooks", "add", "https://ops.example/hooks", "--shop", "alpha", "--shops", file] + db)
        #expect(added.status == 0, "\(added.errors)")
        #expect(try await runCheckout(["webhooks", "list", "--shop", "alpha"] + db).output.contains("https://ops.example/hooks"))
        #expect(try await runCheckout(["webhooks", "list", "--shop", "beta"] + db).output.contains("no endpoints"))
        let unknown = try await runCheckout(["webhooks", "list", "--shop", "gamma", "--shops", file] + db)
        #expect(unknown.status != 0)
        #expect(unknown.errors.contains("'gamma' is not a shop in \(file): alpha, beta"), "\(unknown.errors)")
        let malformed = try await runCheckout(["webhooks", "list", "--shop", "Not A Shop"] + db)
        #expect(malformed.errors.contains("'Not A Shop' is not a shop id"), "\(malformed.errors)")
        // A database path that names none is a mistake, never a new database nobody serves from.
        let nowhere = shops.folder + "/no-such.sqlite"
        let missing = try await runCheckout(["webhooks", "list", "--shop", "alpha", "--db", nowhere])
        #expect(missing.status != 0)
        #expect(missing.errors.contains("no database at \(nowhere)"), "\(missing.errors)")
        #expect(!FileManager.default.fileExists(atPath: nowhere))
    }
}
