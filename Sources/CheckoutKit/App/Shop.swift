import Crypto
import Foundation
import Hummingbird
import Logging
import ShopCore
import Synchronization

/// What every controller shares: the catalog, the stores, the clock, the payment provider.
final class Shop: Sendable {
    let configuration: CheckoutConfiguration
    let address: ServiceAddress
    /// The shop's id in the database (`""` for the one shop of a single-shop deployment).
    var id: String { storage.shop }
    /// The database, scoped to this shop.
    let storage: ShopStorage
    let carts: CartStore
    let orders: OrderStore
    let events: WebhookEventStore
    let processor: WebhookProcessor
    let clock: CheckoutClock
    let provider: PaymentProvider
    let metrics: CheckoutMetrics
    let logger: Logger
    let templates: EmailTemplates
    let delivery: Delivery
    /// Downloads per file and entitlement, against the limit and byte budget.
    let downloadCounts: any DownloadCounts
    let effects: DeliveryEffects
    let mail: MailWorker
    let webhooks: WebhookDeliveryWorker
    let limiter: RateLimiter
    /// The shop's name, as emails sign off.
    let shopName: String
    private let catalogHolder: CatalogHolder

    init(
        address: ServiceAddress, storage: ShopStorage, catalog: CatalogIndex, provider: PaymentProvider,
        metrics: CheckoutMetrics, logger: Logger, templates: EmailTemplates, downloadSecret: SymmetricKey, filesFolder: String,
        mailSender: any MailSender
    ) {
        let configuration = address.configuration
        self.configuration = configuration
        self.address = address
        self.storage = storage
        let clock = configuration.clock
        self.clock = clock
        let holder = CatalogHolder(catalog)
        catalogHolder = holder
        carts = CartStore(storage: storage, clock: clock) { before, after in
            do throws(PricingError) {
                try CartPricing.checkChange(
                    from: before?.lines, to: after.lines, index: holder.current, at: address.site.time(clock.seconds))
            } catch {
                throw CheckoutError.pricing(error)
            }
        }
        orders = OrderStore(storage: storage, clock: clock)
        limiter = RateLimiter(storage: storage)
        events = WebhookEventStore(storage: storage, clock: clock)
        self.provider = provider
        self.metrics = metrics
        self.logger = logger
        self.templates = templates
        shopName = address.site.title
        let currentCatalog: @Sendable () -> CatalogIndex = { holder.current }
        let links = DownloadLinks(
            secret: downloadSecret, publicURL: { address.publicURL }, lifetime: configuration.linkLifetime, catalog: currentCatalog)
        let ledger = EntitlementLedger(catalog: currentCatalog, grace: configuration.gracePeriod)
        delivery = Delivery(ledger: ledger, links: links, limit: configuration.downloadLimit, filesFolder: filesFolder)
        downloadCounts = StoredDownloadCounts(storage: storage, limit: configuration.downloadLimit)
        effects = DeliveryEffects(
            ledger: ledger, links: links, templates: templates, shopName: address.site.title, siteURL: { address.siteURL },
            downloadLimit: configuration.downloadLimit, metrics: metrics,
            fulfilment: Fulfilment(catalog: currentCatalog, logger: logger, lowKeyPool: configuration.lowKeyPool))
        let from = configuration.mailFrom ?? "\(address.site.title) <noreply@\(URL(string: address.site.baseURL)?.host ?? "localhost")>"
        let lease = QueueLease(seconds: configuration.queueLease)
        // Names this start's claims in the outbox and delivery queue (`claimed_by`), to tell them apart.
        logger.info("queue claims", metadata: ["claims_as": "\(lease.instance)", "lease_seconds": "\(lease.seconds)"])
        let mail = MailWorker(
            storage: storage, sender: mailSender, from: from, clock: clock, logger: logger, metrics: metrics, holding: configuration.holdMail,
            lease: lease, polls: configuration.pollsQueues)
        self.mail = mail
        let webhooks = WebhookDeliveryWorker(
            storage: storage, clock: clock, logger: logger, metrics: metrics, timeout: configuration.webhookTimeout, lease: lease,
            polls: configuration.pollsQueues)
        self.webhooks = webhooks
        processor = WebhookProcessor(
            storage: storage,
            subscriptions: SubscriptionEventApplier(planSlug: { sku in currentCatalog().catalog.plans.first { $0.sku == sku }?.slug }),
            effects: effects, clock: clock, logger: logger, polls: configuration.pollsQueues,
            processed: {
                mail.notify()
                webhooks.notify()
            })
    }

