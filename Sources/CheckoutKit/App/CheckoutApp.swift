import AsyncHTTPClient
import Crypto
import Foundation
import Hummingbird
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle
import ShopCore
import SiteCore

/// A problem that stops the service from starting, with what to fix.
public struct StartupError: Error, CustomStringConvertible {
    public let description: String
}

/// Builds the checkout service.
public enum CheckoutApp {
    /// The application, its shared state and the services beside the HTTP server.
    public static func build(_ configuration: CheckoutConfiguration, logger: Logger) async throws -> some ApplicationProtocol {
        try await make(configuration, logger: logger).application
    }

    /// The application, and a handle to run its background work on demand (tests, tools).
    public static func make(_ configuration: CheckoutConfiguration, logger: Logger) async throws -> (application: some ApplicationProtocol, control: CheckoutControl) {
        let shop = try await makeShop(configuration, logger: logger)
        let router = buildRouter(shop)
        let connections = ConnectionLimit(maximum: configuration.maxConnections)
        let application = Application(
            router: router,
            server: .http1(configuration: .init(
                additionalChannelHandlers: [connections.handler()], idleTimeout: TimeAmount(configuration.idleTimeout))),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "checkout"),
            // The storage's services first: they stop last, after the workers that use the database.
            services: shop.storage.base.services + [shop.processor, shop.mail, shop.webhooks] + operationsJobs(configuration, shop.storage.base, registry: shop.metrics.registry, logger: logger),
            onServerRunning: { channel in shop.address.serverStarted(port: channel.localAddress?.port) },
            logger: logger)
        return (application, CheckoutControl(shop: shop))
    }

    /// The deployment's own jobs: the retention purge, and the backup schedule when one is set.
    static func operationsJobs(
        _ configuration: CheckoutConfiguration, _ storage: any CheckoutStorage, registry: PrometheusCollectorRegistry, logger: Logger
    ) -> [any Service] {
        // A shop of a shops file writes its emails into a folder of its own (`ShopsFile`).
        let (mailFolder, many) = (configuration.mailFolder, configuration.shopsFile != nil)
        var jobs: [any Service] = [RetentionJob(
            storage: storage, policy: configuration.retention, clock: configuration.clock, registry: registry, logger: logger,
            mailFolder: { shop in many ? mailFolder + "/" + shop : mailFolder })]
        if let backups = configuration.backups {
            jobs.append(BackupSchedule(location: configuration.storageLocation, settings: backups, clock: configuration.clock, registry: registry, logger: logger))
        }
        return jobs
    }

    /// The one shop of a single-shop deployment, over the database `configuration` names (opened
    /// here, while the catalog loads on another core: start-up time is time a restarted service is
    /// not answering).
    static func makeShop(_ configuration: CheckoutConfiguration, logger: Logger) async throws -> Shop {
        try checkLease(configuration)
        let opening = Task { try await configuration.storageLocation.open(connections: configuration.databaseConnections, logger: logger) }
        do {
            return try await makeShop(configuration, id: "", metrics: CheckoutMetrics(), logger: logger) {
                let storage = try await opening.value
                logger.info("database opened", metadata: ["database": "\(configuration.storageLocation)"])
                return storage
            }
        } catch {
            // A start that fails after the database opened closes it (a PostgreSQL pool keeps connections).
            if let storage = try? await opening.value { await storage.close() }
            throw error
        }
    }

    static func checkLease(_ configuration: CheckoutConfiguration) throws {
        // A claim must outlast one attempt, or a live instance's delivery could be taken over mid-send.
        guard Duration.seconds(configuration.queueLease) > configuration.webhookTimeout else {
            throw StartupError(description: "the queue lease (\(configuration.queueLease) s) must be longer than the webhook timeout (\(configuration.webhookTimeout))")
        }
    }

    /// A shop over the deployment's database (`database`, awaited once the shop's own files are
    /// being read): its site, catalog, email templates, payment provider and secrets.
    /// - Throws: `StartupError` naming the file or secret at fault.
    static func makeShop(
        _ configuration: CheckoutConfiguration, id: String, metrics: CheckoutMetrics, logger: Logger,
        database: @Sendable () async throws -> any CheckoutStorage
    ) async throws -> Shop {
        let site: SiteConfig
        do {
            site = try SiteConfig.load(siteFolder: configuration.siteFolder)
        } catch {
            throw StartupError(description: "\(configuration.siteFolder)/\(error)")
        }
        let paths = site.catalogSource(siteFolder: configuration.siteFolder)
        // The catalog and the email templates load on another core while the database opens.
        async let loadedCatalog = Self.loadCatalog(text: paths.text, database: paths.database)
        async let loadedTemplates = EmailTemplates.load(siteFolder: configuration.siteFolder)
        let storage = ShopStorage(try await database(), shop: id)
        if !storage.isSingleWriter, configuration.smtpURL == nil, !configuration.holdMail {
            // Each instance would write its own folder, on its own machine.
            logger.notice("email goes to the folder \(configuration.mailFolder) on this machine; with several instances, send it by SMTP (--smtp-url)")
        }
        let catalog = try await loadedCatalog
        let address = ServiceAddress(configuration: configuration, site: site)
        let provider: PaymentProvider
        switch configuration.provider {
        case .test:
            provider = .test(publicURL: { address.publicURL }, events: TestEvents(secret: configuration.webhookSecret, clock: configuration.clock, logger: logger))
        case .stripe:
            guard let key = configuration.stripeSecretKey, !key.isEmpty else {
                throw StartupError(description: "the stripe provider needs a secret key: set STRIPE_SECRET_KEY or --stripe-key-file")
            }
            provider = .stripe(StripeClient(apiBase: configuration.stripeAPIBase, secretKey: key, client: .shared, logger: logger))
        }
        var secret = configuration.downloadSecret ?? ""
        if secret.isEmpty { secret = try await SecretStore.secret(named: "download-link-key", in: storage) }
        let mailSender: any MailSender
        if let url = configuration.smtpURL, !url.isEmpty {
            do {
                mailSender = SMTPMailSender(configuration: try SMTPConfiguration.parse(url))
            } catch {
                throw StartupError(description: "the SMTP URL is not usable: \(error)")
            }
        } else {
            mailSender = FolderMailSender(folder: configuration.mailFolder)
        }
        let filesFolder = URL(fileURLWithPath: configuration.siteFolder + "/" + site.filesFolder).resolvingSymlinksInPath().path
        let shop = Shop(
            address: address, storage: storage, catalog: CatalogIndex(catalog.catalog), provider: provider, metrics: metrics,
            logger: logger, templates: try await loadedTemplates,
            downloadSecret: SymmetricKey(data: Data(secret.utf8)), filesFolder: (filesFolder as NSString).standardizingPath,
            mailSender: mailSender)
        provider.testEvents?.connect(WebhookIntake(shop: shop))
        return shop
    }

    private static func loadCatalog(text: String, database: String) throws -> CatalogSource.Loaded {
        do {
            return try CatalogSource(textPath: text, databasePath: database).read()
        } catch {
            throw StartupError(description: "cannot load the catalog: \(error)")
        }
    }

    static func buildRouter(_ shop: Shop) -> Router<CheckoutRequestContext> {
        let router = Router(context: CheckoutRequestContext.self)
        router.add(middleware: ObservabilityMiddleware(metrics: shop.metrics, shop: shop.id))
        if let origin = shop.address.corsOrigin {
            router.add(middleware: StorefrontCORS(cors: CORSMiddleware(
                allowOrigin: .custom(origin), allowHeaders: [.contentType, .idempotencyKey],
                allowMethods: [.get, .post, .patch, .delete, .options], allowCredentials: true, maxAge: .seconds(600))))
        }
        router.add(middleware: ErrorMiddleware())
        if let folder = shop.configuration.publicFolder {
            router.add(middleware: StaticRangeMiddleware())
            router.add(middleware: FileMiddleware(folder, searchForIndexHtml: true))
        }
        let api = router.group("api")
        api.addRoutes(CartController(shop: shop).endpoints, atPath: "carts")
        api.post("checkout", use: CheckoutController(shop: shop).checkout)
        api.get("orders/:order", use: OrderController(shop: shop).show)
        api.get("stock", use: StockController(shop: shop).show)
        let plans = PlanController(shop: shop)
        api.post("plans/:plan/checkout", use: plans.checkout)
        router.post("plans/:plan/checkout", use: plans.checkout)
        let leads = LeadController(shop: shop)
        api.post("leads", use: leads.create)
        router.get("leads/confirm/:token", use: leads.confirm)
        let account = AccountController(shop: shop)
        api.post("account/login", use: account.login)
        router.get("account/login/:token", use: account.follow)
        api.get("account", use: account.show)
        api.post("account/subscriptions/:subscription/cancel", use: account.cancel)
        api.post("account/subscriptions/:subscription/resume", use: account.resume)
        api.post("account/logout", use: account.logout)
        AdminAPI(shop: shop).register(on: api)
        ConsoleController(shop: shop).register(on: router)
        router.get("downloads/:token", use: DownloadController(shop: shop).download)
        let webhooks = WebhookController(shop: shop)
        router.post("webhooks/stripe", use: webhooks.receive)
        if !shop.id.isEmpty {
            // Each shop of a multi-shop deployment has its own Stripe endpoint and secret.
            router.post("webhooks/stripe/:shop") { request, context in
                guard context.parameters.get("shop") == shop.id else { return Response(status: .notFound) }
                return try await webhooks.receive(request, context: context)
            }
        }
        router.addRoutes(FormCartController(shop: shop).endpoints, atPath: "cart")
        if let events = shop.provider.testEvents {
            // Only the test provider has a payment page here: with Stripe, these routes would sign
            // payment events with the real webhook secret for anyone who knew a session id.
            router.addRoutes(TestPaymentController(shop: shop, events: events).endpoints, atPath: "test-pay")
        }
        OperationsController(shop: shop).register(on: router)
        return router
    }
}
