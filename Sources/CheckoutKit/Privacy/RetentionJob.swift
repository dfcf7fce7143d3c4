import Foundation
import Logging
import Prometheus
import ServiceLifecycle

/// Purges what `RetentionPolicy` says is kept no longer, at start and then every `interval`, across
/// every shop of the database. Each batch is its own transaction; several instances running it at
/// once only find less to delete.
struct RetentionJob: Service {
    let storage: any CheckoutStorage
    let policy: RetentionPolicy
    let clock: CheckoutClock
    /// Where `checkout_retention_purged_total{kind}` counts (the deployment's, without a shop label).
    let registry: PrometheusCollectorRegistry
    let logger: Logger
    /// The folder a shop's `.eml` files are in (by shop id), if any: a purged email's file goes too.
    var mailFolder: @Sendable (String) -> String? = { _ in nil }
    var interval: Duration = .seconds(3600)

    func run() async throws {
        while true {
            do {
                _ = try await purge()
            } catch {
                logger.error("retention purge failed; tried again in an hour", metadata: ["error": "\(error)"])
            }
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) } } catch { return }
        }
    }

    /// Purges everything due now, batch by batch; what it removed, by kind.
    func purge() async throws -> RetentionPurge {
        let (policy, now) = (policy, clock.seconds)
        var purge = RetentionPurge()
        while true {
            let batch = try await storage.write { tx in try RetentionRecords(sql: tx.sql).purgeBatch(policy, now: now) }
            purge.counts.merge(batch.counts, uniquingKeysWith: +)
            let files = batch.emails.compactMap { email in mailFolder(email.shop).map { $0 + "/\(email.id).eml" } }
            if !files.isEmpty {
                _ = try? await BlockingWork.run { for file in files { try? FileManager.default.removeItem(atPath: file) } }
            }
            if batch.counts.values.allSatisfy({ $0 == 0 }) { break }
        }
        for (kind, count) in purge.counts {
            registry.makeCounter(
                descriptor: .named("checkout_retention_purged_total", help: "Rows purged or emptied by the retention policy, by kind."),
                labels: [("kind", kind)]).increment(by: Int64(count))
        }
        if purge.total > 0 {
            logger.info("retention purge", metadata: purge.counts.filter { $0.value > 0 }.mapValues { "\($0)" })
        }
        return purge
    }
}
