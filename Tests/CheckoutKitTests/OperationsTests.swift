import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import TestSupport
import Yams

@Suite struct OperationsTests {
    /// Every route the service answers, as the OpenAPI document must describe it.
    static let routes: [(String, String)] = [
        ("post", "/api/carts"), ("get", "/api/carts/{cart}"), ("post", "/api/carts/{cart}/lines"),
        ("patch", "/api/carts/{cart}/lines/{line}"), ("delete", "/api/carts/{cart}/lines/{line}"),
        ("post", "/api/carts/{cart}/coupon"), ("delete", "/api/carts/{cart}/coupon"), ("post", "/api/checkout"),
        ("get", "/api/orders/{order}"), ("post", "/webhooks/stripe"), ("get", "/test-pay/{session}"),
        ("post", "/test-pay/{session}/pay"), ("post", "/test-pay/{session}/decline"), ("get", "/healthz"), ("get", "/readyz"),
        ("get", "/metrics"), ("get", "/openapi.yaml"), ("post", "/api/plans/{plan}/checkout"), ("post", "/plans/{plan}/checkout"),
        ("post", "/api/leads"), ("get", "/leads/confirm/{token}"), ("post", "/api/account/login"), ("get", "/account/login/{token}"),
        ("get", "/api/account"), ("post", "/api/account/subscriptions/{subscription}/cancel"),
        ("post", "/api/account/subscriptions/{subscription}/resume"), ("post", "/api/account/logout"),
        ("post", "/api/admin/orders/{order}/refunds"), ("get", "/downloads/{token}"), ("post", "/test-pay/{session}/renew"),
        ("post", "/test-pay/{session}/fail-payment"), ("post", "/test-pay/{session}/cancel"), ("post", "/cart/add"),
        ("post", "/cart/coupon"), ("post", "/cart/checkout"), ("get", "/api/stock"),
        ("post", "/api/admin/orders/{order}/deliveries/{delivery}/delivered"), ("get", "/api/admin/orders"),
        ("get", "/api/admin/orders/{order}"), ("post", "/api/admin/orders/{order}/receipt"), ("get", "/api/admin/customers"),
        ("get", "/api/admin/customers/{email}"), ("post", "/api/admin/customers/{email}/entitlements"),
        ("get", "/api/admin/customers/{email}/export"), ("post", "/api/admin/customers/{email}/erase"), ("get", "/api/admin/subscriptions"),
        ("get", "/api/admin/leads"), ("get", "/api/admin/leads.csv"), ("get", "/api/admin/audit"), ("get", "/api/admin/webhooks"),
        ("post", "/api/admin/webhooks"), ("delete", "/api/admin/webhooks/{endpoint}"), ("post", "/api/admin/webhooks/{endpoint}/rotate"),
        ("get", "/api/admin/webhooks/{endpoint}/deliveries"), ("post", "/api/admin/webhooks/{endpoint}/deliveries/{delivery}/redeliver"),
        ("get", "/api/admin/keys"), ("get", "/api/admin/dashboard"), ("get", "/api/admin/dashboard.csv"), ("get", "/admin/login"),
        ("post", "/admin/login"), ("get", "/admin/login/{token}"), ("post", "/admin/logout"),
    ]

