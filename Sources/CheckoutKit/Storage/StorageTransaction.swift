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
struct StorageTransaction {
    let sql: any SQLStatements
    let commitActions: CommitActions

    init(sql: any SQLStatements, commitActions: CommitActions = CommitActions()) {
        self.sql = sql
        self.commitActions = commitActions
    }

    var carts: CartRecords { CartRecords(sql: sql) }
    var orders: OrderRecords { OrderRecords(sql: sql) }
    var refunds: RefundRecords { RefundRecords(sql: sql) }
    var events: EventRecords { EventRecords(sql: sql) }
    var outbox: OutboxRecords { OutboxRecords(sql: sql) }
    var entitlements: EntitlementRecords { EntitlementRecords(sql: sql) }
    var accounts: AccountRecords { AccountRecords(sql: sql) }
    var leads: LeadRecords { LeadRecords(sql: sql) }
    var subscriptions: SubscriptionRecords { SubscriptionRecords(sql: sql) }
    var webhooks: WebhookRecords { WebhookRecords(sql: sql) }
    var settings: SettingRecords { SettingRecords(sql: sql) }
    var downloads: DownloadRecords { DownloadRecords(sql: sql) }
    var rateLimits: RateLimitRecords { RateLimitRecords(sql: sql) }

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
