import Foundation
import Logging
import ShopCore
import Synchronization

/// What every controller shares: the catalog, the stores, the clock, the payment provider.
final class Shop: Sendable {
    let configuration: CheckoutConfiguration
    let address: ServiceAddress
    let database: CheckoutDatabase
    let carts: CartStore
    let orders: OrderStore
    let events: WebhookEventStore
    let processor: WebhookProcessor
    let clock: CheckoutClock
    let provider: any PaymentProvider
    let metrics: CheckoutMetrics
    let logger: Logger
    private let catalogIndex: Mutex<CatalogIndex>

    init(
        address: ServiceAddress, database: CheckoutDatabase, catalog: CatalogIndex, provider: any PaymentProvider,
        metrics: CheckoutMetrics, logger: Logger
    ) {
        configuration = address.configuration
        self.address = address
        self.database = database
        clock = configuration.clock
        carts = CartStore(database: database, clock: clock)
        orders = OrderStore(database: database, clock: clock)
        events = WebhookEventStore(database: database, clock: clock)
        processor = WebhookProcessor(database: database, clock: clock, logger: logger)
        self.provider = provider
        self.metrics = metrics
        self.logger = logger
        catalogIndex = Mutex(catalog)
    }

    var siteURL: String { address.siteURL }
    var internalURL: String { address.internalURL }

    /// Where the shopper lands after paying.
    func thankYouURL(_ order: StoredOrder) -> String {
        siteURL + "/thank-you/?order=\(order.id)&token=\(order.token)"
    }

    /// The catalog prices come from.
    var catalog: CatalogIndex { catalogIndex.withLock { $0 } }

    /// Replaces the catalog (after the site's catalog changed).
    func replaceCatalog(_ index: CatalogIndex) { catalogIndex.withLock { $0 = index } }

    /// Prices a stored cart from the catalog, with the reason a stored coupon gives no discount.
    func price(_ cart: StoredCart) -> (PricedCart, PricingError?) {
        let index = catalog
        let today = clock.today
        let priced = CartPricing.price(cart.lines, coupon: cart.coupon, index: index, today: today)
        var problem: PricingError?
        if let code = cart.coupon, priced.coupon == nil {
            do { try CartPricing.validateCoupon(code, lines: cart.lines, index: index, today: today) } catch { problem = error }
        }
        return (priced, problem)
    }

    func cartJSON(_ cart: StoredCart) -> CartJSON {
        let (priced, problem) = price(cart)
        return CartJSON(id: cart.id, priced: priced, storedCoupon: cart.coupon, couponProblem: problem)
    }
}
