import AsyncHTTPClient
import Foundation
import Testing
import TestSupport

/// Requests generated from `/openapi.yaml` by schemathesis (PyPI) against the real `checkout` process:
/// thousands of valid and invalid requests over every operation, checked for server errors,
/// undocumented statuses and content types, and bodies that do not match their schema.
@Suite struct GeneratedRequestTests {
    static let checks = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"

    /// Operations that refuse most generated requests for reasons no schema can state, and why. Any
    /// other operation schemathesis finds refusing what its schema allows means the document is loose.
    static let refusedByDesign: Set<String> = [
        "POST /webhooks/stripe",  // only the payment provider can sign an event
        "GET /account/login/{token}",  // sign-in tokens are secrets made by the service
        "POST /api/carts/{cart}/coupon", "POST /cart/coupon",  // coupon codes are private, so not enumerated
        "GET /admin/login/{token}",  // console sign-in tokens too
        // A period is at most 731 days, and `to` is not before `from`: two dates drawn at random seldom are.
        "GET /api/admin/dashboard", "GET /api/admin/dashboard.csv",
        // Only a paid order is refunded or has a receipt; the orders a run creates are not paid.
        "POST /api/admin/orders/{order}/refunds", "POST /api/admin/orders/{order}/receipt",
    ]

    @Test func schemathesisFindsNoServerErrorUndocumentedStatusOrLooseSchema() async throws {
        let checkout = try TestCheckout()
        // High rate limits: otherwise most lead and sign-in requests would meet a (documented) 429.
        let server = try await ServerProcess.start(
            try checkout.databaseArguments("generated") + ["--site", checkout.folder + "/site", "--mail-dir", checkout.folder + "/mail",
             "--lead-limit-per-ip", "1000000", "--lead-limit-per-address", "1000000", "--login-limit-per-ip", "1000000",
             "--login-limit-per-address", "1000000"],
            environment: ["CHECKOUT_WEBHOOK_SECRET": "whsec_generated", "CHECKOUT_ADMIN_TOKEN": "generated-admin"])
        let log = server.keepReadingLog()
        defer { server.process.terminate() }

        let folder = repositoryRoot + "/test-artifacts/schemathesis"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let reportPath = folder + "/report.json"
        try? FileManager.default.removeItem(atPath: reportPath)
        let (status, output) = try await runProgram("/usr/bin/env", [
            "schemathesis", "run", server.base + "/openapi.yaml", "--checks", Self.checks, "--max-examples", "25", "--seed", "18",
            "--no-color", "--max-redirects", "0", "--generation-database", "none", "--request-timeout", "10",
            "-H", "Authorization: Bearer generated-admin", "--report", "json", "--report-json-path", reportPath,
        ])
        try output.write(toFile: folder + "/output.txt", atomically: true, encoding: .utf8)
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: reportPath))) as? [String: Any],
            "no report; schemathesis said:\n\(output.suffix(3000))")
        let cases = report["test_cases"] as? [String: Any] ?? [:]
        let generated = cases["generated"] as? Int ?? 0
        #expect(generated >= 1_000, "only \(generated) requests")
        #expect(cases["with_failures"] as? Int == 0 && (report["failures"] as? [Any])?.isEmpty == true, "\(output.suffix(6000))")
        #expect((report["errors"] as? [Any])?.isEmpty == true, "\(output.suffix(3000))")
        #expect(status == 0, "\(output.suffix(3000))")
        let operations = report["operations"] as? [String: Any] ?? [:]
        #expect(operations["tested"] as? Int == operations["total"] as? Int, "every operation is exercised")
        let mismatched = Set((report["warnings"] as? [String: Any])?["validation_mismatch"] as? [String] ?? [])
        #expect(mismatched.isSubset(of: Self.refusedByDesign), "schemas looser than the service: \(mismatched.subtracting(Self.refusedByDesign))")

        // The process is alive and answering, and logged no unhandled error.
        #expect(server.process.isRunning)
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { _ = client.shutdown() }
        #expect(try await client.execute(HTTPClientRequest(url: server.base + "/healthz"), timeout: .seconds(10)).status.code == 200)
        #expect(!log.lines.contains { $0.contains("unhandled error") }, "\(log.lines.filter { $0.contains("unhandled error") }.prefix(3))")
    }
}
