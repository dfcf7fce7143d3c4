import AsyncHTTPClient
import CheckoutKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import ShopCore
import Testing
import TestSupport

/// What an attacker, a broken client or a generated request can send: each gets a 4xx with the
/// standard error body naming the input, and the service keeps serving.
@Suite struct HostileRequestTests {
    /// Every route that reads an HTML form post.
    static let formRoutes = ["/cart/add", "/cart/coupon", "/cart/checkout", "/api/account/login", "/api/leads", "/plans/all-access/checkout",
                             "/api/plans/all-access/checkout"]

    func form(_ client: any TestClientProtocol, _ uri: String, _ body: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        var fields = headers
        fields[.contentType] = "application/x-www-form-urlencoded"
        return try await client.execute(uri: uri, method: .post, headers: fields, body: ByteBuffer(string: body))
    }

    /// Issue 18: a body of one `=` killed the process. Every form route now answers 400 and names the problem.
    @Test func aFormOfOneEqualsSignIsA400OnEveryFormRoute() async throws {
        try await TestCheckout().run { client in
            for route in Self.formRoutes {
                for body in ["=", "=&=", "sku=a&sku=b", "a=%ZZ"] {
                    let response = try await form(client, route, body, headers: [.cookie: "checkout_cart=cart_x"])
                    #expect(response.status == .badRequest, "\(route) with \(body)")
                    let text = String(buffer: response.body)
                    #expect(text.contains("form"), "\(route): the message says the form is at fault: \(text)")
                }
            }
            #expect(try await client.json(.get, "/healthz").status == .ok)
        }
    }

    /// Plain forms get their errors as a page with a link back, JSON callers as JSON.
    @Test func formPostsGetErrorPagesAndJSONCallersJSON() async throws {
        try await TestCheckout().run { client in
            for (route, body) in [("/plans/all-access/checkout", "email=nobody"), ("/api/plans/all-access/checkout", "email=nobody"),
                                  ("/api/leads", "magnet=scripture-memory-cards&email=nobody"), ("/api/account/login", "email=nobody"),
                                  ("/api/account/login", "email=%FF%40b.co")] {
                let page = try await form(client, route, body)
                #expect(page.status == .unprocessableContent && page.headers[.contentType]?.hasPrefix("text/html") == true, "\(route)")
                #expect(String(buffer: page.body).contains("is not an email address"))
            }
            let json = try await client.json(.post, "/api/account/login", ["email": "nobody"])
            #expect(json.status == .unprocessableContent && json.errorField == "email")
        }
    }

