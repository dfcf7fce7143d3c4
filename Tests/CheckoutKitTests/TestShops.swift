import AsyncHTTPClient
import CheckoutKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import TestSupport

/// A multi-shop deployment over temporary copies of the example shop: `alpha` at `a.test` and
/// `beta` at `b.test` (and `www.b.test`), each with its own secrets in files, over one fresh
/// database of the backend under test (see `TestCheckout`). Both shops sell the same catalog, so
/// every id, token and link one of them makes names something that also exists in the other.
struct TestShops {
    static let ids = ["alpha", "beta"]
    static let hosts = ["alpha": "a.test", "beta": "b.test"]
    let folder: String
    var configuration: CheckoutConfiguration
    let time = TestTime()

    /// - Parameters:
    ///   - shopsYAML: the shops file to write instead of the usual one (its folders relative to `folder`).
    ///   - sharedDownloadKey: both shops sign download links with one key (`TestShops.downloadKey`).
    init(shopsYAML: String? = nil, sharedDownloadKey: Bool = false) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("shops-\(UUID().uuidString)").path
        self.folder = folder
        let files = FileManager.default
        for id in Self.ids {
            try files.createDirectory(atPath: folder + "/\(id)", withIntermediateDirectories: true)
            for part in ["site.yaml", "catalog.txt", "files"] {
                try files.copyItem(atPath: repositoryRoot + "/" + part, toPath: folder + "/\(id)/" + part)
            }
            try Self.webhookSecret(id).write(toFile: folder + "/\(id)-webhook-secret", atomically: true, encoding: .utf8)
            try Self.adminToken(id).write(toFile: folder + "/\(id)-admin-token", atomically: true, encoding: .utf8)
        }
        try (shopsYAML ?? Self.ids.map { id in
            """
            \(id):
              site: \(id)
              hosts: [\(Self.hosts[id]!)\(id == "beta" ? ", www.b.test" : "")]
              site_url: https://\(id).example
              mail_from: \(id.capitalized) <shop@\(id).example>
              secrets:
                webhook_secret: file:\(folder)/\(id)-webhook-secret
                admin_token: file:\(folder)/\(id)-admin-token
            \(sharedDownloadKey ? "    download_key: file:\(folder)/download-key\n" : "")
            """
        }.joined()).write(toFile: folder + "/shops.yaml", atomically: true, encoding: .utf8)
        try Self.downloadKey.write(toFile: folder + "/download-key", atomically: true, encoding: .utf8)
        configuration = CheckoutConfiguration(webhookSecret: "")
        configuration.shopsFile = folder + "/shops.yaml"
        configuration.port = 0
        configuration.databasePath = folder + "/checkout.sqlite"
        configuration.databaseURL = try TestDatabases.makePostgresDatabase()
        configuration.databaseConnections = 4
        configuration.clock = time.clock
        configuration.mailFolder = folder + "/mail"
        configuration.operationsPort = 0
    }

    static func webhookSecret(_ id: String) -> String { "whsec_\(id)_secret" }
    static let downloadKey = "one-download-key-for-both-shops"
    static func adminToken(_ id: String) -> String { "admin-token-of-\(id)" }

    /// Runs `body` with the deployment in process (`.router`), or on a loopback port with a real
    /// HTTP client (`.ahc(.http)`, which sends the host in the Host header): a client per shop
    /// (naming its host), a client for a host no shop lists, and the deployment's handle.
    func run(
        _ setup: TestingSetup = .router,
        _ body: @escaping @Sendable (_ clients: [String: any TestClientProtocol], _ stranger: HostClient, ShopsControl) async throws -> Void
    ) async throws {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        let (application, control) = try await CheckoutApp.makeShops(configuration, logger: logger)
        try await application.test(setup) { client in
            let header = client.port != nil
            var clients: [String: any TestClientProtocol] = [:]
            for (id, host) in Self.hosts { clients[id] = HostClient(base: client, host: host, header: header) }
            try await body(clients, HostClient(base: client, host: "unknown.test", header: header), control)
        }
    }

    /// GETs `path` from the deployment's operations listener (`/readyz`, `/metrics`).
    static func operations(_ control: ShopsControl, _ path: String) async throws -> JSONReply {
        let port = await control.operationsPort()
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)"), timeout: .seconds(30))
        let text = String(buffer: try await response.body.collect(upTo: 64 << 20))
        return JSONReply(
            status: .init(code: Int(response.status.code)), headers: [:],
            object: (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:], text: text)
    }

    /// The emails shop `id` sent so far, oldest first.
    func emails(_ id: String) -> [SentEmail] { SentEmail.all(in: folder + "/mail/" + id) }
}

/// A client that names `host` in every request, as a browser reaching the shop by that name
/// would: in the Host header over a socket (`header`: AsyncHTTPClient keeps a Host header it is
/// given), else in the request target's absolute form (`http://HOST/path`, which takes precedence
/// over the Host header, RFC 9112 §3.2.2), since in process the framework always says `localhost`.
struct HostClient: TestClientProtocol {
    let base: any TestClientProtocol
    let host: String
    var header = false

    func executeRequest(uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws -> TestResponse {
        guard header else {
            return try await base.executeRequest(uri: uri.hasPrefix("/") ? "http://\(host)\(uri)" : uri, method: method, headers: headers, body: body)
        }
        var headers = headers
        headers[HTTPField.Name("Host")!] = host
        return try await base.executeRequest(uri: uri, method: method, headers: headers, body: body)
    }

    var port: Int? { base.port }
}

/// Asks `condition` until it holds or `seconds` pass (20 ms apart); whether it held. For what the
/// service does in its own time (a reload in the background, a watcher's look at a file).
func eventually(within seconds: Int = 15, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
