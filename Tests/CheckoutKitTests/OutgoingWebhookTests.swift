import CheckoutKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import ShopCore
import Synchronization
import TestSupport
import Testing

/// An operator's endpoint that records what it receives, and answers with a chosen status.
final class WebhookReceiver: Sendable {
    let received = Mutex<[(headers: HTTPFields, body: Data)]>([])
    private let arrivals = Mutex<[ContinuousClock.Instant]>([])
    /// When each delivery arrived.
    var arrivalTimes: [ContinuousClock.Instant] { arrivals.withLock { $0 } }
    let status: HTTPResponse.Status

    init(status: HTTPResponse.Status = .ok) { self.status = status }

    var application: some ApplicationProtocol {
        let router = Router()
        router.post("/hooks") { [self] request, _ -> Response in
            var request = request
            let body = Data(buffer: try await request.collectBody(upTo: 1 << 20))
            received.withLock { $0.append((request.headers, body)) }
            arrivals.withLock { $0.append(.now) }
            return Response(status: status)
        }
        return Application(router: router)
    }

    var events: [[String: Any]] {
        received.withLock { $0.compactMap { try? JSONSerialization.jsonObject(with: $0.body) as? [String: Any] } }
    }
}

@Suite struct OutgoingWebhookTests {
    @Test func eventsAreSignedAndDelivered() async throws {
        let receiver = WebhookReceiver()
        try await receiver.application.test(.live) { hook in
            let checkout = try TestCheckout()
            let endpoints = try await checkout.endpoints()
            let endpoint = try await endpoints.add(url: "http://localhost:\(try #require(hook.port))/hooks", events: ["order.paid", "entitlement.granted", "lead.confirmed"])
            #expect(endpoint.secret.hasPrefix("whsec_"))
            try await checkout.run { client, control in
                _ = try await client.buy([("HS-DIGITAL-PLANNER", 1)], email: "hooked@example.com")
                await control.deliverPendingWebhooks()
                let events = receiver.events
                #expect(Set(events.compactMap { $0["type"] as? String }) == ["order.paid", "entitlement.granted"])
                let paid = try #require(events.first { $0["type"] as? String == "order.paid" })
                #expect((paid["data"] as? [String: Any])?["email"] as? String == "hooked@example.com")
                let granted = try #require(events.first { $0["type"] as? String == "entitlement.granted" })
                #expect((granted["data"] as? [String: Any])?["item"] as? String == "product:HS-DIGITAL-PLANNER")
                for delivery in receiver.received.withLock({ $0 }) {
                    let header = delivery.headers[HTTPField.Name("Checkout-Signature")!]
                    #expect(throws: Never.self) {
                        try StripeSignature(secret: endpoint.secret).verify(header: header, payload: delivery.body, now: checkout.time.now)
                    }
                }
                let log = try await endpoints.deliveries()
                #expect(log.count == 2)
                #expect(log.allSatisfy { $0.status == "delivered" && $0.lastStatus == 200 && $0.attempts == 1 })
            }
            await endpoints.close()
        }
    }

    @Test func failedDeliveriesAreRetriedWithBackoffAndGivenUpAfterThreeDays() async throws {
        let receiver = WebhookReceiver(status: .internalServerError)
        try await receiver.application.test(.live) { hook in
            let checkout = try TestCheckout()
            let endpoints = try await checkout.endpoints()
            _ = try await endpoints.add(url: "http://localhost:\(try #require(hook.port))/hooks", events: ["order.paid"])
            try await checkout.run { client, control in
                _ = try await client.buy([("HS-DIGITAL-PLANNER", 1)])
                #expect(await control.deliverPendingWebhooks() == 0)
                var log = try await endpoints.deliveries()
                #expect(log.first?.status == "pending")
                #expect(log.first?.attempts == 1)
                #expect(log.first?.lastStatus == 500)
                #expect(await control.deliverPendingWebhooks() == 0)
                #expect(receiver.received.withLock { $0.count } == 1, "the next attempt waits for its backoff")
                checkout.time.advance(31)
                _ = await control.deliverPendingWebhooks()
                #expect(receiver.received.withLock { $0.count } == 2)
                log = try await endpoints.deliveries()
                #expect(log.first?.attempts == 2)
                checkout.time.advance(3 * 86_400)
                _ = await control.deliverPendingWebhooks()
                log = try await endpoints.deliveries()
                #expect(log.first?.status == "failed", "given up after three days")
                let attempts = receiver.received.withLock { $0.count }
                checkout.time.advance(86_400)
                _ = await control.deliverPendingWebhooks()
                #expect(receiver.received.withLock { $0.count } == attempts, "no attempts after giving up")
            }
            await endpoints.close()
        }
    }

    @Test func endpointsCanBeListedAndRemovedAndBadInputIsNamed() async throws {
        let checkout = try TestCheckout()
        let endpoints = try await checkout.endpoints()
        let added = try await endpoints.add(url: "https://ops.example/hooks", events: ["*"])
        #expect(try await endpoints.list().map(\.id) == [added.id])
        try await endpoints.remove(id: added.id)
        #expect(try await endpoints.list().isEmpty)
        await #expect { try await endpoints.remove(id: added.id) } throws: { String(describing: $0).contains(added.id) }
        await #expect { _ = try await endpoints.add(url: "ftp://x", events: ["*"]) } throws: { ($0 as? CheckoutError)?.message.contains("ftp://x") == true }
        await #expect { _ = try await endpoints.add(url: "https://x.example", events: ["order.shipped"]) } throws: {
            ($0 as? CheckoutError)?.message.contains("order.shipped") == true
        }
        await endpoints.close()
    }

    @Test func theCommandLineManagesEndpoints() async throws {
        let checkout = try TestCheckout()
        let db = try await checkout.createdDatabaseArguments("cli")
        let added = try await runCheckout(["webhooks", "add", "https://ops.example/hooks", "--events", "order.paid,order.refunded"] + db)
        #expect(added.status == 0)
        #expect(added.output.contains("signing secret: whsec_"))
        let id = try #require(added.output.split(separator: " ").dropFirst().first.map(String.init))
        let listed = try await runCheckout(["webhooks", "list"] + db)
        #expect(listed.output.contains(id) && listed.output.contains("order.paid,order.refunded"))
        #expect(try await runCheckout(["webhooks", "deliveries"] + db).output.contains("no deliveries"))
        #expect(try await runCheckout(["webhooks", "remove", id] + db).status == 0)
        let missing = try await runCheckout(["webhooks", "remove", id] + db)
        #expect(missing.status != 0)
        #expect(missing.errors.contains("no webhook endpoint '\(id)'"))
        let bad = try await runCheckout(["webhooks", "add", "https://x.example", "--events", "nope"] + db)
        #expect(bad.errors.contains("unknown event 'nope'"))
    }
}

/// Runs the `checkout` executable to completion (on a thread of its own: see `offCooperativePool`).
func runCheckout(_ arguments: [String]) async throws -> (status: Int32, output: String, errors: String) {
    let executable = try productsFolder().appendingPathComponent("checkout")
    return try await offCooperativePool { try runCheckout(executable, arguments) }
}

private func runCheckout(_ executable: URL, _ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    let output = Pipe(), errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let out = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let err = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, out, err)
}
