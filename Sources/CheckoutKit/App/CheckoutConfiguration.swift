/// How `checkout serve` runs; every field has a flag and most an environment variable (see the executable).
public struct CheckoutConfiguration: Sendable {
    /// Which payment provider takes the money.
    public enum ProviderKind: String, Sendable, CaseIterable {
        case test, stripe
    }

    public var host = "127.0.0.1"
    /// 0 picks a free port (tests).
    public var port = 8080
    public var databasePath = "var/checkout.sqlite"
    /// The site folder: its `site.yaml` and catalog.
    public var siteFolder = "."
    /// A built site to serve from the same origin (the local default).
    public var publicFolder: String?
    /// How shoppers reach this service; defaults to `http://HOST:PORT`.
    public var publicURL: String?
    /// The storefront's origin, for redirects and CORS; defaults to `publicURL` when `publicFolder` is
    /// set, else the site's `base_url`.
    public var siteURL: String?
    public var provider: ProviderKind = .test
    /// The secret incoming webhooks are signed with (Stripe's `whsec_…`, or any string for the test provider).
    public var webhookSecret: String
    public var stripeSecretKey: String?
    public var stripeAPIBase = "https://api.stripe.com"
    public var clock: CheckoutClock = .system

    public init(webhookSecret: String) {
        self.webhookSecret = webhookSecret
    }
}
