import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import ShopCore
import Synchronization
import Testing

@testable import CheckoutKit

/// Several instances over one database (issue 12): what one instance wrote, every other one sees;
/// what one claimed, no other sends; what one counted, every other counts on. In process, on
/// whichever backend the suite runs (`TestCheckout`); `ClusterTests` does it with real processes.
@Suite struct InstanceTests {
    /// Instance A has the cart in its cache; B adds a line; A's checkout charges both lines, as the
    /// cart is in the database when the order commits, not as A last saw it.
    @Test func anOrderIsPricedFromTheCartAsItIsWhenItCommitsWhicheverInstanceChangedIt() async throws {
        let checkout = try TestCheckout()
        try await checkout.instances(2) { clients, _ in
            let (a, b) = (clients[0], clients[1])
            let cart = try await a.cart([("KB-NOAH-COLORING-A4", 1)])
            let before = try await a.json(.get, "/api/carts/\(cart)")
            let added = try await b.json(.post, "/api/carts/\(cart)/lines", ["sku": "HS-DIGITAL-PLANNER", "quantity": 2])
            #expect(added.status == .ok, "\(added.text)")
            let total = try #require(added.amount("total"))
            #expect(total > (before.amount("total") ?? 0))
            let placed = try await a.json(.post, "/api/checkout", ["cart_id": cart, "email": "two@example.com"])
            #expect(placed.status == .created, "\(placed.text)")
            let order = try await a.json(
                .get, "/api/orders/\(placed["order_id"] as? String ?? "")?token=\(placed["order_token"] as? String ?? "")")
            #expect(order.amount("total") == total)
            #expect((order["lines"] as? [[String: Any]])?.count == 2)
        }
    }

