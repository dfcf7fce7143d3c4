import AsyncHTTPClient
import Foundation
import GRDB
import Hummingbird
import Logging
import ShopCore
import SiteBuilder

/// A problem that stops the service from starting, with what to fix.
public struct StartupError: Error, CustomStringConvertible {
    public let description: String
}

/// Builds the checkout service.
public enum CheckoutApp {
    /// The application, its shared state and the services beside the HTTP server.
    public static func build(_ configuration: CheckoutConfiguration, logger: Logger) async throws -> some ApplicationProtocol {
        let shop = try makeShop(configuration, logger: logger)
        await shop.processor.react { [metrics = shop.metrics] event, transitions, db in
            for transition in transitions where transition.to != transition.from {
                guard let row = try Row.fetchOne(db, sql: "SELECT total, amount_refunded, currency FROM orders WHERE id = ?", arguments: [transition.orderID])
                else { continue }
                if transition.from == .pending && transition.to == .paid {
                    metrics.ordersPaid.increment()
                    metrics.revenue(row[0], currency: row[2])
                }
                if event.type == "charge.refunded" { metrics.refunded(row[1], currency: row[2]) }
            }
        }
        let router = buildRouter(shop)
        return Application(
            router: router,
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "checkout"),
            services: [shop.processor],
            onServerRunning: { channel in shop.address.serverStarted(port: channel.localAddress?.port) },
            logger: logger)
    }

    static func makeShop(_ configuration: CheckoutConfiguration, logger: Logger) throws -> Shop {
        let site: SiteConfig
        do {
            site = try SiteConfig.load(siteFolder: configuration.siteFolder)
        } catch {
            throw StartupError(description: "\(configuration.siteFolder)/\(error)")
        }
        let paths = site.catalogSource(siteFolder: configuration.siteFolder)
        let catalog: CatalogSource.Loaded
        do {
            catalog = try CatalogSource(textPath: paths.text, databasePath: paths.database).load()
        } catch {
            throw StartupError(description: "cannot load the catalog: \(error)")
        }
        let database: CheckoutDatabase
        do {
            database = try CheckoutDatabase(path: configuration.databasePath)
        } catch {
            throw StartupError(description: "cannot open the database \(configuration.databasePath): \(error)")
        }
        let address = ServiceAddress(configuration: configuration, site: site)
        let provider: any PaymentProvider
        switch configuration.provider {
        case .test:
            provider = TestPaymentProvider(publicURL: { address.publicURL })
        case .stripe:
            guard let key = configuration.stripeSecretKey, !key.isEmpty else {
                throw StartupError(description: "the stripe provider needs a secret key: set STRIPE_SECRET_KEY or --stripe-key-file")
            }
            provider = StripePaymentProvider(apiBase: configuration.stripeAPIBase, secretKey: key, client: .shared, logger: logger)
        }
        return Shop(
            address: address, database: database, catalog: CatalogIndex(catalog.catalog), provider: provider,
            metrics: CheckoutMetrics(), logger: logger)
    }

    static func buildRouter(_ shop: Shop) -> Router<CheckoutRequestContext> {
        let router = Router(context: CheckoutRequestContext.self)
        router.add(middleware: ObservabilityMiddleware(metrics: shop.metrics))
        if let origin = shop.address.corsOrigin {
            router.add(middleware: CORSMiddleware(
                allowOrigin: .custom(origin), allowHeaders: [.contentType, .init("Idempotency-Key")!],
                allowMethods: [.get, .post, .patch, .delete, .options], allowCredentials: true, maxAge: .seconds(600)))
        }
        router.add(middleware: ErrorMiddleware())
        if let folder = shop.configuration.publicFolder {
            router.add(middleware: FileMiddleware(folder, searchForIndexHtml: true))
        }
        let api = router.group("api")
        api.addRoutes(CartController(shop: shop).endpoints, atPath: "carts")
        api.post("checkout", use: CheckoutController(shop: shop).checkout)
        api.get("orders/:order", use: OrderController(shop: shop).show)
        router.post("webhooks/stripe", use: WebhookController(shop: shop).receive)
        router.addRoutes(TestPaymentController(shop: shop).endpoints, atPath: "test-pay")
        OperationsController(shop: shop).register(on: router)
        return router
    }
}
