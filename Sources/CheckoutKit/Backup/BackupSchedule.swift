import Logging
import Prometheus
import ServiceLifecycle

/// Takes a verified copy of the database every `settings.interval` while the service runs (the
/// first one at start), keeps the newest `settings.keep`, and records the newest good copy's time
/// for `/metrics` (`checkout_backup_age_seconds`, `checkout_backup_last_success_timestamp_seconds`;
/// failures count in `checkout_backup_failures_total`). With several instances on one PostgreSQL
/// database, run the schedule on one of them.
struct BackupSchedule: Service {
    let location: StorageLocation
    let settings: BackupSettings
    let clock: CheckoutClock
    let registry: PrometheusCollectorRegistry
    let logger: Logger

    func run() async throws {
        settings.status.started(at: clock.seconds, newestExisting: DatabaseBackup.copies(in: settings.folder).first?.takenAt)
        failures.increment(by: Int64(0))
        while true {
            await backUp()
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(settings.interval)) } } catch { return }
        }
    }

    /// Takes one copy now; whether it was good.
    @discardableResult
    func backUp() async -> Bool {
        let now = clock.seconds
        do {
            let copy = try await DatabaseBackup.take(location, to: settings.folder, now: now)
            settings.status.succeeded(at: copy.takenAt)
            let pruned = DatabaseBackup.prune(settings.folder, keep: settings.keep, kind: location.backupKind)
            logger.info("backup taken", metadata: ["file": "\(copy.path)", "pruned": "\(pruned)"])
            return true
        } catch {
            failures.increment()
            logger.error("backup failed", metadata: ["folder": "\(settings.folder)", "error": "\(error)"])
            return false
        }
    }

    var failures: Counter {
        registry.makeCounter(
            descriptor: .named("checkout_backup_failures_total", help: "Backups that could not be taken or failed verification."))
    }

    /// Sets the backup gauges on `registry` (at scrape time).
    static func setGauges(_ settings: BackupSettings, registry: PrometheusCollectorRegistry, now: Int) {
        registry.makeGauge(
            descriptor: .named("checkout_backup_interval_seconds", help: "Seconds between scheduled backups (--backup-every)."))
            .set(Int64(settings.interval))
        if let age = settings.status.age(now: now) {
            registry.makeGauge(
                descriptor: .named(
                    "checkout_backup_age_seconds",
                    help: "Seconds since the newest verified backup (or since backups started, when none succeeded)."))
                .set(Int64(age))
        }
        if let last = settings.status.lastSuccess {
            registry.makeGauge(
                descriptor: .named(
                    "checkout_backup_last_success_timestamp_seconds", help: "When the newest verified backup was taken, seconds since 1970."))
                .set(Int64(last))
        }
    }
}
