import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import Yams

@Suite struct OperationsTests {
    /// Every route the service answers, as the OpenAPI document must describe it.
    static let routes: [(String, String)] = [
        ("post", "/api/carts"), ("get", "/api/carts/{cart}"), ("post", "/api/carts/{cart}/lines"),
        ("patch", "/api/carts/{cart}/lines/{line}"), ("delete", "/api/carts/{cart}/lines/{line}"),
        ("post", "/api/carts/{cart}/coupon"), ("delete", "/api/carts/{cart}/coupon"), ("post", "/api/checkout"),
        ("get", "/api/orders/{order}"), ("post", "/webhooks/stripe"), ("get", "/test-pay/{session}"),
        ("post", "/test-pay/{session}/pay"), ("post", "/test-pay/{session}/decline"), ("get", "/healthz"), ("get", "/readyz"),
        ("get", "/metrics"), ("get", "/openapi.yaml"),
    ]

    @Test func healthAndReadiness() async throws {
        try await TestCheckout().live { client in
            let health = try await client.json(.get, "/healthz")
            #expect(health.status == .ok)
            let ready = try await client.json(.get, "/readyz")
            #expect(ready.status == .ok)
            #expect(ready["database"] as? Bool == true)
            #expect(ready["catalog_products"] as? Int == 42)
        }
    }

    @Test func theOpenAPIDocumentDescribesEveryRouteAndOnlyRealOnes() async throws {
        try await TestCheckout().live { client in
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
                let uri = path.replacingOccurrences(of: "{cart}", with: "c").replacingOccurrences(of: "{line}", with: "l")
                    .replacingOccurrences(of: "{order}", with: "o").replacingOccurrences(of: "{session}", with: "s")
                let reply = try await client.json(HTTPRequest.Method(method.uppercased())!, uri)
                #expect(reply.errorCode != "not_found" || reply.errorMessage != "not found", "\(method) \(path) is not served")
            }
        }
    }

    @Test func metricsCountRequestsOrdersAndRevenue() async throws {
        try await TestCheckout().live { client in
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
        }
    }

    @Test func everyResponseCarriesARequestIdAndErrorsAreJSON() async throws {
        try await TestCheckout().live { client in
            let ok = try await client.execute(uri: "/healthz", method: .get)
            #expect(ok.headers[HTTPField.Name("X-Request-Id")!]?.isEmpty == false)
            let missing = try await client.json(.get, "/no/such/route")
            #expect(missing.status == .notFound)
            #expect(missing.errorCode == "not_found")
            #expect(missing.headers[HTTPField.Name("X-Request-Id")!]?.isEmpty == false)
        }
    }
}