    /// The same `Idempotency-Key` sent to three instances at once makes one order, and each gets it.
    @Test func theSameIdempotencyKeyOnThreeInstancesAtOnceMakesOneOrder() async throws {
        let checkout = try TestCheckout()
        try await checkout.instances(3) { clients, _ in
            let cart = try await clients[0].cart([("HS-DIGITAL-PLANNER", 1)])
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "instances-\(UUID().uuidString)"]
            let replies = try await withThrowingTaskGroup(of: (status: HTTPResponse.Status, order: String?, text: String).self) { group in
                for client in clients + clients {
                    group.addTask {
                        let reply = try await client.json(.post, "/api/checkout", ["cart_id": cart, "email": "key@example.com"], headers: key)
                        return (reply.status, reply["order_id"] as? String, reply.text)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(replies.allSatisfy { $0.status == .created }, "\(replies.map(\.text))")
            #expect(Set(replies.compactMap(\.order)).count == 1)
        }
    }

    /// A payment event delivered to two instances at once is applied once: one paid order, one receipt.
    @Test func theSameWebhookEventOnTwoInstancesAtOnceIsAppliedOnce() async throws {
        let checkout = try TestCheckout()
        let events = EventFactory(secret: TestCheckout.secret, now: Int(checkout.time.now.timeIntervalSince1970))
        try await checkout.instances(2) { clients, controls in
            let order = try await clients[0].pendingOrder()
            let payload = try events.payload("checkout.session.completed", object: [
                "id": "cs_two", "object": "checkout.session", "client_reference_id": order.id, "payment_status": "paid",
                "payment_intent": "pi_two",
            ])
            let replies = try await withThrowingTaskGroup(of: (status: HTTPResponse.Status, duplicate: Bool?, text: String).self) { group in
                for client in clients + clients {
                    group.addTask {
                        let reply = try await client.webhook(payload, signature: events.header(payload))
                        return (reply.status, reply["duplicate"] as? Bool, reply.text)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(replies.allSatisfy { $0.status == .ok }, "\(replies.map(\.text))")
            #expect(replies.filter { $0.duplicate == false }.count == 1)
            #expect(try await clients[1].status(of: order) == "paid")
            // One receipt queued (`QueueClaimTests` counts that each queued email is sent once).
            let storage = try await checkout.configuration.storageLocation.open(logger: Logger(label: "test"))
            let receipts: Int? = try await storage.read { tx in try tx.sql.value("SELECT COUNT(*) FROM outbox WHERE recipient = 'w@example.com'") }
            await storage.close()
            #expect(receipts == 1)
        }
    }

    /// A burst spread over three instances is limited as one: the per-address limit counts every
    /// instance's requests, and the answer says when the shared window ends.
    @Test func aRateLimitHoldsAcrossInstances() async throws {
        var checkout = try TestCheckout()
        checkout.configuration.loginLimitPerAddress = RateLimit(limit: 4, window: 3600)
        try await checkout.instances(3) { clients, _ in
            var statuses: [HTTPResponse.Status] = []
            for index in 0..<6 {
                statuses.append(try await clients[index % 3].json(.post, "/api/account/login", ["email": "burst@example.com"]).status)
            }
            #expect(statuses == Array(repeating: .accepted, count: 4) + [.tooManyRequests, .tooManyRequests])
        }
    }

    /// A download link made by one instance (signed with the key the first start stored) works on another.
    @Test func aDownloadLinkFromOneInstanceWorksOnAnother() async throws {
        let checkout = try TestCheckout()
        try await checkout.instances(2) { clients, _ in
            let order = try await clients[0].buy([("HS-DIGITAL-PLANNER", 1)])
            let shown = try await clients[0].json(.get, "/api/orders/\(order.id)?token=\(order.token)")
            let downloads = shown["downloads"] as? [[String: Any]]
            let url = try #require((downloads?.first?["files"] as? [[String: Any]])?.first?["url"] as? String)
            #expect(try await clients[1].get(url).status == .ok)
        }
    }
}

/// An order priced from a cart that changed since is not stored, on both backends' order insert.
@Suite struct CartVersionTests {
    @Test(arguments: [false, true])
    func anOrderPricedFromAnOlderCartIsNotStoredAndItsKeyStaysFree(withKey: Bool) async throws {
        let checkout = try TestCheckout()
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let shop = try await CheckoutApp.makeShop(checkout.configuration, logger: logger)
        let older = try await shop.carts.create(lines: [(sku: "HS-DIGITAL-PLANNER", quantity: 1, amount: nil)])
        _ = try await shop.carts.addLine(cart: older.id, sku: "KB-NOAH-COLORING-A4", quantity: 1, limit: 99)
        let key = withKey ? OrderStore.Idempotency(key: "version-\(UUID().uuidString)", requestHash: "h") : nil
        let (stale, _) = shop.price(older)
        await #expect(throws: OrderStore.CartChanged.self) {
            _ = try await shop.orders.create(
                cart: stale, pricedFrom: older, email: "v@example.com", currency: "USD", provider: "test", idempotency: key)
        }
        let current = try #require(try await shop.carts.find(older.id, fresh: true))
        #expect(current.version > older.version)
        let (priced, _) = shop.price(current)
        let (order, replayed) = try await shop.orders.create(
            cart: priced, pricedFrom: current, email: "v@example.com", currency: "USD", provider: "test", idempotency: key)
        #expect(!replayed, "the key was not used up by the refused order")
        #expect(order.lines.map(\.sku).sorted() == ["HS-DIGITAL-PLANNER", "KB-NOAH-COLORING-A4"])
        let orders: Int? = try await shop.storage.read { tx in try tx.sql.value("SELECT COUNT(*) FROM orders") }
        #expect(orders == 1)
        await shop.storage.close()
    }
}

/// Claims on the email queue, as two instances make them (`MailWorker`, `QueueLease`).
@Suite struct QueueClaimTests {
    /// Counts what it is asked to send.
    final class CountingSender: MailSender {
        let sent = Mutex<[String]>([])
        func send(_ mail: OutgoingMail) async throws { sent.withLock { $0.append(mail.id) } }
    }

    private func worker(_ storage: any CheckoutStorage, _ sender: CountingSender, time: TestTime, instance: String) -> MailWorker {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return MailWorker(
            storage: storage, sender: sender, from: "shop@example.com", clock: time.clock, logger: logger, metrics: CheckoutMetrics(),
            holding: false, lease: QueueLease(instance: instance, seconds: 60))
    }

    private func enqueue(_ count: Int, in storage: any CheckoutStorage, now: Int) async throws {
        try await storage.write { tx in
            for index in 0..<count {
                try tx.outbox.enqueue(key: "claim:\(index)", to: "c\(index)@example.com", subject: "s", body: "b", now: now)
            }
        }
    }

    /// A lease no longer than one webhook attempt is refused at start, naming both values.
    @Test func aLeaseShorterThanAnAttemptIsRefused() async throws {
        var checkout = try TestCheckout()
        checkout.configuration.queueLease = 10
        checkout.configuration.webhookTimeout = .seconds(10)
        await #expect {
            _ = try await CheckoutApp.makeShop(checkout.configuration, logger: Logger(label: "test"))
        } throws: { error in
            String(describing: error).contains("queue lease (10 s)") && String(describing: error).contains("webhook timeout (10.0 seconds)")
        }
    }

    /// Two instances draining one outbox at once send every email, each once.
    @Test func twoInstancesDrainingAtOnceSendEachEmailOnce() async throws {
        let checkout = try TestCheckout()
        let storage = try await checkout.configuration.storageLocation.open(logger: Logger(label: "test"))
        try await enqueue(90, in: storage, now: Int(checkout.time.now.timeIntervalSince1970))
        let sender = CountingSender()
        let (a, b) = (worker(storage, sender, time: checkout.time, instance: "a"), worker(storage, sender, time: checkout.time, instance: "b"))
        async let first = a.drain()
        async let second = b.drain()
        #expect(await first + second == 90)
        let sent = sender.sent.withLock { $0 }
        #expect(sent.count == 90)
        #expect(Set(sent).count == 90)
        await storage.close()
    }

    /// What an instance claimed and never sent (it died) waits for its lease, then another instance
    /// sends it; the dead instance's claim, renewed too late, is refused.
    @Test func aDeadInstancesEmailsAreSentWhenItsLeaseEnds() async throws {
        let checkout = try TestCheckout()
        let storage = try await checkout.configuration.storageLocation.open(logger: Logger(label: "test"))
        let now = Int(checkout.time.now.timeIntervalSince1970)
        try await enqueue(3, in: storage, now: now)
        let claimed = try await storage.write { tx in try tx.outbox.claimDue(now: now, until: now + 60, instance: "dead", limit: 10) }
        #expect(claimed.count == 3)
        let sender = CountingSender()
        let survivor = worker(storage, sender, time: checkout.time, instance: "alive")
        #expect(await survivor.drain() == 0, "leased to the dead instance")
        checkout.time.advance(61)
        #expect(await survivor.drain() == 3)
        let late = Int(checkout.time.now.timeIntervalSince1970)
        #expect(try await storage.write { tx in try tx.outbox.renewClaim(claimed[0].id, instance: "dead", until: late + 60) } == false)
        #expect(sender.sent.withLock { $0.count } == 3)
        await storage.close()
    }

    /// Two instances' webhook workers over one delivery queue POST each delivery once.
    @Test func twoInstancesDeliveringAtOnceSendEachWebhookOnce() async throws {
        let receiver = WebhookReceiver()
        try await receiver.application.test(.live) { hook in
            let checkout = try TestCheckout()
            let storage = try await checkout.configuration.storageLocation.open(logger: Logger(label: "test"))
            let now = Int(checkout.time.now.timeIntervalSince1970)
            let url = "http://127.0.0.1:\(try #require(hook.port))/hooks"
            try await storage.write { tx in
                try tx.webhooks.add(WebhookEndpoint(id: "we_claims", url: url, events: ["order.paid"], secret: "whsec_claims", createdAt: now))
                for index in 0..<60 {
                    try tx.webhooks.addDelivery(
                        endpoint: "we_claims", eventID: "evt_claim_\(index)", type: "order.paid", payload: Data("{\"id\":\"evt_claim_\(index)\"}".utf8),
                        now: now)
                }
            }
            var logger = Logger(label: "test")
            logger.logLevel = .critical
            let workers = ["a", "b"].map {
                WebhookDeliveryWorker(
                    storage: storage, clock: checkout.time.clock, logger: logger, metrics: CheckoutMetrics(), lease: QueueLease(instance: $0, seconds: 60))
            }
            async let first = workers[0].drain()
            async let second = workers[1].drain()
            #expect(await first + second == 60)
            let ids = receiver.events.compactMap { $0["id"] as? String }
            #expect(ids.count == 60)
            #expect(Set(ids).count == 60)
            await storage.close()
        }
    }
}
