@testable import CheckoutKit
import Foundation
import HTTPTypes
import HummingbirdTesting
import TestSupport
import Testing
import Yams

/// The shipped monitoring files: `ops/prometheus/alerts.yml` passes `promtool check rules` and its
/// unit tests (`promtool test rules`), and every metric the alerts and the Grafana dashboard
/// (`ops/grafana/checkout.json`) query is one the service really exports.
@Suite struct OpsFilesTests {
    static let prometheus = repositoryRoot + "/ops/prometheus"

    @Test func theAlertRulesAreValidAndTheirUnitTestsPass() async throws {
        let check = try await runProgram("/usr/bin/promtool", ["check", "rules", Self.prometheus + "/alerts.yml"])
        #expect(check.status == 0 && check.output.contains("SUCCESS"), "\(check.output)")
        let tests = try await runProgram("/bin/sh", ["-c", "cd '\(Self.prometheus)' && promtool test rules alerts.test.yml"])
        #expect(tests.status == 0 && tests.output.contains("SUCCESS"), "\(tests.output)")
        let rules = try String(contentsOfFile: Self.prometheus + "/alerts.yml", encoding: .utf8)
        for alert in ["5..", "0.2", "checkout_outgoing_webhooks_oldest_pending_age_seconds", "checkout_email_failures_total", "checkout_backup_age_seconds > clamp_min(2 * checkout_backup_interval_seconds, 1800)", "checkout_ready == 0"] {
            #expect(rules.contains(alert), "alerts.yml watches \(alert)")
        }
    }

    /// The metric names in PromQL text: `checkout_…` identifiers (a histogram's `_bucket`, `_sum`
    /// and `_count` series named by the histogram).
    static func metricNames(in expression: String) -> Set<String> {
        let pattern = try! NSRegularExpression(pattern: "\\b(checkout_[a-z0-9_]+)")
        let range = NSRange(expression.startIndex..., in: expression)
        return Set(pattern.matches(in: expression, range: range).compactMap { match in
            Range(match.range(at: 1), in: expression).map { String(expression[$0]) }
        })
    }

    /// Every expression of the dashboard (`targets[].expr`, in rows too) and of the alert rules.
    static func queriedNames() throws -> (dashboard: Set<String>, alerts: Set<String>, expressions: Int) {
        let dashboard = try #require(try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: repositoryRoot + "/ops/grafana/checkout.json"))) as? [String: Any])
        var expressions: [String] = []
        func panels(_ list: [[String: Any]]) {
            for panel in list {
                expressions += (panel["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String }
                panels(panel["panels"] as? [[String: Any]] ?? [])
            }
        }
        panels(dashboard["panels"] as? [[String: Any]] ?? [])
        let rules = try #require(try Yams.load(yaml: String(contentsOfFile: prometheus + "/alerts.yml", encoding: .utf8)) as? [String: Any])
        let alertExpressions = (rules["groups"] as? [[String: Any]] ?? []).flatMap { $0["rules"] as? [[String: Any]] ?? [] }.compactMap { $0["expr"] as? String }
        return (expressions.reduce(into: Set()) { $0.formUnion(metricNames(in: $1)) },
                alertExpressions.reduce(into: Set()) { $0.formUnion(metricNames(in: $1)) }, expressions.count)
    }

    @Test func everyQueriedMetricIsOneTheServiceExports() async throws {
        var made = try TestCheckout()
        made.configuration.backups = BackupSettings(folder: made.folder + "/backups", interval: 3600, keep: 2)
        let checkout = made
        let admin: HTTPFields = [.authorization: "Bearer \(TestCheckout.adminToken)"]
        try await checkout.run { client, control in
            // Traffic of every kind a series starts on: a sale, a download, a refund, an erasure, a purge.
            let order = try await client.buy([("HS-DIGITAL-PLANNER", 1)], email: "ops@example.com")
            let paid = try await client.json(.get, "/api/orders/\(order.id)?token=\(order.token)")
            let link = try #require(((paid["downloads"] as? [[String: Any]])?.first?["files"] as? [[String: Any]])?.first?["url"] as? String)
            #expect(try await client.get(link).status == .ok)
            _ = try await client.json(.post, "/api/admin/orders/\(order.id)/refunds", [:], headers: admin)
            _ = try await client.json(.post, "/api/admin/customers/ops%40example.com/erase", [:], headers: admin)
            _ = try await control.purgeExpiredData()
            _ = try await client.buy([("HS-DIGITAL-PLANNER", 1)], email: "ops2@example.com")
            let backedUp = await eventually(within: 30) { !DatabaseBackup.copies(in: checkout.folder + "/backups").isEmpty }
            #expect(backedUp)

            let text = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            var exported: Set<String> = []
            for line in text.split(separator: "\n") where line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                guard parts.count >= 4 else { continue }
                exported.insert(String(parts[2]))
                if parts[3] == "histogram" { exported.formUnion(["_bucket", "_sum", "_count"].map { String(parts[2]) + $0 }) }
            }
            let (dashboard, alerts, expressions) = try Self.queriedNames()
            #expect(expressions >= 15 && dashboard.count >= 20, "the dashboard queries \(dashboard.count) metrics in \(expressions) expressions")
            #expect(dashboard.subtracting(exported).isEmpty, "the dashboard queries metrics the service does not export: \(dashboard.subtracting(exported).sorted())")
            #expect(alerts.subtracting(exported).isEmpty, "the alerts query metrics the service does not export: \(alerts.subtracting(exported).sorted())")
            for panel in ["checkout_http_request_duration_seconds_bucket", "checkout_revenue_minor_units_total", "checkout_outgoing_webhooks_pending",
                          "checkout_email_failures_total", "checkout_deliveries", "checkout_backup_age_seconds"] {
                #expect(dashboard.contains(panel), "the dashboard shows \(panel)")
            }
        }
    }
}