    @Test func aHugeQuantityIsA422NamingTheQuantity() async throws {
        try await TestCheckout().run { client in
            let cart = try await client.cart()
            for body in [#"{"sku":"KB-NOAH-COLORING","quantity":2647282229755897512250572800}"#, #"{"sku":"KB-NOAH-COLORING","quantity":"2647282229755897512250572800"}"#] {
                let reply = try await client.json(.post, "/api/carts/\(cart)/lines", raw: body)
                #expect(reply.status == .unprocessableContent)
                #expect(reply.errorField == "quantity")
                #expect(reply.errorMessage?.contains("2647282229755897512250572800") == true, "\(reply.text)")
            }
            let fraction = try await client.json(.post, "/api/carts", raw: #"{"lines":[{"sku":"KB-NOAH-COLORING","quantity":1.5}]}"#)
            #expect(fraction.status == .unprocessableContent && fraction.errorField == "lines.0.quantity", "\(fraction.text)")
            let page = try await form(client, "/cart/add", "sku=KB-NOAH-COLORING&quantity=2647282229755897512250572800")
            #expect(page.status == .unprocessableContent)
            #expect(String(buffer: page.body).contains("2647282229755897512250572800"))
            let patch = try await client.json(.patch, "/api/carts/\(cart)/lines/line_x", raw: #"{"quantity":-9223372036854775809}"#)
            #expect(patch.status == .unprocessableContent && patch.errorField == "quantity", "\(patch.text)")
        }
    }

    @Test func bodiesThatAreNotObjectsOrNotJSONAre400s() async throws {
        try await TestCheckout().run { client in
            for (body, message) in [("[]", "the body must be a JSON object"), ("{", "the body is not valid JSON"), ("\"x\"", "the body must be a JSON object")] {
                let reply = try await client.json(.post, "/api/carts", raw: body)
                #expect(reply.status == .badRequest && reply.errorCode == "malformed_body" && reply.errorMessage == message, "\(body): \(reply.text)")
            }
            let nested = try await client.json(.post, "/api/carts", raw: String(repeating: "[", count: 100_000))
            #expect(nested.status == .contentTooLarge, "over 64 KiB")
            let event = try await client.webhook(Data(repeating: UInt8(ascii: " "), count: (1 << 20) + 1), signature: "t=1,v1=00")
            #expect(event.status == .contentTooLarge && event.errorCode == "payload_too_large", "\(event.text)")
            let deep = try await client.json(.post, "/api/carts", raw: String(repeating: "[", count: 60_000))
            #expect(deep.status == .badRequest, "nesting is refused, not a stack overflow")
        }
    }

    @Test func aCartHoldsAtMostFiftyLinesAndRepeatedSKUsMerge() async throws {
        let catalog = exampleCatalog.catalog
        // Anything that can be bought at once: not a sold-out product.
        let skus = catalog.products.filter { $0.status == .active && $0.stock != 0 }.map(\.sku) + catalog.bundles.map(\.sku)
        try #require(skus.count >= 51)
        try await TestCheckout().run { client in
            let fifty = try await client.json(.post, "/api/carts", ["lines": skus.prefix(50).map { ["sku": $0] }])
            #expect(fifty.status == .created && (fifty["lines"] as? [Any])?.count == 50, "\(fifty.text)")
            let tooMany = try await client.json(.post, "/api/carts", ["lines": skus.prefix(51).map { ["sku": $0] }])
            #expect(tooMany.status == .unprocessableContent && tooMany.errorCode == "too_many_lines", "\(tooMany.text)")
            let merged = try await client.json(.post, "/api/carts", ["lines": [["sku": "KB-NOAH-COLORING-A4", "quantity": 60], ["sku": "KB-NOAH-COLORING-A4", "quantity": 30]]])
            #expect(merged.status == .created)
            #expect((merged["lines"] as? [[String: Any]])?.map { $0["quantity"] as? Int } == [90])
            let over = try await client.json(.post, "/api/carts", ["lines": [["sku": "KB-NOAH-COLORING-A4", "quantity": 60], ["sku": "KB-NOAH-COLORING-A4", "quantity": 60]]])
            #expect(over.status == .unprocessableContent && over.errorField == "lines.1.quantity", "\(over.text)")
        }
    }

    /// A cart may not grow past what a payment can take (Stripe: eight digits of minor units).
    @Test func aCartCannotGrowPastWhatAPaymentCanTake() async throws {
        let checkout = try TestCheckout(catalogEdit: { $0.replacingOccurrences(of: "  price: 12.99 USD", with: "  price: 600000.00 USD") })
        try await checkout.run { client in
            let cart = try await client.cart([("HS-DIGITAL-PLANNER", 1)])
            let reply = try await client.json(.post, "/api/carts/\(cart)/lines", ["sku": "HS-DIGITAL-PLANNER", "quantity": 1])
            #expect(reply.status == .unprocessableContent && reply.errorCode == "amount_too_large" && reply.errorField == "quantity", "\(reply.text)")
            #expect(reply.errorMessage?.contains("$999,999.99") == true || reply.errorMessage?.contains("999999.99") == true, "\(reply.text)")
            let created = try await client.json(.post, "/api/carts", ["lines": [["sku": "HS-DIGITAL-PLANNER", "quantity": 2]]])
            #expect(created.errorCode == "amount_too_large")
            #expect(try await client.json(.get, "/api/carts/\(cart)").amount("subtotal") == 60_000_000, "the refused change left the cart as it was")
        }
    }

    @Test func aRangePastTheEndOfEverythingIsTheWholeFile() async throws {
        let checkout = try TestCheckout()
        try await checkout.run { client in
            let order = try await client.buy([("HS-DIGITAL-PLANNER", 1)])
            let json = try await client.json(.get, "/api/orders/\(order.id)?token=\(order.token)")
            let url = try #require(((json["downloads"] as? [[String: Any]])?.first?["files"] as? [[String: Any]])?.first?["url"] as? String)
            let whole = try await client.get(url, headers: [.range: "bytes=0-"])
            let size = whole.body.readableBytes
            for header in ["bytes=0-99999999999999999999999", "bytes=-99999999999999999999"] {
                let response = try await client.get(url, headers: [.range: header])
                #expect(response.status == .partialContent && response.headers[.contentRange] == "bytes 0-\(size - 1)/\(size)", "\(header)")
            }
            let refused = try await client.get(url, headers: [.range: "bytes=99999999999999999999-"])
            #expect(refused.status == .rangeNotSatisfiable && refused.headers[.contentRange] == "bytes */\(size)")
        }
    }

    /// Ranges cannot get round the download limit: a range covering the whole file is a download,
    /// and partial ranges share a budget of one more file's worth of bytes than the limit.
    @Test func rangesCountAgainstTheDownloadLimit() async throws {
        var checkout = try TestCheckout()
        checkout.configuration.downloadLimit = 2
        try await checkout.run { client in
            let order = try await client.buy([("HS-DIGITAL-PLANNER", 1)])
            let json = try await client.json(.get, "/api/orders/\(order.id)?token=\(order.token)")
            let url = try #require(((json["downloads"] as? [[String: Any]])?.first?["files"] as? [[String: Any]])?.first?["url"] as? String)
            #expect(try await client.get(url, headers: [.range: "bytes=0-"]).status == .partialContent)
            let size = try await client.get(url).body.readableBytes
            #expect(try await client.get(url, headers: [.range: "bytes=0-"]).status == .forbidden, "two whole downloads, then no more")
            #expect(try await client.get(url).status == .forbidden)
            // A resume is free until the byte budget (3 × size) is spent: 2 × size are used.
            let half = size / 2
            #expect(try await client.get(url, headers: [.range: "bytes=0-\(half - 1)"]).status == .partialContent)
            #expect(try await client.get(url, headers: [.range: "bytes=\(half)-\(size - 2)"]).status == .partialContent)
            #expect(try await client.get(url, headers: [.range: "bytes=0-\(half - 1)"]).status == .forbidden, "the budget is spent")
        }
    }

    @Test func aSignedEventWithAnImpossibleTimeIsRefusedNotApplied() async throws {
        let checkout = try TestCheckout()
        try await checkout.run { client in
            let order = try await client.pendingOrder()
            let events = EventFactory(secret: TestCheckout.secret, now: Int(checkout.time.now.timeIntervalSince1970))
            for created in [Int.max, -1] {
                let payload = try events.payload("checkout.session.completed", created: created, object: [
                    "id": "cs_1", "client_reference_id": order.id, "payment_status": "paid",
                ])
                let reply = try await client.webhook(payload, signature: events.header(payload))
                #expect(reply.status == .badRequest && reply.errorCode == "malformed_event", "\(created): \(reply.text)")
            }
            let period = try events.payload("customer.subscription.updated", object: [
                "id": "sub_1", "status": "past_due", "current_period_end": Int.max, "metadata": ["order_id": order.id],
            ])
            #expect(try await client.webhook(period, signature: events.header(period)).errorCode == "malformed_event")
            #expect(try await client.json(.get, "/api/orders/\(order.id)?token=\(order.token)")["status"] as? String == "pending")
        }
    }

    /// The built site served with `--public` answers any `Range` with the whole file (Hummingbird's
    /// file middleware gets ranges past the end wrong), while downloads keep their ranges.
    @Test func staticFilesIgnoreRangesAndDownloadsKeepThem() async throws {
        var checkout = try TestCheckout()
        let folder = checkout.folder + "/public"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let content = String(repeating: "0123456789", count: 10)
        try content.write(toFile: folder + "/a.txt", atomically: true, encoding: .utf8)
        checkout.configuration.publicFolder = folder
        try await checkout.run { client in
            for range in ["bytes=5000-", "bytes=-5", "bytes=0-9", "bytes=x"] {
                let response = try await client.execute(uri: "/a.txt", method: .get, headers: [.range: range])
                #expect(response.status == .ok && String(buffer: response.body) == content, "\(range)")
                #expect(response.headers[.contentLength] == "100")
            }
            let order = try await client.buy([("HS-DIGITAL-PLANNER", 1)])
            let json = try await client.json(.get, "/api/orders/\(order.id)?token=\(order.token)")
            let url = try #require(((json["downloads"] as? [[String: Any]])?.first?["files"] as? [[String: Any]])?.first?["url"] as? String)
            #expect(try await client.get(url, headers: [.range: "bytes=0-9"]).status == .partialContent)
        }
    }

    /// With Stripe, the test provider's pages would sign events with the real webhook secret: they are not served.
    @Test func theTestPaymentPagesExistOnlyWithTheTestProvider() async throws {
        var checkout = try TestCheckout()
        checkout.configuration.provider = .stripe
        checkout.configuration.stripeSecretKey = "sk_test_x"
        checkout.configuration.stripeAPIBase = "http://127.0.0.1:9"
        try await checkout.run { client in
            for path in ["/test-pay/cs_1", "/test-pay/cs_1/pay"] {
                let response = try await client.execute(uri: path, method: path.hasSuffix("pay") ? .post : .get)
                #expect(response.status == .notFound, "\(path)")
            }
        }
    }

    /// The real process, over a real socket: the request from the issue, then business as usual.
    @Test func theCheckoutProcessSurvivesTheOneByteRequest() async throws {
        let checkout = try TestCheckout()
        let server = try await ServerProcess.start(
            try checkout.databaseArguments("survive") + ["--site", checkout.folder + "/site", "--mail-dir", checkout.folder + "/mail"],
            environment: ["CHECKOUT_WEBHOOK_SECRET": "whsec_survive"])
        defer { server.process.terminate() }
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
        defer { _ = client.shutdown() }
        for route in Self.formRoutes {
            var request = HTTPClientRequest(url: server.base + route)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: "="))
            let response = try await client.execute(request, timeout: .seconds(10))
            #expect(response.status.code == 400, "\(route)")
        }
        let health = try await client.execute(HTTPClientRequest(url: server.base + "/healthz"), timeout: .seconds(10))
        #expect(health.status.code == 200)
        #expect(server.process.isRunning)
    }

