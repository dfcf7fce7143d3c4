import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOHTTP1
import ShopCore
import Synchronization
import TestSupport
import Testing

@testable import CheckoutKit

/// Issue 12's proof: one PostgreSQL, three `checkout serve` processes on loopback, a mixed load
/// spread over them at random, one of them killed with SIGKILL midway and started again. At the
/// end nothing is lost, nothing doubled, nothing priced from a stale cart.
///
/// Runs on the suite's PostgreSQL server (`CHECKOUT_TEST_POSTGRES_URL`, which `scripts/test.sh`
/// starts), or starts one of its own with `scripts/postgres-server.sh` when there is none.
@Suite(.serialized) struct ClusterTests {
    static let secret = "whsec_cluster"

    @Test(.timeLimit(.minutes(6))) func threeInstancesUnderMixedLoadLoseNothingAndDoubleNothing() async throws {
        let server = try ClusterDatabaseServer()
        defer { server.stop() }
        let databaseURL = try server.createDatabase()
        let checkout = try TestCheckout()
        let mail = try await FakeSMTPServer.withServer { smtp in
            try await Receiver.withReceiver { hooksA in
                try await Receiver.withReceiver { hooksB in
                    let arguments = [
                        "--database-url", databaseURL, "--database-connections", "8", "--site", checkout.folder + "/site",
                        "--smtp-url", "smtp://127.0.0.1:\(smtp.port)", "--queue-lease", "10", "--webhook-timeout", "5",
                        "--login-limit-per-address", "5", "--lead-limit-per-ip", "1000",
                    ]
                    // Three starts at once on an empty database: one migrates, the others wait for it.
                    let cluster = try await Cluster.start(count: 3, arguments: arguments, environment: ["CHECKOUT_WEBHOOK_SECRET": Self.secret])
                    defer { cluster.stopAll() }
                    // `checkout webhooks add` as an operator runs it, while the instances serve.
                    for hooks in [hooksA, hooksB] {
                        let added = try await runCheckout(["webhooks", "add", hooks.url, "--events", OutgoingEvents.types.joined(separator: ","),
                                                           "--database-url", databaseURL])
                        #expect(added.status == 0, "\(added.errors)")
                    }
                    let load = Load(cluster: cluster)
                    defer { Task { [load] in try? await load.client.shutdown() } }
                    var random = SplitMix64(seed: 12)
                    let observer = try await Observer(databaseURL: databaseURL, checkout: checkout)
                    try await load.run(rounds: 6, random: &random)
                    // Midway: one instance dies without a word, holding whatever it had claimed. What it
                    // had sent and not yet recorded is sent again when its lease ends (at least once,
                    // as Stripe's webhooks): those, and only those, may arrive twice.
                    let killed = try await cluster.killInstance(1)
                    let heldMail = Set(try await observer.strings("SELECT id FROM outbox WHERE claimed_by = ?", killed))
                    let heldHooks = Set(try await observer.strings("""
                        SELECT e.url || ' ' || d.event_id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
                        WHERE d.claimed_by = ?
                        """, killed))
                    try await load.run(rounds: 2, random: &random)
                    try await cluster.restart(1)
                    try await load.run(rounds: 6, random: &random)
                    try await load.rateLimitBurst()

                    // Everything settles: events applied, emails sent, webhooks delivered.
                    try await observer.waitUntilSettled()
                    let expectedMail = try await observer.count("SELECT COUNT(*) FROM outbox WHERE sent_at IS NOT NULL")
                    #expect(try await observer.count("SELECT COUNT(*) FROM outbox") == expectedMail, "every email sent")
                    let sessions = await smtp.sessions(atLeast: expectedMail)
                    let messages = sessions.flatMap(\.messages).map { String(decoding: $0.data, as: UTF8.self) }
                    let mailIDs = messages.compactMap { $0.split(separator: "\r\n").first { $0.hasPrefix("Message-ID:") }.map(String.init) }
                    #expect(Set(mailIDs).count == expectedMail, "each email reached the relay")
                    for (id, count) in Dictionary(grouping: mailIDs, by: { $0 }).mapValues(\.count) where count > 1 {
                        let mail = id.split(separator: "<").last?.split(separator: "@").first.map(String.init) ?? id
                        #expect(count == 2 && heldMail.contains(mail), "\(id) sent \(count) times")
                    }

                    let deliveries = try await observer.count("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'delivered'")
                    #expect(try await observer.count("SELECT COUNT(*) FROM webhook_deliveries") == deliveries, "every webhook delivered")
                    // Attempts that failed (an answer later than the timeout, on two busy cores) were
                    // sent again, as they should be, and so was what the killed instance held. Any
                    // other second delivery is a fault.
                    let retried = Set(try await observer.strings("""
                        SELECT e.url || ' ' || d.event_id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id
                        WHERE d.attempts > 1
                        """))
                    for hooks in [hooksA, hooksB] {
                        let received = hooks.deliveries().map(\.event)
                        #expect(Set(received).count * 2 == deliveries, "each endpoint got every event")
                        for (event, count) in Dictionary(grouping: received, by: { $0 }).mapValues(\.count) where count > 1 {
                            let key = hooks.url + " " + event
                            #expect(retried.contains(key) || (count == 2 && heldHooks.contains(key)), "\(event) delivered \(count) times to \(hooks.url)")
                        }
                    }

                    try await observer.checkOrders(load)
                    try await observer.checkMemberships(load)
                    await observer.close()
                    return messages.count
                }
            }
        }
        #expect(mail > 0)
    }
}

