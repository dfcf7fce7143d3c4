import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// Limited stock on both backends: checkouts hold units for the payment session, a payment sells
/// them, a failed or expired payment (or the hold running out) gives them back, and checkouts at
/// once never sell more than there is.
@Suite struct StockTests {
    static let workshop = "HS-PLANNING-WORKSHOP"

    /// The example shop with the workshop down to `seats` seats.
    static func checkout(seats: Int) throws -> TestCheckout {
        try TestCheckout { $0.replacingOccurrences(of: "  stock: 12\n", with: "  stock: \(seats)\n") }
    }

    func available(_ client: any TestClientProtocol, _ sku: String = Self.workshop) async throws -> Int? {
        let levels = try await client.json(.get, "/api/stock")
        return (levels["items"] as? [[String: Any]])?.first { $0["sku"] as? String == sku }?["available"] as? Int
    }

    /// What a checkout answered, kept across tasks.
    struct Reply: Sendable {
        let status: Int
        let code: String?
        let field: String?
        let message: String?

        init(_ reply: JSONReply) {
            status = reply.status.code
            code = reply.errorCode
            field = reply.errorField
            message = reply.errorMessage
        }
    }

    /// Starts a checkout of `quantity` of `sku` from a cart of its own; the reply.
    func startCheckout(_ client: any TestClientProtocol, _ cart: String, email: String) async throws -> JSONReply {
        try await client.json(.post, "/api/checkout", ["cart_id": cart, "email": email])
    }