    @Test(arguments: [
        (["--link-hours", "9999999999999999"], "--link-hours"), (["--grace-days", "-1"], "--grace-days"), (["--stock-hold-minutes", "10"], "--stock-hold-minutes"),
        (["--download-limit", "0"], "--download-limit"), (["--port", "70000"], "--port"),
        (["--trusted-proxy", "10.0.0.0/33"], "'10.0.0.0/33'"), (["--trusted-proxy", "proxy.internal"], "'proxy.internal'"),
        (["--queue-lease", "2"], "--queue-lease"), (["--forwarded-header", "x-real-ip"], "'x-real-ip'"), (["--queue-lease", "8", "--webhook-timeout", "9"], "--webhook-timeout"),
    ])
    func numericFlagsOutOfRangeAreRefusedByName(arguments: [String], flag: String) async throws {
        let (status, output) = try await runCheckout(["serve"] + arguments)
        #expect(status != 0)
        #expect(output.contains(flag), "\(output)")
    }

    /// Settings from the environment are checked as strictly as flags, and the refusal names the variable.
    @Test(arguments: [
        ("CHECKOUT_PORT", "abc", "CHECKOUT_PORT: 'abc'"), ("CHECKOUT_PORT", " 0", "CHECKOUT_PORT: ' 0'"),
        ("CHECKOUT_DATABASE_CONNECTIONS", "many", "CHECKOUT_DATABASE_CONNECTIONS: 'many'"),
        ("CHECKOUT_PORT", "99999", "CHECKOUT_PORT"), ("CHECKOUT_TRUSTED_PROXIES", "10.0.0.0/8, bogus", "CHECKOUT_TRUSTED_PROXIES): 'bogus'"),
    ])
    func environmentSettingsAreRefusedNamingTheVariable(name: String, value: String, mention: String) async throws {
        let executable = try productsFolder().appendingPathComponent("checkout")
        let (status, output) = try await offCooperativePool { () throws -> (Int32, String) in
            let process = Process()
            process.executableURL = executable
            process.arguments = ["serve"]
            process.environment = ["PATH": "/usr/bin:/bin", name: value]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, text)
        }
        #expect(status != 0)
        #expect(output.contains(mention), "\(output)")
    }

    func runCheckout(_ arguments: [String]) async throws -> (Int32, String) {
        try await runProgram(try productsFolder().appendingPathComponent("checkout").path, arguments)
    }
}

