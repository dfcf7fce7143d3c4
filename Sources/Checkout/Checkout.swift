import ArgumentParser
import CheckoutKit
import Foundation
import Hummingbird
import Logging

/// `checkout`: the service that takes the money and delivers the goods.
@main
struct Checkout: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkout",
        abstract: "Carts, orders, payments and delivery for a sitegen shop.",
        subcommands: [Serve.self, Webhooks.self, Keys.self, Admin.self, Customers.self, Backup.self, Restore.self],
        defaultSubcommand: Serve.self)
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the checkout service.")

    @Option(help: "Address to listen on (env CHECKOUT_HOST).")
    var host: String = ProcessInfo.processInfo.environment["CHECKOUT_HOST"] ?? "127.0.0.1"

    @Option(help: "Port to listen on; 0 picks a free one (env CHECKOUT_PORT).")
    var port: Int = Int(ProcessInfo.processInfo.environment["CHECKOUT_PORT"] ?? "") ?? 8080

    @Option(help: "SQLite database file (env CHECKOUT_DB).")
    var db: String = ProcessInfo.processInfo.environment["CHECKOUT_DB"] ?? "var/checkout.sqlite"

    @Option(name: .customLong("database-url"), help: """
        PostgreSQL instead of --db: postgres://user:password@host:port/database[?sslmode=disable|prefer|require|verify-ca|verify-full]; \
        several instances may share one (env CHECKOUT_DATABASE_URL, which keeps the password out of the process list).
        """)
    var databaseURLOption: String?
    /// `--database-url`, else `CHECKOUT_DATABASE_URL`.
    var databaseURL: String? { databaseURLOption ?? environment("CHECKOUT_DATABASE_URL") }

    @Option(help: "The most PostgreSQL connections this instance holds at once, 1–1000 (env CHECKOUT_DATABASE_CONNECTIONS).")
    var databaseConnections: Int = Int(ProcessInfo.processInfo.environment["CHECKOUT_DATABASE_CONNECTIONS"] ?? "") ?? 16

    @Option(help: "Site folder holding site.yaml and the catalog (env CHECKOUT_SITE).")
    var site: String = ProcessInfo.processInfo.environment["CHECKOUT_SITE"] ?? "."

    @Option(name: .customLong("shops"), help: """
        Serve many shops: a YAML file (or a folder of ID.yaml files) listing each shop's id, site folder, host names, \
        provider and where its secrets are (env CHECKOUT_SHOPS). --site, --public, --provider and the single shop's \
        secrets are then unused; each shop has its own.
        """)
    var shopsOption: String?
    /// `--shops`, else `CHECKOUT_SHOPS`.
    var shops: String? { shopsOption ?? environment("CHECKOUT_SHOPS") }

    @Option(name: .customLong("operations-port"), help: """
        With --shops: the port of the operations listener, on --host, where the deployment's /readyz and /metrics answer \
        (they cover every shop, so never on a shop's host); 0 picks a free one (env CHECKOUT_OPERATIONS_PORT).
        """)
    var operationsPortOption: Int?
    /// `--operations-port`, else `CHECKOUT_OPERATIONS_PORT`.
    var operationsPort: Int? { operationsPortOption ?? environment("CHECKOUT_OPERATIONS_PORT").flatMap { Int($0) } }

    @Option(name: .customLong("public"), help: "Also serve this built site from the same origin.")
    var publicFolder: String?

    @Option(
        name: .customLong("public-url"),
        help: "How shoppers reach this service (default http://HOST:PORT; env CHECKOUT_PUBLIC_URL).")
    var publicURLOption: String?
    /// `--public-url`, else `CHECKOUT_PUBLIC_URL`.
    var publicURL: String? { publicURLOption ?? environment("CHECKOUT_PUBLIC_URL") }

    @Option(help: "The storefront's origin, for redirects and CORS (default: this service with --public, else the site's base_url).")
    var siteURL: String?

    @Option(help: "Payment provider: test (offline, default) or stripe (env CHECKOUT_PROVIDER).")
    var provider: String = ProcessInfo.processInfo.environment["CHECKOUT_PROVIDER"] ?? "test"

    @Option(help: "File holding the webhook signing secret (else env CHECKOUT_WEBHOOK_SECRET).")
    var webhookSecretFile: String?

    @Option(help: "File holding the Stripe secret key (else env STRIPE_SECRET_KEY).")
    var stripeKeyFile: String?

    @Option(help: "Stripe API base URL (env STRIPE_API_BASE).")
    var stripeAPIBase: String = ProcessInfo.processInfo.environment["STRIPE_API_BASE"] ?? "https://api.stripe.com"

    @Option(help: "Folder for emails as .eml files, one per email (env CHECKOUT_MAIL_DIR).")
    var mailDir: String = ProcessInfo.processInfo.environment["CHECKOUT_MAIL_DIR"] ?? "var/mail"

    @Option(
        name: .customLong("smtp-url"),
        help: "Send email by SMTP instead: smtp://, smtp+starttls:// or smtps://user:pass@host:port (env CHECKOUT_SMTP_URL).")
    var smtpURLOption: String?
    /// `--smtp-url`, else `CHECKOUT_SMTP_URL`.
    var smtpURL: String? { smtpURLOption ?? environment("CHECKOUT_SMTP_URL") }

    @Option(name: .customLong("mail-from"), help: "The From address of emails (env CHECKOUT_MAIL_FROM).")
    var mailFromOption: String?
    /// `--mail-from`, else `CHECKOUT_MAIL_FROM`.
    var mailFrom: String? { mailFromOption ?? environment("CHECKOUT_MAIL_FROM") }

    @Flag(help: "Queue emails but do not send them.")
    var holdMail = false

    @Option(help: "Downloads allowed per file.")
    var downloadLimit: Int = 5

    @Option(help: "Hours a download link works.")
    var linkHours: Int = 24

    @Option(help: "Days a past-due membership keeps access after its paid period.")
    var graceDays: Int = 3

    @Option(help: "Minutes an unpaid order's payment session lasts, holding limited stock (30 to 1380).")
    var stockHoldMinutes: Int = 30

    @Option(help: "Free-file requests allowed per client IP an hour.")
    var leadLimitPerIP: Int = 10

    @Option(help: "Free-file requests allowed per email address an hour.")
    var leadLimitPerAddress: Int = 3

    @Option(help: "Sign-in link requests allowed per client IP an hour.")
    var loginLimitPerIP: Int = 10

    @Option(help: "Sign-in link requests allowed per email address an hour.")
    var loginLimitPerAddress: Int = 5

    @Option(help: """
        A proxy or load balancer in front of this service, as CIDR (10.0.0.0/8, 2001:db8::/32) or one address; repeat for \
        more (env CHECKOUT_TRUSTED_PROXIES, comma-separated). Only from these peers are Forwarded and X-Forwarded-For read, \
        to find the client address that rate limits count.
        """)
    var trustedProxy: [String] = (ProcessInfo.processInfo.environment["CHECKOUT_TRUSTED_PROXIES"] ?? "")
        .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }

    @Option(help: "The header the trusted proxies write the client address into: x-forwarded-for (default) or forwarded (RFC 7239); the other is never read.")
    var forwardedHeader: String = "x-forwarded-for"

    @Option(help: "Seconds an instance's claim on an email or outgoing webhook lasts before another instance may take it over.")
    var queueLease: Int = 60

    @Option(help: "Seconds a connection may stay open without a complete request.")
    var idleTimeout: Int = 30

    @Option(help: "Client connections open at once (default: the file-descriptor limit less 256).")
    var maxConnections: Int?

    @Option(help: "Seconds an outgoing webhook endpoint has to answer.")
    var webhookTimeout: Int = 10

    @Option(help: "Seconds the server of a remote file (a catalog file given as a URL) has to start answering.")
    var originTimeout: Int = 30

    @Option(
        name: .customLong("backup-dir"),
        help: "Take a verified backup of the database into this folder on a schedule (env CHECKOUT_BACKUP_DIR).")
    var backupDirOption: String?
    /// `--backup-dir`, else `CHECKOUT_BACKUP_DIR`.
    var backupDir: String? { backupDirOption ?? environment("CHECKOUT_BACKUP_DIR") }

    @Option(help: "With --backup-dir: time between backups, e.g. 10m, 1h, 30s (default 10m; at most 15m keeps the recovery point under 15 minutes).")
    var backupEvery: String?

    @Option(help: "With --backup-dir: how many of the newest backups to keep (default 144: a day at 10m).")
    var backupKeep: Int?

    @Option(help: "Purge leads never confirmed after this long, e.g. 30d.")
    var purgeUnconfirmedLeadsAfter: String = "30d"

    @Option(help: "Purge customer and staff sessions and sign-in links this long after they expired.")
    var purgeSessionsAfter: String = "1d"

    @Option(help: "Purge delivered outgoing webhooks, and empty processed payment events' stored bodies, after this long.")
    var purgeWebhookPayloadsAfter: String = "30d"

    @Option(help: "Purge sent (or failed) emails, with their bodies, after this long.")
    var purgeSentEmailsAfter: String = "90d"

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    /// Ranges for the numeric flags, so a typo cannot overflow a computed lifetime or turn a limit off.
    func validate() throws {
        // A variable that is set must say what it means: text where a number goes is not the default.
        for name in ["CHECKOUT_PORT", "CHECKOUT_DATABASE_CONNECTIONS", "CHECKOUT_OPERATIONS_PORT"] {
            if let raw = environment(name), Int(raw) == nil {
                throw ValidationError("\(name): '\(raw)' is not a whole number")
            }
        }
        guard (0...65_535).contains(port) else {
            throw ValidationError("--port (or CHECKOUT_PORT): \(port) is not a port (0 to 65535; 0 picks a free one)")
        }
        if let operationsPort {
            guard (0...65_535).contains(operationsPort) else {
                throw ValidationError("--operations-port (or CHECKOUT_OPERATIONS_PORT): \(operationsPort) is not a port (0 to 65535)")
            }
            guard shops != nil else {
                throw ValidationError("--operations-port: only a deployment of many shops (--shops) has an operations listener")
            }
        }
        guard (1...1_000_000).contains(downloadLimit) else { throw ValidationError("--download-limit: \(downloadLimit) is not from 1 to 1000000") }
        guard (1...87_600).contains(linkHours) else { throw ValidationError("--link-hours: \(linkHours) is not from 1 to 87600 (ten years)") }
        if let url = databaseURL, url.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--database-url (or CHECKOUT_DATABASE_URL) is empty: give a postgres:// URL, or leave it unset to use the SQLite file --db")
        }
        guard (1...1000).contains(databaseConnections) else {
            throw ValidationError("--database-connections (or CHECKOUT_DATABASE_CONNECTIONS): \(databaseConnections) is not from 1 to 1000")
        }
        guard (0...3_650).contains(graceDays) else { throw ValidationError("--grace-days: \(graceDays) is not from 0 to 3650") }
        guard (30...1_380).contains(stockHoldMinutes) else {
            throw ValidationError("--stock-hold-minutes: \(stockHoldMinutes) is not from 30 to 1380 (within Stripe's 30 minutes to 24 hours for a payment session)")
        }
        guard (1...600).contains(webhookTimeout) else { throw ValidationError("--webhook-timeout: \(webhookTimeout) is not from 1 to 600 seconds") }
        guard (1...600).contains(originTimeout) else { throw ValidationError("--origin-timeout: \(originTimeout) is not from 1 to 600 seconds") }
        guard (1...3_600).contains(idleTimeout) else { throw ValidationError("--idle-timeout: \(idleTimeout) is not from 1 to 3600 seconds") }
        if let maxConnections, !(1...1_000_000).contains(maxConnections) {
            throw ValidationError("--max-connections: \(maxConnections) is not from 1 to 1000000")
        }
        for proxy in trustedProxy where IPRange(proxy) == nil {
            throw ValidationError(
                "--trusted-proxy (or CHECKOUT_TRUSTED_PROXIES): '\(proxy)' is not an address or a CIDR block (10.0.0.0/8, 2001:db8::/32)")
        }
        guard ForwardedHeader(rawValue: forwardedHeader.lowercased()) != nil else {
            throw ValidationError("--forwarded-header: '\(forwardedHeader)' is not x-forwarded-for or forwarded")
        }
        guard (5...86_400).contains(queueLease) else { throw ValidationError("--queue-lease: \(queueLease) is not from 5 to 86400 seconds") }
        guard queueLease > webhookTimeout else {
            throw ValidationError("--queue-lease: \(queueLease) must be longer than --webhook-timeout (\(webhookTimeout) seconds)")
        }
        if backupDir == nil, backupEvery != nil || backupKeep != nil {
            throw ValidationError("--backup-every and --backup-keep schedule backups into --backup-dir (or CHECKOUT_BACKUP_DIR): give the folder")
        }
        if let backupEvery, DurationText.seconds(backupEvery).map({ (1...86_400).contains($0) }) != true {
            throw ValidationError("--backup-every: '\(backupEvery)' is not a time from 1s to 24h (e.g. 10m, 1h, 30s)")
        }
        if let backupKeep, !(1...100_000).contains(backupKeep) { throw ValidationError("--backup-keep: \(backupKeep) is not from 1 to 100000") }
        for (flag, value) in [
            ("--purge-unconfirmed-leads-after", purgeUnconfirmedLeadsAfter), ("--purge-sessions-after", purgeSessionsAfter),
            ("--purge-webhook-payloads-after", purgeWebhookPayloadsAfter), ("--purge-sent-emails-after", purgeSentEmailsAfter),
        ] where DurationText.seconds(value).map({ (3600...(3_650 * 86_400)).contains($0) }) != true {
            throw ValidationError("\(flag): '\(value)' is not a time from 1h to 3650d (e.g. 30d, 12h)")
        }
        for (flag, limit) in [
            ("--lead-limit-per-ip", leadLimitPerIP), ("--lead-limit-per-address", leadLimitPerAddress),
            ("--login-limit-per-ip", loginLimitPerIP), ("--login-limit-per-address", loginLimitPerAddress),
        ] where !(1...1_000_000).contains(limit) {
            throw ValidationError("\(flag): \(limit) is not from 1 to 1000000 requests an hour")
        }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { JSONLogHandler(label: $0, level: level) }
        let logger = Logger(label: "checkout")
        do {
            guard let kind = CheckoutConfiguration.ProviderKind(rawValue: provider) else {
                throw ValidationError("--provider: '\(provider)' is not a provider; use test or stripe")
            }
            // With a shops file, each shop's secrets are read from where the file says.
            var configuration = CheckoutConfiguration(webhookSecret: shops != nil ? "" : try secret(
                file: webhookSecretFile, environment: "CHECKOUT_WEBHOOK_SECRET", required: kind == .stripe, logger: logger))
            configuration.shopsFile = shops
            configuration.operationsPort = operationsPort
            configuration.host = host
            configuration.port = port
            configuration.databasePath = db
            configuration.databaseURL = databaseURL
            configuration.databaseConnections = databaseConnections
            configuration.siteFolder = site
            configuration.publicFolder = publicFolder
            configuration.publicURL = publicURL
            configuration.siteURL = siteURL
            configuration.provider = kind
            configuration.stripeAPIBase = stripeAPIBase
            configuration.mailFolder = mailDir
            configuration.smtpURL = smtpURL
            configuration.mailFrom = mailFrom
            configuration.holdMail = holdMail
            configuration.downloadLimit = downloadLimit
            configuration.linkLifetime = linkHours * 3600
            configuration.gracePeriod = graceDays * 86_400
            configuration.stockHold = stockHoldMinutes * 60
            configuration.leadLimitPerIP = .init(limit: leadLimitPerIP, window: 3600)
            configuration.leadLimitPerAddress = .init(limit: leadLimitPerAddress, window: 3600)
            configuration.loginLimitPerIP = .init(limit: loginLimitPerIP, window: 3600)
            configuration.loginLimitPerAddress = .init(limit: loginLimitPerAddress, window: 3600)
            configuration.trustedProxies = trustedProxy.compactMap(IPRange.init)
            configuration.queueLease = queueLease
            configuration.forwardedHeader = ForwardedHeader(rawValue: forwardedHeader.lowercased()) ?? .xForwardedFor
            configuration.idleTimeout = .seconds(idleTimeout)
            configuration.webhookTimeout = .seconds(webhookTimeout)
            configuration.originTimeout = .seconds(originTimeout)
            if let backupDir {
                configuration.backups = BackupSettings(
                    folder: backupDir, interval: backupEvery.flatMap(DurationText.seconds) ?? 600, keep: backupKeep ?? 144)
            }
            configuration.retention.unconfirmedLeads = DurationText.seconds(purgeUnconfirmedLeadsAfter) ?? configuration.retention.unconfirmedLeads
            configuration.retention.expiredSessions = DurationText.seconds(purgeSessionsAfter) ?? configuration.retention.expiredSessions
            configuration.retention.webhookPayloads = DurationText.seconds(purgeWebhookPayloadsAfter) ?? configuration.retention.webhookPayloads
            configuration.retention.sentEmails = DurationText.seconds(purgeSentEmailsAfter) ?? configuration.retention.sentEmails
            let descriptors = FileDescriptorLimit.raise()
            configuration.maxConnections = maxConnections ?? max(64, descriptors - 256)
            logger.info("connections", metadata: ["max": "\(configuration.maxConnections)", "file_descriptors": "\(descriptors)"])
            configuration.adminToken = ProcessInfo.processInfo.environment["CHECKOUT_ADMIN_TOKEN"]
            configuration.downloadSecret = ProcessInfo.processInfo.environment["CHECKOUT_DOWNLOAD_SECRET"]
            if kind == .stripe, shops == nil {
                configuration.stripeSecretKey = try secret(file: stripeKeyFile, environment: "STRIPE_SECRET_KEY", required: true, logger: logger)
            }
            if shops != nil {
                // SIGHUP reloads the shops file; ignored until the watcher traps it, so one sent
                // during the start cannot end the process (its default action).
                signal(SIGHUP, SIG_IGN)
                try await CheckoutApp.makeShops(configuration, logger: logger).application.runService()
            } else {
                try await CheckoutApp.build(configuration, logger: logger).runService()
            }
        } catch let error as ValidationError {
            throw error
        } catch {
            var standardError = FileHandle.standardError
            print("checkout: \(describe(error))", to: &standardError)
            throw ExitCode.failure
        }
    }

    /// A secret from a file or the environment, never from a flag (flags show up in `ps`).
    private func secret(file: String?, environment name: String, required: Bool, logger: Logger) throws -> String {
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ValidationError("cannot read the secret file \(file)")
            }
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if let value = ProcessInfo.processInfo.environment[name], !value.isEmpty { return value }
        guard !required else { throw ValidationError("set \(name) or pass the secret in a file") }
        logger.notice("no \(name) set: signing test payments with a random secret for this run")
        return UUID().uuidString + UUID().uuidString
    }
}

extension FileHandle: @retroactive TextOutputStream {
    public func write(_ string: String) {
        write(Data(string.utf8))
    }
}

/// An error as an operator reads it: the message, not Swift's dump of the value.
func describe(_ error: any Error) -> String {
    if let error = error as? CheckoutError { return error.message }
    return String(describing: error)
}
