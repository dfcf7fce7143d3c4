import CheckoutKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import TestSupport
import Testing

let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

/// A clock tests can move.
final class TestTime: Sendable {
    private let current = Mutex(Date(timeIntervalSince1970: 1_795_000_000))
    var now: Date { current.withLock { $0 } }
    func advance(_ seconds: TimeInterval) { current.withLock { $0 += seconds } }
    var clock: CheckoutClock { CheckoutClock { [self] in now } }
}

/// A checkout over a temporary copy of the example shop's catalog and a fresh database: a SQLite
/// file, or, when `CHECKOUT_TEST_POSTGRES_URL` names a PostgreSQL server (`scripts/test.sh` starts
/// one), a database of its own on that server. The same suites thus run on both backends.
struct TestCheckout {
    static let secret = "whsec_test_secret"
    let folder: String
    var configuration: CheckoutConfiguration
    let time = TestTime()

    init(catalogEdit: ((String) -> String)? = nil) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("checkout-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/site", withIntermediateDirectories: true)
        for part in ["site.yaml", "catalog.txt", "files"] {
            try FileManager.default.copyItem(atPath: repositoryRoot + "/" + part, toPath: folder + "/site/" + part)
        }
        if let catalogEdit {
            let path = folder + "/site/catalog.txt"
            try catalogEdit(try String(contentsOfFile: path, encoding: .utf8)).write(toFile: path, atomically: true, encoding: .utf8)
        }
        configuration = CheckoutConfiguration(webhookSecret: Self.secret)
        configuration.port = 0
        configuration.databasePath = folder + "/checkout.sqlite"
        configuration.databaseURL = try TestDatabases.makePostgresDatabase()
        // A hundred suites run at once against one test server: a few connections each is plenty,
        // and 16 each would pass its max_connections.
        configuration.databaseConnections = 4
        configuration.siteFolder = folder + "/site"
        configuration.siteURL = "https://shop.example"
        configuration.clock = time.clock
        configuration.mailFolder = folder + "/mail"
        configuration.adminToken = Self.adminToken
    }

    static let adminToken = "admin-secret-token"

    /// The operator's endpoint commands over this checkout's database.
    func endpoints() async throws -> WebhookEndpoints {
        try await WebhookEndpoints(configuration.storageLocation)
    }

    /// `databaseArguments(name)` for a database made with its tables, as `checkout serve` leaves it
    /// (the `checkout webhooks` commands refuse a SQLite path that names no database).
    func createdDatabaseArguments(_ name: String) async throws -> [String] {
        let arguments = try databaseArguments(name)
        if arguments.first == "--db" { await (try await WebhookEndpoints(.sqlite(path: arguments[1]))).close() }
        return arguments
    }

    /// `checkout serve` arguments naming a fresh database of the backend under test, called `name`.
    func databaseArguments(_ name: String) throws -> [String] {
        if let url = try TestDatabases.makePostgresDatabase() { return ["--database-url", url] }
        return ["--db", folder + "/\(name).sqlite"]
    }

    func app() async throws -> some ApplicationProtocol {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return try await CheckoutApp.build(configuration, logger: logger)
    }

    /// Runs `body` against the service in process (`.router`: requests go straight to the router,
    /// with the services running), which is what most tests need.
    func run(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await test(.router) { client, _ in try await body(client) }
    }

    /// Runs `body` in process with the handle that runs the service's workers now.
    func run(_ body: @escaping @Sendable (any TestClientProtocol, CheckoutControl) async throws -> Void) async throws {
        try await test(.router, body)
    }

    /// Runs `body` against the service on a real loopback port: for what only a socket shows
    /// (the client's address, connection handling, links another HTTP client follows).
    func live(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await test(.live) { client, _ in try await body(client) }
    }

    /// Runs `body` with the service on a real loopback port and the handle that runs its workers now.
    func live(_ body: @escaping @Sendable (any TestClientProtocol, CheckoutControl) async throws -> Void) async throws {
        try await test(.live, body)
    }

    /// Runs `body` against `count` instances of the service in process over this checkout's one
    /// database (each its own shop: its own cart cache, workers, claims and counters), as a load
    /// balancer in front of several `checkout serve` would reach them.
    func instances(
        _ count: Int, _ body: @escaping @Sendable ([any TestClientProtocol], [CheckoutControl]) async throws -> Void
    ) async throws {
        guard count > 0 else { return try await body([], []) }
        try await instances(count - 1) { clients, controls in
            try await test(.router) { client, control in try await body(clients + [client], controls + [control]) }
        }
    }

    private func test(
        _ setup: TestingSetup, _ body: @escaping @Sendable (any TestClientProtocol, CheckoutControl) async throws -> Void
    ) async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let (application, control) = try await CheckoutApp.make(configuration, logger: logger)
        try await application.test(setup) { client in try await body(client, control) }
    }

    /// The emails sent so far, oldest first.
    func emails() -> [SentEmail] { SentEmail.all(in: configuration.mailFolder) }
}

extension SentEmail {
    /// The emails written to `folder`, oldest first.
    static func all(in folder: String) -> [SentEmail] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".eml") }
        // Oldest first by when the file was written (the sender writes one file per email, in order).
        return names.compactMap { name -> (Date, SentEmail)? in
            let path = folder + "/" + name
            guard let text = try? String(contentsOfFile: path, encoding: .utf8),
                  let written = try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date
            else { return nil }
            return (written, SentEmail(raw: text))
        }.sorted { $0.0 < $1.0 }.map(\.1)
    }
}