/// The three `checkout serve` processes, each reachable at its own port.
final class Cluster: Sendable {
    private let instances: Mutex<[ServerProcess?]>
    private let logs: Mutex<[ServerLog?]>
    let arguments: [String]
    let environment: [String: String]

    private init(instances: [ServerProcess], logs: [ServerLog], arguments: [String], environment: [String: String]) {
        self.instances = Mutex(instances)
        self.logs = Mutex(logs)
        self.arguments = arguments
        self.environment = environment
    }

    static func start(count: Int, arguments: [String], environment: [String: String]) async throws -> Cluster {
        // Started at once, as a platform scaling out starts them.
        let started = try await withThrowingTaskGroup(of: ServerProcess.self) { group in
            for _ in 0..<count { group.addTask { try await ServerProcess.start(arguments, environment: environment) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let logs = started.map { $0.keepReadingLog() }
        return Cluster(instances: started, logs: logs, arguments: arguments, environment: environment)
    }

    /// The base URLs of the running instances.
    var bases: [String] { instances.withLock { $0.compactMap { $0?.base } } }

    /// Kills instance `index` with SIGKILL; returns the name its claims carried (`claims_as` in its log).
    func killInstance(_ index: Int) async throws -> String {
        guard let instance = instances.withLock({ $0[index] }) else { throw TestFailure("instance \(index) is not running") }
        kill(instance.process.processIdentifier, SIGKILL)
        try await offCooperativePool { instance.process.waitUntilExit() }
        instances.withLock { $0[index] = nil }
        let log = instance.startupLog + (logs.withLock { $0[index] }?.lines.joined(separator: "\n") ?? "")
        guard let range = log.range(of: #""claims_as":"([^"]+)""#, options: .regularExpression) else {
            throw TestFailure("the killed instance's log names no claims_as:\n\(log.prefix(2000))")
        }
        return String(log[range].dropFirst(#""claims_as":""#.count).dropLast())
    }

    func restart(_ index: Int) async throws {
        let instance = try await ServerProcess.start(arguments, environment: environment)
        let log = instance.keepReadingLog()
        instances.withLock { $0[index] = instance }
        logs.withLock { $0[index] = log }
    }

    func stopAll() {
        for instance in instances.withLock({ $0 }).compactMap({ $0 }) { instance.process.terminate() }
    }
}

/// What the load did, for the checks at the end.
final class Load: Sendable {
    let cluster: Cluster
    let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
    struct Placed: Sendable {
        let id: String
        let token: String
        let email: String
        /// The SKUs the cart held in each state it may have been in at checkout.
        let possibleCarts: [Set<String>]
    }
    let orders = Mutex<[Placed]>([])
    let members = Mutex<[String]>([])
    let leads = Mutex<[String]>([])
    let burst = Mutex<[Int]>([])

    /// Products the load buys: sold, with files, without variants (so a line grants its own SKU).
    static let skus: [String] = exampleCatalog.catalog.products.filter { product in
        // Sold without end (a limited one would run out under load) and delivered as files.
        product.status == .active && !product.files.isEmpty && product.stock == nil && product.delivery == .file
            && !exampleCatalog.catalog.variants.contains { $0.product == product.sku }
    }.map(\.sku).sorted()

    init(cluster: Cluster) { self.cluster = cluster }

    /// Any running instance.
    func instance(_ random: inout SplitMix64) -> String {
        let bases = cluster.bases
        return bases[Int(random.next() % UInt64(bases.count))]
    }

    func call(_ method: HTTPMethod, _ url: String, _ body: [String: Any]? = nil, headers: [String: String] = [:]) async throws -> (status: Int, json: [String: Any]) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: body)))
        }
        let response = try await client.execute(request, timeout: .seconds(30))
        let data = Data(buffer: try await response.body.collect(upTo: 1 << 20))
        return (Int(response.status.code), (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:])
    }

