import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import CheckoutKit

/// Races that SQLite's single writer hides and PostgreSQL's many writers expose: each must give one
/// result and never a 500, on whichever backend the suite runs (`TestCheckout`).
@Suite struct StorageContractTests {
    /// Eight checkouts with one `Idempotency-Key` at once, on eight connections to the real socket,
    /// make one order, and each gets it.
    @Test func theSameIdempotencyKeyAtOnceMakesOneOrder() async throws {
        let checkout = try TestCheckout()
        try await checkout.live { client in
            let cart = try await client.cart([("KB-NOAH-COLORING-A4", 1)])
            // The database pool's connections are opened first, by reads at once: opening them under
            // the suite's start-up load took longer than the test client's 20 s (twice in full
            // PostgreSQL passes), and the race is about the key, not about connecting.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 { group.addTask { _ = try await client.json(.get, "/api/carts/\(cart)") } }
                try await group.waitForAll()
            }
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "race-\(UUID().uuidString)"]
            let replies = try await withThrowingTaskGroup(of: (status: HTTPResponse.Status, order: String?, text: String).self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        let reply = try await client.json(.post, "/api/checkout", ["cart_id": cart, "email": "race@example.com"], headers: key)
                        return (reply.status, reply["order_id"] as? String, reply.text)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(replies.map(\.status) == Array(repeating: .created, count: 8), "\(replies.map(\.text))")
            #expect(Set(replies.compactMap(\.order)).count == 1)
        }
    }

    /// The same payment event delivered six times at once is applied once: one paid order, one receipt.
    @Test func theSameWebhookEventAtOnceIsAppliedOnce() async throws {
        let checkout = try TestCheckout()
        let events = EventFactory(secret: TestCheckout.secret, now: Int(checkout.time.now.timeIntervalSince1970))
        try await checkout.run { client, control in
            let order = try await client.pendingOrder()
            let payload = try events.payload("checkout.session.completed", object: [
                "id": "cs_race", "object": "checkout.session", "client_reference_id": order.id, "payment_status": "paid",
                "payment_intent": "pi_race",
            ])
            let replies = try await withThrowingTaskGroup(of: (status: HTTPResponse.Status, duplicate: Bool?, text: String).self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        let reply = try await client.webhook(payload, signature: events.header(payload))
                        return (reply.status, reply["duplicate"] as? Bool, reply.text)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(replies.map(\.status) == Array(repeating: .ok, count: 6), "\(replies.map(\.text))")
            #expect(replies.filter { $0.duplicate == false }.count == 1)
            #expect(try await client.status(of: order) == "paid")
            await control.sendPendingMail()
            #expect(checkout.emails().filter { $0.to == "w@example.com" }.count == 1)
        }
    }

    /// A confirmation link followed twice at once confirms the lead once and sends both to the file.
    @Test func aLeadConfirmedTwiceAtOnceIsConfirmedOnce() async throws {
        let checkout = try TestCheckout()
        try await checkout.run { client, control in
            _ = try await client.json(.post, "/api/leads", ["email": "twice@example.com", "magnet": "scripture-memory-cards"])
            await control.sendPendingMail()
            let confirm = try #require(checkout.emails().first?.links.first { $0.contains("/leads/confirm/") })
            let replies = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<4 { group.addTask { try await client.get(confirm).status } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(replies == Array(repeating: .found, count: 4))
            #expect(try await control.entitlements(of: "twice@example.com").count == 1)
        }
    }

    /// A NUL in an id is an unknown id on both databases (PostgreSQL's text cannot hold one), not a 500.
    @Test func aNulInAnIdIsNotFound() async throws {
        try await TestCheckout().run { client in
            let checkout = try await client.json(.post, "/api/checkout", raw: #"{"cart_id":"cart_x\u0000y","email":"nul@example.com"}"#)
            #expect(checkout.status == .notFound, "\(checkout.text)")
            let cart = try await client.json(.get, "/api/carts/cart_%00x")
            #expect(cart.status == .notFound, "\(cart.text)")
        }
    }

    /// A server nobody answers on stops the start after the connect deadline (10 s), naming the URL
    /// without its password, instead of waiting for ever (the time limit catches a hang).
    @Test(.timeLimit(.minutes(2))) func anUnreachableServerFailsTheStart() async throws {
        var checkout = try TestCheckout()
        checkout.configuration.databaseURL = "postgres://shop:hunter2@127.0.0.1:1/shop?sslmode=disable"
        await #expect { _ = try await checkout.app() } throws: { error in
            let message = String(describing: error)
            return message.contains("postgres://shop:***@127.0.0.1:1/shop") && message.contains("no connection within")
                && !message.contains("hunter2")
        }
    }

    /// A URL that does not parse (a port that is not a number) or is not a URL at all (a password
    /// pasted in its place) is refused without being shown.
    @Test(arguments: ["postgres://shop:S3cretPw@127.0.0.1:notaport/shop", "S3cretPw"])
    func anUnparseableDatabaseURLIsRefusedWithoutShowingIt(url: String) async throws {
        var checkout = try TestCheckout()
        checkout.configuration.databaseURL = url
        await #expect { _ = try await checkout.app() } throws: { error in
            let message = String(describing: error)
            return message.contains("cannot open the database") && !message.contains("S3cretPw")
        }
    }

    /// An empty `--database-url` (an unset variable in a script) is refused, not read as "use SQLite".
    @Test func anEmptyDatabaseURLIsRefusedByTheCommands() async throws {
        let checkout = try TestCheckout()
        let serve = try await runCheckout(["serve", "--port", "0", "--site", checkout.folder + "/site", "--database-url", ""])
        #expect(serve.status != 0 && serve.errors.contains("--database-url"), "\(serve.errors)")
        let webhooks = try await runCheckout(["webhooks", "list", "--database-url", " "])
        #expect(webhooks.status != 0 && webhooks.errors.contains("--database-url"), "\(webhooks.errors)")
    }

    /// A database URL that cannot be used stops the start with a message naming it, without its password.
    @Test func anUnusableDatabaseURLIsNamedWithoutItsPassword() async throws {
        var checkout = try TestCheckout()
        checkout.configuration.databaseURL = "mysql://shop:hunter2@db.example/shop"
        await #expect { _ = try await checkout.app() } throws: { error in
            let message = String(describing: error)
            return message.contains("mysql://shop:***@db.example/shop") && message.contains("not a postgres:// URL") && !message.contains("hunter2")
        }
    }
}