/// A decoded JSON response.
struct JSONReply {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let object: [String: Any]
    let text: String

    subscript(key: String) -> Any? { object[key] }

    /// `{"error": {"code", "field"}}` of an error response.
    var errorCode: String? { (object["error"] as? [String: Any])?["code"] as? String }
    var errorField: String? { (object["error"] as? [String: Any])?["field"] as? String }
    var errorMessage: String? { (object["error"] as? [String: Any])?["message"] as? String }

    func amount(_ key: String) -> Int? { (object[key] as? [String: Any])?["amount"] as? Int }
}

extension TestClientProtocol {
    @discardableResult
    func json(_ method: HTTPRequest.Method, _ uri: String, _ body: [String: Any]? = nil, headers: HTTPFields = [:], raw: String? = nil) async throws -> JSONReply {
        var fields = headers
        fields[.contentType] = "application/json"
        let data: Data? = try raw.map { Data($0.utf8) } ?? body.map { try JSONSerialization.data(withJSONObject: $0) }
        let response = try await execute(uri: uri, method: method, headers: fields, body: data.map { ByteBuffer(bytes: $0) })
        let text = String(buffer: response.body)
        let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
        return JSONReply(status: response.status, headers: response.headers, object: object, text: text)
    }

    /// Creates a cart holding `lines` (SKU, quantity) and returns its id.
    func cart(_ lines: [(String, Int)] = []) async throws -> String {
        let reply = try await json(.post, "/api/carts", ["lines": lines.map { ["sku": $0.0, "quantity": $0.1] }])
        #expect(reply.status == .created, "\(reply.text)")
        return reply["id"] as? String ?? ""
    }
}

import ShopCore

/// The example catalog, to compute what tests expect the checkout to charge.
let exampleCatalog: CatalogIndex = {
    let text = (try? String(contentsOfFile: repositoryRoot + "/catalog.txt", encoding: .utf8)) ?? ""
    return CatalogIndex((try? CatalogText.parse(text, file: "catalog.txt").0) ?? Catalog())
}()

func bundlePrice(_ sku: String) -> Int {
    Int(exampleCatalog.pricing(of: exampleCatalog.bundlesBySKU[sku]!).price.amount)
}


/// An email the service wrote to the mail folder.
struct SentEmail {
    let raw: String
    var headers: [String: String] {
        var result: [String: String] = [:]
        for line in raw.components(separatedBy: "\r\n\r\n").first?.components(separatedBy: "\r\n") ?? [] {
            if let colon = line.firstIndex(of: ":") {
                result[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return result
    }
    var to: String { headers["To"] ?? "" }
    var subject: String { headers["Subject"] ?? "" }
    var id: String { headers["Message-ID"] ?? "" }
    var date: String { headers["Date"] ?? "" }
    var body: String { raw.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n") }

    /// Every http(s) URL in the body.
    var links: [String] {
        body.split(whereSeparator: \.isWhitespace).map(String.init).filter { $0.hasPrefix("http") }
    }
}

extension String {
    /// The path and query of an absolute URL, to request it from the test client.
    var pathAndQuery: String {
        guard let url = URL(string: self) else { return self }
        return url.path + (url.query.map { "?" + $0 } ?? "")
    }
}

/// Fresh PostgreSQL databases for tests, on the server `CHECKOUT_TEST_POSTGRES_URL` names.
enum TestDatabases {
    static let serverURL = ProcessInfo.processInfo.environment["CHECKOUT_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

    /// Whether the suites run on PostgreSQL.
    static var onPostgres: Bool { serverURL != nil }

    /// Creates a database with every migration applied and returns its URL; nil when the tests run
    /// on SQLite. Each is a copy of one template migrated once per test run (`CREATE DATABASE …
    /// TEMPLATE`): a hundred suites each migrating a fresh database at the same moment was most of
    /// what the PostgreSQL pass spent its first minute on.
    static func makePostgresDatabase() throws -> String? {
        guard let serverURL else { return nil }
        let template = try Self.template.get()
        return try create("TEMPLATE \(template)", server: serverURL)
    }

    /// A migrated database to copy: `checkout webhooks list` migrates the database it opens.
    private static let template: Result<String, any Error> = Result {
        guard let serverURL else { throw TestDatabaseError(description: "no PostgreSQL server") }
        let url = try create("", server: serverURL)
        let checkout = try productsFolder().appendingPathComponent("checkout").path
        let (status, output) = try runProgram(checkout, ["webhooks", "list", "--database-url", url]) as (status: Int32, output: String)
        guard status == 0 else { throw TestDatabaseError(description: "could not migrate the template database \(url): \(output)") }
        return String(url.split(separator: "/").last?.split(separator: "?").first ?? "")
    }

    static func create(_ options: String, server serverURL: String) throws -> String {
        guard var parts = URLComponents(string: serverURL) else { throw TestDatabaseError(description: "not a URL: \(serverURL)") }
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let psql = Process()
        psql.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        psql.arguments = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", serverURL, "-c", "CREATE DATABASE \(name) \(options)"]
        let errors = Pipe()
        psql.standardError = errors
        try psql.run()
        psql.waitUntilExit()
        guard psql.terminationStatus == 0 else {
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw TestDatabaseError(description: "psql could not create a test database on \(serverURL): \(message)")
        }
        parts.path = "/" + name
        return parts.string ?? serverURL
    }
}

struct TestDatabaseError: Error, CustomStringConvertible {
    let description: String
}