    func post(_ url: String, raw: Data, headers: [String: String]) async throws -> Int {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(data: raw))
        return Int(try await client.execute(request, timeout: .seconds(30)).status.code)
    }

    /// One round: purchases (with and without keys, one key sent to two instances at once, one cart
    /// changed on another instance while it is checked out), a membership whose events arrive out of
    /// order and twice at different instances, a lead, and downloads.
    func run(rounds: Int, random: inout SplitMix64) async throws {
        for round in 0..<rounds {
            let seeds = (0..<8).map { _ in random.next() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { [seeds] in var r = SplitMix64(seed: seeds[0]); try await self.purchase(key: nil, random: &r) }
                group.addTask { [seeds] in var r = SplitMix64(seed: seeds[1]); try await self.purchase(key: "k-\(UUID().uuidString)", random: &r) }
                group.addTask { [seeds] in var r = SplitMix64(seed: seeds[2]); try await self.purchaseWithOneKeyAtTwoInstances(random: &r) }
                group.addTask { [seeds] in var r = SplitMix64(seed: seeds[3]); try await self.purchaseWhileTheCartChanges(random: &r) }
                group.addTask { [seeds] in var r = SplitMix64(seed: seeds[4]); try await self.membership(random: &r) }
                group.addTask { [seeds] in var r = SplitMix64(seed: seeds[5]); try await self.lead(round: round, random: &r) }
                try await group.waitForAll()
            }
        }
    }

    private func newCart(_ skus: [String], random: inout SplitMix64) async throws -> String {
        let reply = try await call(.POST, instance(&random) + "/api/carts", ["lines": skus.map { ["sku": $0, "quantity": 1] }])
        #expect(reply.status == 201, "\(reply.json)")
        return reply.json["id"] as? String ?? ""
    }

    private func pickSKUs(_ random: inout SplitMix64) -> [String] {
        let first = Self.skus[Int(random.next() % UInt64(Self.skus.count))]
        let second = Self.skus[Int(random.next() % UInt64(Self.skus.count))]
        return Array(Set([first, second])).sorted()
    }

    private func checkout(cart: String, email: String, key: String?, at base: String) async throws -> (status: Int, json: [String: Any]) {
        try await call(.POST, base + "/api/checkout", ["cart_id": cart, "email": email], headers: key.map { ["Idempotency-Key": $0] } ?? [:])
    }

    /// Pays at any instance (the payment page's path, on another instance's address), then
    /// downloads the first file from any instance.
    private func payAndDownload(_ placed: [String: Any], email: String, carts: [Set<String>], random: inout SplitMix64) async throws {
        let paymentURL = placed["payment_url"] as? String ?? ""
        let path = String(paymentURL.drop { $0 != "/" }.dropFirst(2).drop { $0 != "/" })
        let paid = try await call(.POST, instance(&random) + path + "/pay")
        #expect(paid.status == 302, "pay \(path): \(paid.status)")
        let (id, token) = (placed["order_id"] as? String ?? "", placed["order_token"] as? String ?? "")
        orders.withLock { $0.append(Placed(id: id, token: token, email: email, possibleCarts: carts)) }
        let order = try await call(.GET, instance(&random) + "/api/orders/\(id)?token=\(token)")
        let downloads = order.json["downloads"] as? [[String: Any]]
        if let url = (downloads?.first?["files"] as? [[String: Any]])?.first?["url"] as? String {
            let path = String(url.drop { $0 != "/" }.dropFirst(2).drop { $0 != "/" })
            #expect(try await call(.GET, instance(&random) + path).status == 200)
        }
    }

    private func purchase(key: String?, random: inout SplitMix64) async throws {
        let skus = pickSKUs(&random)
        let cart = try await newCart(skus, random: &random)
        let email = "buyer-\(UUID().uuidString.prefix(8).lowercased())@example.com"
        let placed = try await checkout(cart: cart, email: email, key: key, at: instance(&random))
        #expect(placed.status == 201, "\(placed.json)")
        if key != nil {
            // The client retries at another instance: the same order comes back.
            let again = try await checkout(cart: cart, email: email, key: key, at: instance(&random))
            #expect(again.json["order_id"] as? String == placed.json["order_id"] as? String)
        }
        try await payAndDownload(placed.json, email: email, carts: [Set(skus)], random: &random)
    }

    private func purchaseWithOneKeyAtTwoInstances(random: inout SplitMix64) async throws {
        let skus = pickSKUs(&random)
        let cart = try await newCart(skus, random: &random)
        let email = "keyed-\(UUID().uuidString.prefix(8).lowercased())@example.com"
        let key = "twice-\(UUID().uuidString)"
        let bases = cluster.bases
        let (a, b) = (bases[Int(random.next() % UInt64(bases.count))], bases[Int(random.next() % UInt64(bases.count))])
        async let first = checkout(cart: cart, email: email, key: key, at: a)
        async let second = checkout(cart: cart, email: email, key: key, at: b)
        let (one, two) = try await (first, second)
        #expect(one.status == 201 && two.status == 201, "\(one.json) \(two.json)")
        #expect(one.json["order_id"] as? String == two.json["order_id"] as? String, "one key, one order")
        try await payAndDownload(one.json, email: email, carts: [Set(skus)], random: &random)
    }

    private func purchaseWhileTheCartChanges(random: inout SplitMix64) async throws {
        let skus = pickSKUs(&random)
        let extra = Self.skus.first { !skus.contains($0) } ?? Self.skus[0]
        let cart = try await newCart(skus, random: &random)
        _ = try await call(.GET, instance(&random) + "/api/carts/\(cart)")
        let email = "raced-\(UUID().uuidString.prefix(8).lowercased())@example.com"
        let (adder, payer) = (instance(&random), instance(&random))
        async let added = call(.POST, adder + "/api/carts/\(cart)/lines", ["sku": extra, "quantity": 1])
        async let placed = checkout(cart: cart, email: email, key: nil, at: payer)
        let (add, order) = try await (added, placed)
        #expect(add.status == 200 && order.status == 201, "\(add.json) \(order.json)")
        try await payAndDownload(order.json, email: email, carts: [Set(skus), Set(skus + [extra])], random: &random)
    }

    private func membership(random: inout SplitMix64) async throws {
        let email = "member-\(UUID().uuidString.prefix(8).lowercased())@example.com"
        let reply = try await call(.POST, instance(&random) + "/api/plans/homeschool-helper/checkout", ["email": email])
        #expect(reply.status == 201, "\(reply.json)")
        let order = reply.json["order_id"] as? String ?? ""
        let start = Int(Date().timeIntervalSince1970)
        let events = SubscriptionOrderingTests.lifecycle(order: order, subscription: "sub_" + order, start: start, endsCanceled: false)
        // Shuffled, and each sent twice at once to two instances.
        var indices = Array(events.indices)
        indices.shuffle(using: &random)
        let factory = EventFactory(secret: ClusterTests.secret, now: start)
        for index in indices {
            let event = events[index]
            let payload = try factory.payload(event.type, id: "evt_\(order)_\(index)", created: event.created, object: event.object)
            let headers = ["Stripe-Signature": factory.header(payload), "Content-Type": "application/json"]
            let (a, b) = (instance(&random), instance(&random))
            async let first = post(a + "/webhooks/stripe", raw: payload, headers: headers)
            async let second = post(b + "/webhooks/stripe", raw: payload, headers: headers)
            let statuses = try await [first, second]
            #expect(statuses == [200, 200])
        }
        members.withLock { $0.append(email) }
    }

    private func lead(round: Int, random: inout SplitMix64) async throws {
        let email = "lead-\(UUID().uuidString.prefix(8).lowercased())@example.com"
        let magnet = exampleCatalog.catalog.leadMagnets[round % exampleCatalog.catalog.leadMagnets.count].slug
        let reply = try await call(.POST, instance(&random) + "/api/leads", ["email": email, "magnet": magnet])
        #expect(reply.status == 202, "\(reply.json)")
        leads.withLock { $0.append(email) }
    }

    /// Eight sign-in requests for one address, spread over the instances: the limit of 5 an hour
    /// holds for all of them together.
    func rateLimitBurst() async throws {
        // Windows start on the hour: a burst must not straddle one (a wait of at most 5 s, once an hour).
        let second = Int(Date().timeIntervalSince1970) % 3600
        if second > 3595 { try await Task.sleep(for: .seconds(3601 - second)) }
        let bases = cluster.bases
        var statuses: [Int] = []
        for index in 0..<8 {
            statuses.append(try await call(.POST, bases[index % bases.count] + "/api/account/login", ["email": "burst@example.com"]).status)
        }
        #expect(statuses.filter { $0 == 202 }.count == 5, "\(statuses)")
        #expect(statuses.filter { $0 == 429 }.count == 3, "\(statuses)")
    }
}

