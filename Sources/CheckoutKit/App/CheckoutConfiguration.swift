/// How `checkout serve` runs; every field has a flag and most an environment variable (see the executable).
public struct CheckoutConfiguration: Sendable {
    /// Which payment provider takes the money.
    public enum ProviderKind: String, Sendable, CaseIterable {
        case test, stripe
    }

    public var host = "127.0.0.1"
    /// 0 picks a free port (tests).
    public var port = 8080
    /// The SQLite file (`--db`), used unless `databaseURL` is set.
    public var databasePath = "var/checkout.sqlite"
    /// A PostgreSQL server (`postgres://user:password@host:port/database`, `--database-url` or
    /// `CHECKOUT_DATABASE_URL`); several instances may share it.
    public var databaseURL: String?
    /// The most PostgreSQL connections this instance holds at once (`--database-connections`). More
    /// than the server has cores mostly adds waiting: 16 served the most orders a second on 2 cores.
    public var databaseConnections = 16
    /// The site folder: its `site.yaml` and catalog.
    public var siteFolder = "."
    /// A built site to serve from the same origin (the local default).
    public var publicFolder: String?
    /// How shoppers reach this service; defaults to `http://HOST:PORT`.
    public var publicURL: String?
    /// The host name in the default `publicURL` in place of the listening address (a shop of a
    /// multi-shop deployment: its first host name).
    public var publicHost: String?
    /// The port of a multi-shop deployment's operations listener (`--operations-port`, on `host`;
    /// 0 picks a free one): `/readyz` and `/metrics` cover every shop, so they answer there and never
    /// on a shop's host. Nil: no operations listener.
    public var operationsPort: Int?
    /// How long a shop of a multi-shop deployment whose load failed answers with that failure
    /// before a request tries to load it again (a reload that finds its files in place ends it sooner).
    public var shopRetryDelay: Duration = .seconds(2)
    /// Whether each background worker looks at its queue on a timer as well as when woken; a shop
    /// of a multi-shop deployment does not (`DueWorkScanner` looks for all of them at once).
    var pollsQueues = true
    /// The shops file or folder (`--shops`): when set, this deployment serves every shop it lists,
    /// each by its host names (`ShopsFile`), and `siteFolder` and the single shop's secrets are unused.
    public var shopsFile: String?
    /// The storefront's origin, for redirects and CORS; defaults to `publicURL` when `publicFolder` is
    /// set, else the site's `base_url`.
    public var siteURL: String?
    public var provider: ProviderKind = .test
    /// The secret incoming webhooks are signed with (Stripe's `whsec_…`, or any string for the test provider).
    public var webhookSecret: String
    public var stripeSecretKey: String?
    public var stripeAPIBase = "https://api.stripe.com"
    public var clock: CheckoutClock = .system

    /// Folder the default mail sender writes one `.eml` file per email into.
    public var mailFolder = "var/mail"
    /// `smtp://`, `smtp+starttls://` or `smtps://user:pass@host:port`; when set, email goes out by SMTP instead.
    public var smtpURL: String?
    /// The From address; defaults to the shop's name at `noreply@` the site's host.
    public var mailFrom: String?
    /// Queue emails in the outbox but do not send them.
    public var holdMail = false
    /// Key for download links; when nil, one is made once and kept in the database.
    public var downloadSecret: String?
    /// Downloads per file per entitlement (range requests not counted).
    public var downloadLimit = 5
    /// How long download links work, in seconds.
    public var linkLifetime = 24 * 3600
    /// How long a past-due subscription keeps access after its paid period ends, in seconds.
    public var gracePeriod = 3 * 86_400
    /// How long an unpaid order's payment session lasts, in seconds; its hold on limited stock lasts
    /// 15 minutes more, for the session's last events (Stripe's `expires_at` allows 30 minutes to 24 hours).
    public var stockHold = 30 * 60
    /// A licence key pool with fewer keys left than this is reported as running low (log, metric).
    public var lowKeyPool = Fulfilment.defaultLowKeyPool
    /// Bearer token for the admin API (refunds); the admin API is off without one.
    public var adminToken: String?
    /// Rate limits, counted in the database across every instance (`RateLimiter`), per client
    /// address (`ClientAddress`) and per email address.
    public var leadLimitPerIP = RateLimit(limit: 10, window: 3600)
    public var leadLimitPerAddress = RateLimit(limit: 3, window: 3600)
    public var loginLimitPerIP = RateLimit(limit: 10, window: 3600)
    public var loginLimitPerAddress = RateLimit(limit: 5, window: 3600)
    /// Proxies (load balancers, CDNs) whose `Forwarded` and `X-Forwarded-For` headers name the
    /// client (`--trusted-proxy CIDR`); from any other peer those headers are ignored.
    public var trustedProxies: [IPRange] = []
    /// The one header those proxies write the client into (`--forwarded-header`); the other is ignored.
    public var forwardedHeader: ForwardedHeader = .xForwardedFor
    /// How long this instance's claim on an email or outgoing webhook lasts before another instance
    /// may take it over, in seconds (`--queue-lease`).
    public var queueLease = 60
    /// How long a connection may stay open without a complete request (the first, or the next on a
    /// kept-alive connection) before it is closed: what stops a client holding connections open
    /// with half-sent requests.
    public var idleTimeout: Duration = .seconds(30)
    /// Client connections open at once; one more is closed when accepted. `checkout serve` sets it
    /// from the file-descriptor limit.
    public var maxConnections = 4_096
    /// How long an operator's endpoint has to answer an outgoing webhook before the attempt fails.
    public var webhookTimeout: Duration = .seconds(10)
    /// How long the server holding a remote file (a catalog file given as a URL) has to answer
    /// with its headers, connecting included, before the customer gets a 502.
    public var originTimeout: Duration = .seconds(30)

    /// The database this configuration names: PostgreSQL when `databaseURL` is set, else the SQLite file.
    public var storageLocation: StorageLocation {
        if let url = databaseURL, !url.isEmpty { return .postgres(url: url) }
        return .sqlite(path: databasePath)
    }

    /// How long personal data no longer needed is kept (`RetentionJob`).
    public var retention = RetentionPolicy()

    /// Scheduled backups (`BackupSchedule`); nil: none.
    public var backups: BackupSettings?

    public init(webhookSecret: String) {
        self.webhookSecret = webhookSecret
    }
}
