import AsyncHTTPClient
import CheckoutKit
import Foundation
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

/// An operator's endpoint that never answers: it listens, and never accepts (the kernel completes
/// connections into its backlog, so each attempt waits for its timeout).
final class SilentEndpoint: Sendable {
    private let descriptor: Int32
    let port: Int

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.descriptor = descriptor
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ready = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && listen(descriptor, 64) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard ready else { throw TestFailure("cannot listen") }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit { close(descriptor) }
}

/// A slow operator endpoint holds up neither the others nor the service's shutdown.
@Suite struct SlowEndpointTests {
    @Test func aSilentEndpointDoesNotHoldUpTheOthers() async throws {
        let silent = try SilentEndpoint()
        let receiver = WebhookReceiver()
        try await receiver.application.test(.live) { hook in
            var checkout = try TestCheckout()
            // The silent endpoint's first attempt ends only after this; the live deliveries must not
            // wait for it. Long, so that a loaded machine (a full PostgreSQL pass on 2 cores saw the
            // live deliveries arrive 4.0 and 7.4 s in) still tells "in parallel" from "after".
            checkout.configuration.webhookTimeout = .seconds(20)
            let endpoints = try await checkout.endpoints()
            _ = try await endpoints.add(url: "http://127.0.0.1:\(silent.port)/hooks", events: ["*"])
            _ = try await endpoints.add(url: "http://127.0.0.1:\(try #require(hook.port))/hooks", events: ["order.paid", "entitlement.granted"])
            try await checkout.run { client, control in
                _ = try await client.buy([("HS-DIGITAL-PLANNER", 1)], email: "lanes@example.com")
                let start = ContinuousClock.now
                // The pass goes on for the silent endpoint's attempts; the live endpoint's deliveries
                // arrive meanwhile, before the first of those attempts has ended.
                let pass = Task { await control.deliverPendingWebhooks() }
                #expect(await eventually(within: 60) { receiver.arrivalTimes.count == 2 })
                let arrivals = receiver.arrivalTimes
                #expect(arrivals.allSatisfy { $0 - start < .seconds(19) }, "\(arrivals.map { $0 - start })")
                pass.cancel()
            }
            await endpoints.close()
        }
    }

    @Test func sigtermEndsTheServiceWithoutWorkingThroughTheBacklog() async throws {
        let silent = try SilentEndpoint()
        let checkout = try TestCheckout()
        let database = checkout.folder + "/backlog.sqlite"
        _ = try await WebhookEndpoints(.sqlite(path: database)).add(url: "http://127.0.0.1:\(silent.port)/hooks", events: ["*"])
        let server = try await ServerProcess.start(
            ["--db", database, "--site", checkout.folder + "/site", "--mail-dir", checkout.folder + "/mail", "--webhook-timeout", "2"],
            environment: ["CHECKOUT_WEBHOOK_SECRET": "whsec_backlog"])
        _ = server.keepReadingLog()
        let exited = DispatchSemaphore(value: 0)
        server.process.terminationHandler = { _ in exited.signal() }
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        defer { _ = client.shutdown() }
        // Three paid orders queue about a dozen deliveries, 2 s each when worked through one by one.
        for number in 0..<3 {
            var cart = HTTPClientRequest(url: server.base + "/api/carts")
            cart.method = .POST
            cart.body = .bytes(ByteBuffer(string: #"{"lines":[{"sku":"HS-DIGITAL-PLANNER"}]}"#))
            let cartID = try await json(client.execute(cart, timeout: .seconds(10)))["id"] as? String ?? ""
            var order = HTTPClientRequest(url: server.base + "/api/checkout")
            order.method = .POST
            order.body = .bytes(ByteBuffer(string: "{\"cart_id\":\"\(cartID)\",\"email\":\"b\(number)@example.com\"}"))
            let payment = try await json(client.execute(order, timeout: .seconds(10)))["payment_url"] as? String ?? ""
            var pay = HTTPClientRequest(url: payment + "/pay")
            pay.method = .POST
            #expect(try await client.execute(pay, timeout: .seconds(10)).status.code == 302)
        }
        server.process.terminate()
        #expect(exited.wait(timeout: .now() + 10) == .success, "SIGTERM ended the service within one attempt's timeout")
        if server.process.isRunning { kill(server.process.processIdentifier, SIGKILL) }
    }

    private func json(_ response: HTTPClientResponse) async throws -> [String: Any] {
        let body = try await response.body.collect(upTo: 1 << 20)
        return (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any] ?? [:]
    }
}