/// Reads the shared database at the end, as an operator would: a shop over it that serves nothing.
struct Observer {
    let shop: Shop
    let control: CheckoutControl

    init(databaseURL: String, checkout: TestCheckout) async throws {
        var configuration = checkout.configuration
        configuration.databaseURL = databaseURL
        configuration.clock = .system
        var logger = Logger(label: "observer")
        logger.logLevel = .critical
        shop = try await CheckoutApp.makeShop(configuration, logger: logger)
        control = CheckoutControl(shop: shop)
    }

    func count(_ sql: String) async throws -> Int {
        try await shop.storage.read { tx in try tx.sql.value(sql) ?? 0 }
    }

    func strings(_ sql: String, _ arguments: String...) async throws -> [String] {
        try await shop.storage.read { tx in try tx.sql.query(sql, arguments.map(\.sqlValue)).map { try $0[0] as String } }
    }

    /// Waits (up to a minute) until every event is processed, every email sent and every webhook
    /// delivered: the condition is read from the database every 200 ms until it holds.
    func waitUntilSettled() async throws {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            let waiting = try await count("""
                SELECT (SELECT COUNT(*) FROM webhook_events WHERE processed_at IS NULL)
                     + (SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL)
                     + (SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending')
                """)
            if waiting == 0 { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        Issue.record("the cluster did not settle within a minute")
    }

    /// Every paid order: once in the database, priced from the catalog as one of the carts it may
    /// have been checked out from, and its buyer entitled to exactly what it bought.
    func checkOrders(_ load: Load) async throws {
        let placed = load.orders.withLock { $0 }
        #expect(try await count("SELECT COUNT(*) FROM orders WHERE kind = 'purchase'") == placed.count, "no order doubled")
        #expect(Set(placed.map(\.id)).count == placed.count)
        for order in placed {
            let stored = try await shop.storage.read { tx in try tx.orders.find(order.id) }
            let lines = stored?.lines ?? []
            let skus = Set(lines.map(\.sku))
            #expect(order.possibleCarts.contains(skus), "order \(order.id) holds \(skus)")
            for line in lines {
                let price = exampleCatalog.catalog.products.first { $0.sku == line.sku }?.price.amount
                #expect(line.unitPrice == price && line.total == line.unitPrice * Int64(line.quantity), "\(line.sku) charged \(line.unitPrice)")
            }
            #expect(stored?.total == lines.reduce(0) { $0 + $1.total })
            let items = Set(try await control.entitlements(of: order.email).map { String($0.split(separator: " ")[0]) })
            #expect(items == Set(skus.map { "product:" + $0 }), "\(order.email): \(items)")
        }
    }

    /// Every member, whatever order their events came in and however often, has the plan's niche.
    func checkMemberships(_ load: Load) async throws {
        let homeschool = Set(exampleCatalog.productsByNiche["homeschool"]!.map { "product:" + $0.sku })
        for email in load.members.withLock({ $0 }) {
            let items = Set(try await control.entitlements(of: email).map { String($0.split(separator: " ")[0]) })
            #expect(items == homeschool, "\(email)")
        }
    }

    func close() async { await shop.storage.close() }
}

/// An operator's endpoint that records each delivery's event id and arrival time.
final class Receiver: Sendable {
    private let received = Mutex<[(event: String, at: ContinuousClock.Instant)]>([])
    let url: String