/// Refunds that arrive together or in parts: one line is refunded once, and the order and the
/// metrics show exactly what was refunded.
@Suite struct RefundRaceTests {
    @Test func twentyRefundsOfOneLineAtOnceMakeOneRefund() async throws {
        try await TestCheckout().run { client in
            let order = try await client.buy([("HS-DIGITAL-PLANNER", 1), ("KB-NOAH-COLORING-A4", 1)], email: "race@example.com")
            let json = try await client.json(.get, "/api/orders/\(order.id)?token=\(order.token)")
            let lines = try #require(json["lines"] as? [[String: Any]])
            let line = lines[0]["id"] as? String ?? ""
            let statuses = try await client.refundAtOnce(order: order.id, lines: Array(repeating: line, count: 20))
            #expect(statuses.filter { $0 == 200 }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == 422 }.count == 19)
            let first = (lines[0]["total"] as? [String: Any])?["amount"] as? Int ?? 0
            let after = try await client.json(.get, "/api/orders/\(order.id)?token=\(order.token)")
            #expect(after.amount("amount_refunded") == first && after["status"] as? String == "partially_refunded", "\(after.text)")

            let second = lines[1]["id"] as? String ?? ""
            let last = try await client.json(
                .post, "/api/admin/orders/\(order.id)/refunds", ["line_id": second], headers: [.authorization: "Bearer \(TestCheckout.adminToken)"])
            #expect(last["status"] as? String == "refunded")
            let total = try #require(after.amount("total"))
            #expect(last.amount("amount_refunded") == total)
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains("checkout_refunded_minor_units_total{currency=\"USD\"} \(total)"), "refunds counted once each")
        }
    }
}

