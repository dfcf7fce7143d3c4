import Foundation
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle
import Synchronization

/// The shops of a multi-shop deployment (`checkout serve --shops`), found by host name or id and
/// loaded on first use: a deployment of thousands of shops answers its first request in
/// milliseconds, and a shop nobody visits costs only its entry. A loaded shop keeps its router and
/// its background workers (email, outgoing webhooks, payment events) for as long as the process runs
/// or until the shops file drops or changes it (`replace`).
final class ShopDirectory: Sendable {
    /// A shop ready to answer: its state and its routes.
    struct Loaded: Sendable {
        let shop: Shop
        let responder: RouterResponder<CheckoutRequestContext>
        let entry: ShopsFile.ShopEntry
    }

    private struct State {
        var entries: [String: ShopsFile.ShopEntry] = [:]
        var hosts: [String: String] = [:]
        var loads: [String: Task<Loaded, any Error>] = [:]
        /// Shops whose last load failed, with why (the operator reads it in `/readyz`).
        var failures: [String: String] = [:]
        /// Shops not loaded yet whose site.yaml or secrets were missing at the last `preflight`.
        var preflightFailures: [String: String] = [:]
        /// Until when a shop whose load failed is not tried again, and the error it failed with: a
        /// client asking a broken shop over and over must not make the process read and parse its
        /// files over and over.
        var retryAfter: [String: (until: ContinuousClock.Instant, error: any Error)] = [:]
    }


    private let state = Mutex(State())
    /// The port the server listens on, once it does (shops loaded later start with it).
    private let boundPort = Mutex<Int?>(nil)
    private let boundOperationsPort = Mutex<(port: Int?, waiting: [CheckedContinuation<Int, Never>])>((nil, []))

    func operationsStarted(port: Int?) {
        guard let port else { return }
        let waiting = boundOperationsPort.withLock { state in
            state.port = port
            defer { state.waiting = [] }
            return state.waiting
        }
        for waiter in waiting { waiter.resume(returning: port) }
    }

    /// The operations listener's port, once it listens (waits until then).
    func operationsPort() async -> Int {
        await withCheckedContinuation { continuation in
            let port: Int? = boundOperationsPort.withLock { state in
                if state.port == nil { state.waiting.append(continuation) }
                return state.port
            }
            if let port { continuation.resume(returning: port) }
        }
    }
    let configuration: CheckoutConfiguration
    let storage: any CheckoutStorage
    let registry: PrometheusCollectorRegistry
    let logger: Logger
    let workers: ShopWorkers

    init(shops: ShopsFile, configuration: CheckoutConfiguration, storage: any CheckoutStorage, logger: Logger) {
        self.configuration = configuration
        self.storage = storage
        self.logger = logger
        registry = PrometheusCollectorRegistry()
        workers = ShopWorkers(logger: logger)
        replace(shops)
    }

    /// The shop `host` (a `Host` header: a name, maybe with a port) belongs to, loaded if it was not;
    /// nil for a host no shop lists.
    /// - Throws: the shop's load error (its catalog or secrets).
    func shop(host: String) async throws -> Loaded? {
        guard let id = state.withLock({ $0.hosts[Self.hostName(host)] }) else { return nil }
        return try await shop(id: id)
    }

    /// The shop with this id, loaded if it was not; nil when the shops file has none.
    func shop(id: String) async throws -> Loaded? {
        let task: Task<Loaded, any Error>? = try state.withLock { state in
            guard let entry = state.entries[id] else { return nil }
            if let loading = state.loads[id] { return loading }
            if let failed = state.retryAfter[id], failed.until > .now { throw failed.error }
            let loading = Task { try await self.load(entry) }
            state.loads[id] = loading
            return loading
        }
        guard let task else { return nil }
        do {
            return try await task.value
        } catch {
            // A request after the retry delay tries again (a secret file may have appeared, a
            // catalog been fixed). Of the requests that waited for this load, the first logs it.
            let first = state.withLock { state in
                guard state.loads[id] == task else { return false }
                state.loads[id] = nil
                state.failures[id] = "\(error)"
                state.retryAfter[id] = (.now + configuration.shopRetryDelay, error)
                return true
            }
            if first { logger.error("shop failed to load", metadata: ["shop": "\(id)", "error": "\(error)"]) }
            throw error
        }
    }

    private func load(_ entry: ShopsFile.ShopEntry) async throws -> Loaded {
        var logger = logger
        logger[metadataKey: "shop"] = "\(entry.id)"
        let configuration = try entry.configuration(base: configuration)
        let storage = storage
        let shop = try await CheckoutApp.makeShop(
            configuration, id: entry.id, metrics: CheckoutMetrics(registry: registry, shop: entry.id), logger: logger
        ) { storage }
        if let port = boundPort.withLock({ $0 }) { shop.address.serverStarted(port: port) }
        // The shop's gauges exist from its load, not its first scrape: swift-prometheus copies a
        // metric's every series to add one, so 30,000 new series at one scrape of 2,000 shops took
        // 5.6 s; one shop's at its load take milliseconds.
        OperationsController(shop: shop).setGauges(GaugeRecords.Facts())
        let responder = CheckoutApp.buildRouter(shop).buildResponder()
        workers.start(shop)
        state.withLock { state in
            state.failures[entry.id] = nil
            state.preflightFailures[entry.id] = nil
            state.retryAfter[entry.id] = nil
        }
        logger.info("shop loaded", metadata: ["hosts": "\(entry.hosts.joined(separator: ","))"])
        return Loaded(shop: shop, responder: responder, entry: entry)
    }