    /// The checkout reads the catalog; it never writes the shop's files (`catalog.sqlite` is sitegen's).
    @Test func startingTheCheckoutWritesNothingIntoTheSite() async throws {
        let checkout = try TestCheckout()
        let site = checkout.configuration.siteFolder
        let before = try FileManager.default.contentsOfDirectory(atPath: site).sorted()
        try await checkout.run { client in
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: site).sorted() == before)
        #expect(!FileManager.default.fileExists(atPath: site + "/catalog.sqlite"))
    }

    @Test func healthAndReadiness() async throws {
        try await TestCheckout().run { client in
            let health = try await client.json(.get, "/healthz")
            #expect(health.status == .ok)
            let ready = try await client.json(.get, "/readyz")
            #expect(ready.status == .ok)
            #expect(ready["database"] as? Bool == true)
            #expect(ready["catalog_products"] as? Int == 49)
        }
    }

    @Test func theOpenAPIDocumentDescribesEveryRouteAndOnlyRealOnes() async throws {
        try await TestCheckout().run { client in
            let response = try await client.execute(uri: "/openapi.yaml", method: .get)
            #expect(response.headers[.contentType]?.hasPrefix("application/yaml") == true)
            let document = try #require(try Yams.load(yaml: String(buffer: response.body)) as? [String: Any])
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            for (method, path) in Self.routes {
                #expect(paths[path]?[method] != nil, "\(method.uppercased()) \(path) is not in openapi.yaml")
            }
            let documented = paths.flatMap { path, operations in operations.keys.filter { $0 != "parameters" }.map { ($0, path) } }
            #expect(documented.count == Self.routes.count, "openapi.yaml describes a route the service does not have")
            for (method, path) in documented {
                var uri = path
                for parameter in ["{cart}", "{line}", "{order}", "{session}", "{plan}", "{token}", "{subscription}", "{email}", "{endpoint}", "{delivery}"] {
                    uri = uri.replacingOccurrences(of: parameter, with: "x")
                }
                let reply = try await client.json(HTTPRequest.Method(method.uppercased())!, uri)
                #expect(reply.errorCode != "not_found" || reply.errorMessage != "not found", "\(method) \(path) is not served")
            }
        }
    }

    @Test func metricsCountRequestsOrdersAndRevenue() async throws {
        try await TestCheckout().run { client in
            let cart = try await client.cart([("KB-NOAH-COLORING-A4", 1)])
            let checkout = try await client.json(.post, "/api/checkout", ["cart_id": cart, "email": "m@example.com"])
            let url = try #require(checkout["payment_url"] as? String)
            _ = try await client.execute(uri: String(url[try #require(url.range(of: "/test-pay/")).lowerBound...]) + "/pay", method: .post)
            let response = try await client.execute(uri: "/metrics", method: .get)
            let text = String(buffer: response.body)
            #expect(text.contains("checkout_http_requests_total{route=\"/api/checkout\",method=\"POST\",status=\"201\"} 1"))
            #expect(text.contains("checkout_http_request_duration_seconds_bucket{route=\"/api/checkout\""))
            #expect(text.contains("checkout_orders{status=\"paid\"} 1"))
            #expect(text.contains("checkout_revenue_minor_units_total{currency=\"USD\"} 499"))
            #expect(text.contains("checkout_orders_created_total 1"))
            #expect(text.contains("checkout_webhook_verification_failures_total 0"))
            #expect(text.contains("checkout_downloads_total") == false, "no download yet")
        }
    }

    @Test func metricsCoverSubscriptionsRevenueDownloadsAndLeads() async throws {
        let checkout = try TestCheckout()
        try await checkout.run { client, control in
            _ = try await client.subscribe("homeschool-helper", email: "m1@example.com")
            _ = try await client.subscribe("homeschool-helper", email: "m2@example.com")
            _ = try await client.subscribe("kids-bible-club", email: "m3@example.com")
            let order = try await client.buy([("HS-DIGITAL-PLANNER", 1)])
            let json = try await client.json(.get, "/api/orders/\(order.id)?token=\(order.token)")
            let url = try #require(((json["downloads"] as? [[String: Any]])?.first?["files"] as? [[String: Any]])?.first?["url"] as? String)
            _ = try await client.get(url)
            _ = try await client.json(.post, "/api/leads", ["email": "l@example.com", "magnet": "scripture-memory-cards"])
            await control.sendPendingMail()
            let confirm = try #require(checkout.emails().last { $0.subject.contains("Confirm") }?.links.first { $0.contains("/leads/confirm/") })
            _ = try await client.get(confirm)
            let text = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(text.contains("checkout_subscriptions_active{plan=\"homeschool-helper\"} 2.0"))
            #expect(text.contains("checkout_subscriptions_active{plan=\"kids-bible-club\"} 1.0"))
            #expect(text.contains("checkout_mrr_minor_units{currency=\"USD\"} 1998.0"), "two paying members; the trial pays nothing yet")
            #expect(text.contains("checkout_downloads_total{outcome=\"ok\"} 1"))
            #expect(text.contains("checkout_leads_confirmed_total 1"))
            #expect(text.contains("checkout_email_failures_total 0"))
            #expect(text.contains("checkout_outgoing_webhook_failures_total 0"))
        }
    }

    @Test func everyResponseCarriesARequestIdAndErrorsAreJSON() async throws {
        try await TestCheckout().run { client in
            let ok = try await client.execute(uri: "/healthz", method: .get)
            #expect(ok.headers[HTTPField.Name("X-Request-Id")!]?.isEmpty == false)
            let missing = try await client.json(.get, "/no/such/route")
            #expect(missing.status == .notFound)
            #expect(missing.errorCode == "not_found")
            #expect(missing.headers[HTTPField.Name("X-Request-Id")!]?.isEmpty == false)
        }
    }
}

/// The OpenAPI document is valid OpenAPI 3.1 (checked by PyPI's openapi-spec-validator), as written
/// and as served with the shop's SKUs, plans and lead magnets filled in.
@Suite struct OpenAPIValidityTests {
    static func validate(_ path: String) async throws -> (Int32, String) {
        try await runProgram("/usr/bin/env", [
            "python3", "-c", "import sys, yaml; from openapi_spec_validator import validate; validate(yaml.safe_load(open(sys.argv[1]))); print('valid')",
            path,
        ])
    }

    @Test func theDocumentPassesTheOpenAPIValidator() async throws {
        let (status, text) = try await Self.validate(repositoryRoot + "/Sources/CheckoutKit/Resources/openapi.yaml")
        #expect(status == 0 && text.contains("valid"), "openapi-spec-validator (run scripts/setup.sh --for-tests):\n\(text)")
    }

    @Test func theServedDocumentNamesTheShopsOwnValuesAndStaysValid() async throws {
        let checkout = try TestCheckout()
        try await checkout.run { client in
            let served = String(buffer: try await client.execute(uri: "/openapi.yaml", method: .get).body)
            #expect(!served.contains("x-catalog"), "every placeholder is filled")
            let document = try #require(try Yams.load(yaml: served) as? [String: Any])
            let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any]
            let skus = (schemas?["SKU"] as? [String: Any])?["enum"] as? [String] ?? []
            #expect(skus.contains("KB-NOAH-COLORING") && skus.contains("KB-NOAH-COLORING-A4") && skus.contains("BND-HS-PLANNERS"))
            let magnets = ((schemas?["LeadRequest"] as? [String: Any])?["properties"] as? [String: Any])?["magnet"] as? [String: Any]
            #expect(magnets?["enum"] as? [String] == exampleCatalog.catalog.leadMagnets.map(\.slug))
            let path = checkout.folder + "/served-openapi.yaml"
            try served.write(toFile: path, atomically: true, encoding: .utf8)
            let (status, text) = try await Self.validate(path)
            #expect(status == 0 && text.contains("valid"), "\(text)")
        }
    }
}