extension RefundRaceTests {
    /// Two lines refunded at once: the order shows their sum, the metric counts each once, and each
    /// refund is announced by one `order.refunded` event (the provider's events come first).
    @Test func twoLinesRefundedAtOnceAddUpAndAreAnnouncedOnceEach() async throws {
        let checkout = try TestCheckout()
        let endpoints = try await checkout.endpoints()
        _ = try await endpoints.add(url: "http://127.0.0.1:9/hooks", events: ["order.refunded"])
        try await checkout.run { client in
            let order = try await client.buy([("HS-DIGITAL-PLANNER", 1), ("KB-NOAH-COLORING-A4", 1)], email: "two@example.com")
            let json = try await client.json(.get, "/api/orders/\(order.id)?token=\(order.token)")
            let lines = (try #require(json["lines"] as? [[String: Any]])).compactMap { $0["id"] as? String }
            let statuses = try await client.refundAtOnce(order: order.id, lines: lines)
            #expect(statuses == [200, 200])
            let after = try await client.json(.get, "/api/orders/\(order.id)?token=\(order.token)")
            let total = try #require(after.amount("total"))
            #expect(after.amount("amount_refunded") == total && after["status"] as? String == "refunded", "\(after.text)")
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains("checkout_refunded_minor_units_total{currency=\"USD\"} \(total)"))
            let announced = try await endpoints.deliveries().filter { $0.eventType == "order.refunded" }
            #expect(announced.count == 2, "one per refund, not one per provider event")
        }
        await endpoints.close()
    }