    private init(url: String) { self.url = url }

    func deliveries() -> [(event: String, at: ContinuousClock.Instant)] { received.withLock { $0 } }

    static func withReceiver<T: Sendable>(_ body: @escaping @Sendable (Receiver) async throws -> T) async throws -> T {
        let holder = Mutex<Receiver?>(nil)
        let router = Router()
        router.post("/hooks") { request, _ -> Response in
            var request = request
            let data = Data(buffer: try await request.collectBody(upTo: 1 << 20))
            let event = ((try? JSONSerialization.jsonObject(with: data)) as? [String: Any])?["id"] as? String ?? "?"
            holder.withLock { $0 }?.received.withLock { $0.append((event, .now)) }
            return Response(status: .ok)
        }
        let result = Mutex<T?>(nil)
        try await Application(router: router).test(.live) { client in
            let receiver = Receiver(url: "http://127.0.0.1:\(client.port ?? 0)/hooks")
            holder.withLock { $0 = receiver }
            let value = try await body(receiver)
            result.withLock { $0 = value }
        }
        guard let value = result.withLock({ $0 }) else { throw TestFailure("the receiver's body returned nothing") }
        return value
    }
}

/// The PostgreSQL server the cluster uses: the suite's, or one started for this test.
struct ClusterDatabaseServer {
    let url: String
    let ownFolder: String?

    init() throws {
        if let url = TestDatabases.serverURL {
            self.url = url
            ownFolder = nil
            return
        }
        let (status, output) = try runProgram(repositoryRoot + "/scripts/postgres-server.sh", ["start"]) as (status: Int32, output: String)
        guard status == 0, let line = output.split(separator: "\n").first(where: { $0.hasPrefix("export ") }) else {
            throw TestFailure("could not start PostgreSQL for the cluster test:\n\(output)")
        }
        var values: [String: String] = [:]
        for pair in line.dropFirst("export ".count).split(separator: " ") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { values[String(parts[0])] = String(parts[1]) }
        }
        guard let url = values["CHECKOUT_TEST_POSTGRES_URL"], let folder = values["PG_TEST_DIR"] else {
            throw TestFailure("scripts/postgres-server.sh printed no URL:\n\(output)")
        }
        self.url = url
        ownFolder = folder
    }

    /// A new, empty database (the instances migrate it).
    func createDatabase() throws -> String { try TestDatabases.create("", server: url) }

    func stop() {
        guard let ownFolder else { return }
        _ = try? runProgram(repositoryRoot + "/scripts/postgres-server.sh", ["stop", ownFolder]) as (status: Int32, output: String)
    }
}