    @Test func twentyCheckoutsAtOnceForThreeSeatsSellThreeAndNoMore() async throws {
        try await Self.checkout(seats: 3).run { client in
            var carts: [String] = []
            for _ in 0..<20 { carts.append(try await client.cart([(Self.workshop, 1)])) }
            let replies = try await withThrowingTaskGroup(of: Reply.self) { group in
                for (number, cart) in carts.enumerated() {
                    group.addTask { Reply(try await startCheckout(client, cart, email: "seat\(number)@example.com")) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(replies.filter { $0.status == 201 }.count == 3, "\(replies.map(\.status))")
            let refused = replies.filter { $0.status == 409 }
            #expect(refused.count == 17)
            #expect(refused.allSatisfy { $0.code == "out_of_stock" && $0.field == "sku" })
            #expect(refused.first?.message == "'HS-PLANNING-WORKSHOP' is sold out")
            #expect(try await available(client) == 0)
        }
    }

    @Test func aPaymentSellsTheSeatAndAnExpiredOrUnpaidOneGivesItBack() async throws {
        let checkout = try Self.checkout(seats: 2)
        let events = EventFactory(secret: TestCheckout.secret, now: Int(checkout.time.now.timeIntervalSince1970))
        try await checkout.run { client in
            // One seat is bought and paid.
            _ = try await client.buy([(Self.workshop, 1)], email: "paid@example.com")
            #expect(try await available(client) == 1)
            // Two carts ask for the last seat; a cart holds nothing.
            let (first, second) = (try await client.cart([(Self.workshop, 1)]), try await client.cart([(Self.workshop, 1)]))
            let held = try await startCheckout(client, first, email: "held@example.com")
            #expect(held.status == .created)
            #expect(try await available(client) == 0)
            let late = try await startCheckout(client, second, email: "late@example.com")
            #expect(late.errorCode == "out_of_stock")

            // The held order's payment session expires: the seat is back at once.
            let expired = try events.payload(
                "checkout.session.expired", object: ["id": "cs_x", "object": "checkout.session", "client_reference_id": held["order_id"] as? String ?? ""])
            #expect(try await client.webhook(expired, signature: events.header(expired)).status == .ok)
            #expect(try await available(client) == 1)

            // A new hold, never paid and never reported, runs out 15 minutes after its session (30).
            #expect(try await startCheckout(client, second, email: "again@example.com").status == .created)
            #expect(try await available(client) == 0)
            checkout.time.advance(30 * 60)
            #expect(try await available(client) == 0, "a payment made in the session's last moment may still be reported")
            checkout.time.advance(15 * 60 + 1)
            #expect(try await available(client) == 1)
            #expect(try await startCheckout(client, try await client.cart([(Self.workshop, 1)]), email: "next@example.com").status == .created)
        }
    }

    @Test func aShopperIsNeverToldTheirOwnHoldSoldTheLastSeat() async throws {
        let checkout = try Self.checkout(seats: 1)
        let events = EventFactory(secret: TestCheckout.secret, now: Int(checkout.time.now.timeIntervalSince1970))
        try await checkout.run { client in
            let cart = try await client.cart([(Self.workshop, 1)])
            // The same Idempotency-Key twice at once: one order, answered to both.
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "last-seat"]
            let orders = try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0..<2 {
                    group.addTask { try await client.json(.post, "/api/checkout", ["cart_id": cart, "email": "a@example.com"], headers: key)["order_id"] as? String }
                }
                return try await group.reduce(into: [String?]()) { $0.append($1) }
            }
            #expect(orders.count == 2 && orders[0] != nil && orders[0] == orders[1], "\(orders)")
            // Back from the payment page, the cart checks out again: its earlier hold gives way.
            let again = try await startCheckout(client, cart, email: "a@example.com")
            #expect(again.status == .created && again["order_id"] as? String != orders[0], "\(again.text)")
            #expect(try await available(client) == 0)
            // Paid by a method that settles later (a bank debit): the seat stays held past the hold.
            let completed = try events.payload("checkout.session.completed", object: [
                "id": "cs_async", "object": "checkout.session", "client_reference_id": again["order_id"] as? String ?? "", "payment_status": "unpaid",
            ])
            #expect(try await client.webhook(completed, signature: events.header(completed)).status == .ok)
            checkout.time.advance(50 * 60)
            #expect(try await available(client) == 0)
        }
    }

    @Test func aDeclinedCardKeepsTheHoldSoPayingAgainNeverOversells() async throws {
        try await Self.checkout(seats: 1).run { client in
            let (first, second) = (try await client.cart([(Self.workshop, 1)]), try await client.cart([(Self.workshop, 1)]))
            let placed = try await startCheckout(client, first, email: "declined@example.com")
            let page = (placed["payment_url"] as? String ?? "").pathAndQuery
            #expect(try await client.execute(uri: page + "/decline", method: .post).status == .found)
            #expect(try await available(client) == 0, "the session may still be paid with another card")
            #expect(try await startCheckout(client, second, email: "other@example.com").errorCode == "out_of_stock")
            #expect(try await client.execute(uri: page + "/pay", method: .post).status == .found)
            #expect(try await available(client) == 0)
            let order = try await client.json(.get, "/api/orders/\(placed["order_id"] as? String ?? "")?token=\(placed["order_token"] as? String ?? "")")
            #expect(order["status"] as? String == "paid")
        }
    }

    @Test func aCartCannotAskForMoreThanIsLeft() async throws {
        try await Self.checkout(seats: 2).run { client in
            let id = try await client.cart()
            let three = try await client.json(.post, "/api/carts/\(id)/lines", ["sku": Self.workshop, "quantity": 3])
            #expect(three.status == .conflict && three.errorCode == "out_of_stock")
            #expect(three.errorMessage == "only 2 of 'HS-PLANNING-WORKSHOP' left; lower the quantity")
            let two = try await client.json(.post, "/api/carts/\(id)/lines", ["sku": Self.workshop, "quantity": 2])
            #expect(two.status == .ok)
            let more = try await client.json(.post, "/api/carts/\(id)/lines", ["sku": Self.workshop])
            #expect(more.errorCode == "out_of_stock", "the cart's two and one more")
            let soldOut = try await client.json(.post, "/api/carts", ["lines": [["sku": "SW-FOUNDERS-PRINT"]]])
            #expect(soldOut.errorMessage == "'SW-FOUNDERS-PRINT' is sold out")
            let levels = try await client.json(.get, "/api/stock")
            #expect(levels.headers[.cacheControl] == "max-age=5")
            let items = try #require(levels["items"] as? [[String: Any]])
            #expect(items.compactMap { $0["sku"] as? String } == ["HS-PLANNING-WORKSHOP", "SW-FOUNDERS-PRINT"], "only limited SKUs")
            #expect(items.last?["stock"] as? Int == 0 && items.last?["available"] as? Int == 0)
        }
    }

    @Test func aPlainFormSaysWhenItIsSoldOut() async throws {
        try await TestCheckout().run { client in
            let response = try await client.execute(
                uri: "/cart/add", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: .init(string: "sku=SW-FOUNDERS-PRINT&return_to=%2Fshop%2F"))
            #expect(response.status == .conflict)
            #expect(String(buffer: response.body).contains("'SW-FOUNDERS-PRINT' is sold out"))
        }
    }
}