    /// Stripe's events for two line refunds, in the worst order: both `refund.created`, then the
    /// `charge.refunded` carrying their sum, then the older one. Each refund is one growth of the
    /// refunded amount and one `order.refunded`; the metric counts the sum once.
    @Test func providerEventsForTwoRefundsInTheWorstOrderAreAnnouncedOnceEach() async throws {
        let checkout = try TestCheckout()
        let endpoints = try await checkout.endpoints()
        _ = try await endpoints.add(url: "http://127.0.0.1:9/hooks", events: ["order.refunded"])
        let events = EventFactory(secret: TestCheckout.secret, now: Int(checkout.time.now.timeIntervalSince1970))
        try await checkout.run { client in
            let order = try await client.buy([("HS-DIGITAL-PLANNER", 1), ("KB-NOAH-COLORING-A4", 1)], email: "worst@example.com")
            let json = try await client.json(.get, "/api/orders/\(order.id)?token=\(order.token)")
            let lines = try #require(json["lines"] as? [[String: Any]])
            let ids = lines.compactMap { $0["id"] as? String }
            let amounts = lines.compactMap { ($0["total"] as? [String: Any])?["amount"] as? Int }
            try #require(ids.count == 2 && amounts.count == 2)
            var sent: [Data] = []
            for (index, line) in ids.enumerated() {
                sent.append(try events.payload("refund.created", object: [
                    "id": "re_worst_\(index)", "object": "refund", "amount": amounts[index], "status": "succeeded",
                    "metadata": ["order_id": order.id, "line_id": line],
                ]))
            }
            for amount in [amounts[0] + amounts[1], amounts[0]] {
                sent.append(try events.payload(
                    "charge.refunded", object: ["object": "charge", "amount_refunded": amount, "metadata": ["order_id": order.id]]))
            }
            for payload in sent {
                let reply = try await client.webhook(payload, signature: events.header(payload))
                #expect(reply.status == .ok, "\(reply.text)")
            }
            let after = try await client.json(.get, "/api/orders/\(order.id)?token=\(order.token)")
            #expect(after.amount("amount_refunded") == amounts[0] + amounts[1] && after["status"] as? String == "refunded", "\(after.text)")
            #expect(try await client.metric("checkout_refunded_minor_units_total{currency=\"USD\"} \(amounts[0] + amounts[1])"))
            let announced = try await endpoints.deliveries().filter { $0.eventType == "order.refunded" }
            #expect(announced.count == 2, "one per refund, whatever order the provider's events come in")
        }
        await endpoints.close()
    }
}

extension TestClientProtocol {
    /// Posts an admin refund of each of `lines` at once; the statuses, in the order they came.
    func refundAtOnce(order: String, lines: [String]) async throws -> [Int] {
        try await withThrowingTaskGroup(of: Int.self) { group in
            for line in lines {
                group.addTask {
                    try await json(
                        .post, "/api/admin/orders/\(order)/refunds", ["line_id": line],
                        headers: [.authorization: "Bearer \(TestCheckout.adminToken)"]
                    ).status.code
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }
}

/// The test provider's page plays only what Stripe would allow.
@Suite struct TestProviderStateTests {
    @Test func aCanceledMembershipCannotBeRenewed() async throws {
        try await TestCheckout().run { client in
            let (_, page) = try await client.subscribe("kids-bible-club", email: "member@example.com")
            #expect(try await client.execute(uri: page + "/cancel", method: .post).status == .found)
            let renew = try await client.execute(uri: page + "/renew", method: .post)
            #expect(renew.status == .unprocessableContent)
            #expect(String(buffer: renew.body).contains("canceled"))
            let shown = String(buffer: try await client.execute(uri: page, method: .get).body)
            #expect(shown.contains("was <strong>canceled</strong>") && !shown.contains("/renew"))
        }
    }

    @Test func aDeclinedPaymentMayBeTriedAgain() async throws {
        try await TestCheckout().run { client in
            let cart = try await client.cart([("KB-NOAH-COLORING-A4", 1)])
            let placed = try await client.json(.post, "/api/checkout", ["cart_id": cart, "email": "retry@example.com"])
            let page = (placed["payment_url"] as? String ?? "").pathAndQuery
            _ = try await client.execute(uri: page + "/decline", method: .post)
            let order = "/api/orders/\(placed["order_id"] as? String ?? "")?token=\(placed["order_token"] as? String ?? "")"
            #expect(try await client.json(.get, order)["status"] as? String == "failed")
            #expect(String(buffer: try await client.execute(uri: page, method: .get).body).contains("/pay\""))
            _ = try await client.execute(uri: page + "/pay", method: .post)
            #expect(try await client.json(.get, order)["status"] as? String == "paid")
        }
    }
}