    func serverStarted(port: Int?) {
        boundPort.withLock { $0 = port }
        Task { for shop in await loadedShops() { shop.address.serverStarted(port: port) } }
    }

    /// Takes the shops file's new contents: new shops become reachable and removed ones unreachable
    /// at once (their workers stop); a loaded shop whose entry changed — or, with `reloadingAll`
    /// (SIGHUP), every loaded shop, for a rotated secret or an edited site — is loaded again in the
    /// background and takes over only once that load succeeded: until then, and for good if it
    /// fails, the shop as it was keeps answering. Unchanged shops answer throughout.
    func replace(_ shops: ShopsFile, reloadingAll: Bool = false) {
        let (removed, reloads) = state.withLock { state in
            var removed: [Task<Loaded, any Error>] = []
            var reloads: [(entry: ShopsFile.ShopEntry, old: Task<Loaded, any Error>)] = []
            let new = Dictionary(shops.shops.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            for (id, task) in state.loads {
                guard let entry = new[id] else {
                    removed.append(task)
                    state.loads[id] = nil
                    continue
                }
                if reloadingAll || entry != state.entries[id] { reloads.append((entry, task)) }
            }
            // A failure stands for the shop as it was listed; a changed or removed shop's goes.
            let old = state.entries
            let unchanged = { (id: String) in !reloadingAll && new[id] != nil && new[id] == old[id] }
            state.failures = state.failures.filter { unchanged($0.key) }
            state.preflightFailures = state.preflightFailures.filter { unchanged($0.key) }
            state.retryAfter = state.retryAfter.filter { unchanged($0.key) }
            state.entries = new
            state.hosts = [:]
            for shop in shops.shops { for host in shop.hosts { state.hosts[host] = shop.id } }
            return (removed, reloads)
        }
        for task in removed {
            Task { [workers] in if let loaded = try? await task.value { workers.stop(loaded.shop) } }
        }
        for reload in reloads {
            Task { await self.reload(reload.entry, replacing: reload.old) }
        }
    }

    /// Loads `entry` again beside the shop loaded as `old`, and puts it in its place if it loaded
    /// and nothing replaced `old` meanwhile.
    private func reload(_ entry: ShopsFile.ShopEntry, replacing old: Task<Loaded, any Error>) async {
        do {
            let fresh = try await load(entry)
            let swapped = state.withLock { state in
                guard state.loads[entry.id] == old, state.entries[entry.id] == entry else { return false }
                state.loads[entry.id] = Task { fresh }
                return true
            }
            if swapped {
                if let previous = try? await old.value { workers.stop(previous.shop) }
            } else {
                workers.stop(fresh.shop)
            }
        } catch {
            state.withLock { $0.failures[entry.id] = "\(error)" }
            logger.error(
                "shop not reloaded; it keeps answering as it was", metadata: ["shop": "\(entry.id)", "error": "\(error)"])
        }
    }

    /// Checks, without loading them, what every listed shop not loaded yet needs first — its
    /// `site.yaml` and its secrets — so `/readyz` names a shop that cannot load before anyone visits
    /// it. A few file lookups a shop: a pass over thousands of shops takes milliseconds. A shop that
    /// passes may be tried again at once, though its last load failed moments ago.
    func preflight() {
        let entries = state.withLock { state in state.entries.values.filter { state.loads[$0.id] == nil } }
        var failures: [String: String] = [:]
        for entry in entries {
            do {
                _ = try entry.configuration(base: configuration)
                guard FileManager.default.fileExists(atPath: entry.siteFolder + "/site.yaml") else {
                    throw StartupError(description: "shop '\(entry.id)': no site.yaml in \(entry.siteFolder)")
                }
            } catch {
                failures[entry.id] = "\(error)"
                logger.error("shop cannot load", metadata: ["shop": "\(entry.id)", "error": "\(error)"])
            }
        }
        state.withLock { state in
            // Only for the shops as they were checked: a reload meanwhile decides for the others.
            for entry in entries where state.entries[entry.id] == entry && state.loads[entry.id] == nil {
                state.preflightFailures[entry.id] = failures[entry.id]
                if failures[entry.id] == nil { state.retryAfter[entry.id] = nil }
            }
        }
    }

    /// Every shop the file lists, and the shops whose last load failed with why.
    var status: (listed: [String], loaded: Int, failures: [String: String]) {
        state.withLock { ($0.entries.keys.sorted(), $0.loads.count, $0.failures.merging($0.preflightFailures) { load, _ in load }) }
    }

    /// The shops loaded so far (for scrape-time gauges).
    func loadedShops() async -> [Shop] {
        let tasks = state.withLock { Array($0.loads.values) }
        var shops: [Shop] = []
        for task in tasks { if let loaded = try? await task.value { shops.append(loaded.shop) } }
        return shops
    }

    /// A `Host` header's name: lower-cased, without its port or a final dot (`[::1]:8080` → `[::1]`,
    /// `Shop.Example.:443` → `shop.example`).
    static func hostName(_ host: String) -> String {
        let lowered = host.lowercased()
        if lowered.hasPrefix("[") { return lowered.firstIndex(of: "]").map { String(lowered[...$0]) } ?? lowered }
        let name = lowered.split(separator: ":", maxSplits: 1).first.map(String.init) ?? lowered
        return name.hasSuffix(".") ? String(name.dropLast()) : name
    }
}