    /// The client's address as rate limits key it (`ClientAddress`).
    func clientAddress(_ request: Request, context: CheckoutRequestContext) -> String {
        ClientAddress.key(
            peer: context.peer, headers: request.headers, trusted: configuration.trustedProxies, header: configuration.forwardedHeader)
    }

    func leadsConfirmed() { metrics.leadsConfirmed.increment() }

    var siteURL: String { address.siteURL }

    /// Where the shopper lands after paying.
    func thankYouURL(_ order: StoredOrder) -> String {
        siteURL + "/thank-you/?order=\(order.id)&token=\(order.token)"
    }

    /// Now, in the shop's time zone: what prices and coupons are valid at.
    var now: ShopTime { address.site.time(clock.seconds) }

    /// The catalog prices come from.
    var catalog: CatalogIndex { catalogHolder.current }

    /// Replaces the catalog (after the site's catalog changed).
    func replaceCatalog(_ index: CatalogIndex) { catalogHolder.replace(index) }

    /// The plans whose member prices the request's shopper gets: the memberships that give access
    /// now of the account signed in with the `checkout_session` cookie; none without one (and no
    /// database read when no plan has a member discount).
    func memberPlans(_ request: Request) async throws -> [Plan] {
        guard let session = request.cookies[AccountController.cookie]?.value, !session.isEmpty else { return [] }
        let index = catalog
        guard index.catalog.plans.contains(where: { ($0.memberDiscountPercent ?? 0) > 0 }) else { return [] }
        let (now, grace, hash) = (clock.seconds, configuration.gracePeriod, AccountController.hash(session))
        let facts = try await storage.read { tx -> [SubscriptionFact] in
            guard let email = try tx.accounts.sessionEmail(hash: hash, now: now) else { return [] }
            return try tx.subscriptions.facts(email: email)
        }
        return facts.filter { EntitlementRules.grantsAccess($0, now: now, grace: grace) }.compactMap { index.plansBySlug[$0.plan] }
    }

    /// Prices a stored cart from the catalog for a shopper with `members` plans, with the reason a
    /// stored coupon gives no discount.
    func price(_ cart: StoredCart, members: [Plan] = []) -> (PricedCart, PricingError?) {
        let index = catalog
        let time = now
        let priced = CartPricing.price(cart.lines, coupon: cart.coupon, index: index, at: time, members: members)
        var problem: PricingError?
        if let code = cart.coupon, priced.coupon == nil {
            do { try CartPricing.validateCoupon(code, lines: cart.lines, index: index, at: time) } catch { problem = error }
        }
        return (priced, problem)
    }

    func cartJSON(_ cart: StoredCart, members: [Plan] = []) -> CartJSON {
        let (priced, problem) = price(cart, members: members)
        return CartJSON(id: cart.id, priced: priced, storedCoupon: cart.coupon, couponProblem: problem, time: now)
    }
}

/// The catalog in use, replaceable while requests read it.
final class CatalogHolder: Sendable {
    private let index: Mutex<CatalogIndex>

    init(_ index: CatalogIndex) { self.index = Mutex(index) }

    var current: CatalogIndex { index.withLock { $0 } }

    func replace(_ new: CatalogIndex) { index.withLock { $0 = new } }
}
