import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

extension CheckoutApp {
    /// A multi-shop deployment (`configuration.shopsFile`): one server and one database for every
    /// shop the shops file lists, each found by its host (`ShopDispatcher`), loaded on first use and
    /// kept apart in every row (`ShopStorage`). A change of the shops file, or SIGHUP, takes effect
    /// without a restart (`ShopsFileWatcher`). The deployment's `/readyz` and `/metrics` are on a
    /// listener of their own (`configuration.operationsPort`), for the operator's network only.
    /// - Throws: `StartupError` for a shops file that does not read, or a database that does not open.
    public static func makeShops(
        _ configuration: CheckoutConfiguration, logger: Logger
    ) async throws -> (application: some ApplicationProtocol, control: ShopsControl) {
        try checkLease(configuration)
        guard let path = configuration.shopsFile else { throw StartupError(description: "no shops file given (--shops)") }
        let shops = try ShopsFile.load(path)
        let storage = try await configuration.storageLocation.open(connections: configuration.databaseConnections, logger: logger)
        logger.info("database opened", metadata: ["database": "\(configuration.storageLocation)", "shops": "\(shops.shops.count)"])
        let directory = ShopDirectory(shops: shops, configuration: configuration, storage: storage, logger: logger)
        let connections = ConnectionLimit(maximum: configuration.maxConnections)
        var operations: [any Service] = []
        if let port = configuration.operationsPort {
            operations.append(Application(
                router: operationsRouter(directory),
                configuration: .init(address: .hostname(configuration.host, port: port), serverName: "checkout-operations"),
                onServerRunning: { channel in directory.operationsStarted(port: channel.localAddress?.port) }, logger: logger))
        } else {
            logger.notice("no --operations-port: the deployment's /readyz and /metrics are not served")
        }
        let application = Application(
            responder: ShopDispatcher(directory: directory),
            server: .http1(configuration: .init(
                additionalChannelHandlers: [connections.handler()], idleTimeout: TimeAmount(configuration.idleTimeout))),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "checkout"),
            // The storage's services first: they stop last, after the workers that use the database.
            services: storage.services + [
                directory.workers, ShopsFileWatcher(path: path, directory: directory, logger: logger),
                DueWorkScanner(directory: directory, clock: configuration.clock, logger: logger),
            ] + CheckoutApp.operationsJobs(configuration, storage, registry: directory.registry, logger: logger) + operations,
            onServerRunning: { channel in directory.serverStarted(port: channel.localAddress?.port) },
            logger: logger)
        return (application, ShopsControl(directory: directory))
    }

    /// `/healthz`, `/readyz` and `/metrics` of the whole deployment, on the operations listener.
    static func operationsRouter(_ directory: ShopDirectory) -> Router<CheckoutRequestContext> {
        let router = Router(context: CheckoutRequestContext.self)
        router.get("/healthz") { _, _ in try jsonResponse(["status": "ok"]) }
        router.get("/readyz") { _, _ in
            let database = await directory.storage.isReady()
            let status = directory.status
            var response = try jsonResponse(
                DeploymentReadiness(
                    status: database ? "ready" : "not ready", database: database, shops: status.listed.count, shopsLoaded: status.loaded,
                    shopsFailing: status.failures.keys.sorted()),
                status: database ? .ok : .serviceUnavailable)
            response.headers[.cacheControl] = "no-store"
            return response
        }
        router.get("/metrics") { _, _ in
            // Every loaded shop's gauges from one read of each kind of fact across shops.
            let facts = try await directory.storage.read { tx in try tx.gauges.everyShop() }
            for shop in await directory.loadedShops() { OperationsController(shop: shop).setGauges(facts[shop.id] ?? .init()) }
            let ready = await directory.storage.isReady()
            directory.registry.makeGauge(
                descriptor: .named("checkout_ready", help: "1 while /readyz answers ready, else 0.")).set(Int64(ready ? 1 : 0))
            if let backups = directory.configuration.backups {
                BackupSchedule.setGauges(backups, registry: directory.registry, now: directory.configuration.clock.seconds)
            }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: directory.registry.emitToBuffer())))
        }
        return router
    }

    /// Whether the deployment serves: its database answers. A shop that failed to load is named in
    /// `shops_failing` (why is in the log) while the others keep serving.
    struct DeploymentReadiness: Encodable {
        let status: String
        let database: Bool
        let shops: Int
        let shopsLoaded: Int
        let shopsFailing: [String]

        enum CodingKeys: String, CodingKey {
            case status, database, shops
            case shopsLoaded = "shops_loaded"
            case shopsFailing = "shops_failing"
        }
    }
}

/// A handle on a multi-shop deployment for tests and tools: each shop's background work on demand,
/// and the shops file read again.
public struct ShopsControl: Sendable {
    let directory: ShopDirectory

    /// The operations listener's port, once it listens (`CheckoutConfiguration.operationsPort`; waits
    /// until then, so only with one configured).
    public func operationsPort() async -> Int { await directory.operationsPort() }

    /// The shop `id`'s control, loading the shop; nil when the shops file has no such shop.
    public func shop(_ id: String) async throws -> CheckoutControl? {
        try await directory.shop(id: id).map { CheckoutControl(shop: $0.shop) }
    }

    /// Looks once for shops with background work due and wakes them, loading any not loaded (what
    /// `DueWorkScanner` does every second); returns their ids.
    public func scanDueWork() async -> Set<String> {
        await DueWorkScanner(directory: directory, clock: directory.configuration.clock, logger: directory.logger).scan()
    }

    /// Checks every shop not loaded yet for its site.yaml and secrets (what the deployment does at
    /// start and after each reload), so `/readyz` names those that cannot load.
    public func preflight() { directory.preflight() }

    /// Reads the shops file again and applies it, loading every loaded shop again in the background
    /// (what SIGHUP does).
    public func reload() throws {
        guard let path = directory.configuration.shopsFile else { return }
        directory.replace(try ShopsFile.load(path), reloadingAll: true)
    }
}
