import Synchronization

/// One transaction over the checkout's storage, handed to the body of `CheckoutStorage.read` and
/// `write`: every aggregate, each reached through its own small API, all committed together. What is
/// atomic stays atomic whichever backend runs it: an event is stored, applied, emailed and announced
/// in one commit.
///
/// Bodies are synchronous and may run more than once: a backend retries the whole body when the
/// transaction loses a race (a PostgreSQL deadlock). Anything outside the database a body wants done
/// — a metric, a wake-up — goes through `afterCommit`, which runs once, only after the commit that
/// made it true. A body that reads rows and writes from what it read locks them first with the
/// record's `lock` (on PostgreSQL several writers run at once; see `PostgresStorage`).
///
/// A transaction works in one shop: every record it reaches reads and writes only rows of `shop`
/// (`ShopStorage` sets it; a single-shop deployment's shop is `""`).
struct StorageTransaction {
    let sql: any SQLStatements
    let commitActions: CommitActions
    /// The shop every record of this transaction is scoped to.
    let shop: String

    init(sql: any SQLStatements, commitActions: CommitActions = CommitActions(), shop: String = "") {
        self.sql = sql
        self.commitActions = commitActions
        self.shop = shop
    }

    /// The same transaction, in `shop`.
    func scoped(to shop: String) -> StorageTransaction {
        StorageTransaction(sql: sql, commitActions: commitActions, shop: shop)
    }

    var carts: CartRecords { CartRecords(sql: sql, shop: shop) }
    var orders: OrderRecords { OrderRecords(sql: sql, shop: shop) }
    var refunds: RefundRecords { RefundRecords(sql: sql, shop: shop) }
    var events: EventRecords { EventRecords(sql: sql, shop: shop) }
    var outbox: OutboxRecords { OutboxRecords(sql: sql, shop: shop) }
    var entitlements: EntitlementRecords { EntitlementRecords(sql: sql, shop: shop) }
    var accounts: AccountRecords { AccountRecords(sql: sql, shop: shop) }
    var leads: LeadRecords { LeadRecords(sql: sql, shop: shop) }
    var subscriptions: SubscriptionRecords { SubscriptionRecords(sql: sql, shop: shop) }
    var webhooks: WebhookRecords { WebhookRecords(sql: sql, shop: shop) }
    var settings: SettingRecords { SettingRecords(sql: sql, shop: shop) }
    var downloads: DownloadRecords { DownloadRecords(sql: sql, shop: shop) }
    var rateLimits: RateLimitRecords { RateLimitRecords(sql: sql, shop: shop) }
    var gauges: GaugeRecords { GaugeRecords(sql: sql, shop: shop) }
    var stock: StockRecords { StockRecords(sql: sql, shop: shop) }
    var deliveries: DeliveryRecords { DeliveryRecords(sql: sql, shop: shop) }
    var licenseKeys: LicenseKeyRecords { LicenseKeyRecords(sql: sql, shop: shop) }
    var staff: StaffRecords { StaffRecords(sql: sql, shop: shop) }
    var audit: AuditRecords { AuditRecords(sql: sql, shop: shop) }
    var personalData: PersonalDataRecords { PersonalDataRecords(sql: sql, shop: shop) }
    var overrides: EntitlementOverrideRecords { EntitlementOverrideRecords(sql: sql, shop: shop) }
    var admin: AdminQueries { AdminQueries(sql: sql, shop: shop) }
    var dashboard: DashboardQueries { DashboardQueries(sql: sql, shop: shop) }
    /// Across every shop: see `DueWorkRecords`.
    var dueWork: DueWorkRecords { DueWorkRecords(sql: sql) }

    /// Runs `body` so that, when it throws, only what it wrote rolls back (and the actions it asked
    /// for after commit are dropped); the error is rethrown.
    func savepoint<T>(_ body: () throws -> T) throws -> T {
        let mark = commitActions.count
        do {
            return try sql.savepoint(body)
        } catch {
            commitActions.drop(after: mark)
            throw error
        }
    }

    /// Runs `action` once this transaction has committed; never when it rolls back.
    func afterCommit(_ action: @escaping @Sendable () -> Void) {
        commitActions.append(action)
    }
}

/// The actions a transaction runs after its commit.
final class CommitActions: Sendable {
    private let actions = Mutex<[@Sendable () -> Void]>([])

    init() {}

    var count: Int { actions.withLock { $0.count } }

    func append(_ action: @escaping @Sendable () -> Void) { actions.withLock { $0.append(action) } }

    func drop(after mark: Int) { actions.withLock { $0.removeSubrange(min(mark, $0.count)...) } }

    /// Runs and forgets every action, in order.
    func run() {
        let pending = actions.withLock { actions in
            defer { actions.removeAll() }
            return actions
        }
        for action in pending { action() }
    }

    /// Forgets every action (the transaction will run again, or did not commit).
    func reset() { actions.withLock { $0.removeAll() } }
}
