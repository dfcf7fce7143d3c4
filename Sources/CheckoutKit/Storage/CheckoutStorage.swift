import ServiceLifecycle

/// Where the checkout keeps its state: SQLite on one machine (`Storage/SQLite/`), or PostgreSQL
/// shared by several instances (`Storage/Postgres/`). Controllers, appliers and workers see this
/// protocol and `StorageTransaction`; no SQL outside `Storage/`.
protocol CheckoutStorage: Sendable {
    /// Runs `body` in a read-only transaction over one consistent snapshot.
    func read<T: Sendable>(_ body: @escaping @Sendable (StorageTransaction) throws -> T) async throws -> T

    /// Runs `body` in a write transaction and returns once its commit is durable. The body may run
    /// more than once (see `StorageTransaction`); its after-commit actions run once.
    func write<T: Sendable>(_ body: @escaping @Sendable (StorageTransaction) throws -> T) async throws -> T

    /// A single-statement read for the point lookups every cart request makes, as cheap as the
    /// backend can make it (SQLite: on the calling thread, outside a transaction). Never for scans.
    func lookup<T: Sendable>(_ body: @escaping @Sendable (StorageTransaction) throws -> T) async throws -> T

    /// Whether the database answers and every migration has been applied.
    func isReady() async -> Bool

    /// What must run beside the HTTP server for as long as it serves (SQLite's checkpointer, the
    /// PostgreSQL connection pool), stopped after the other services on shutdown.
    var services: [any Service] { get }

    /// Whether one process owns every write (SQLite), so in-process caches of stored rows stay coherent.
    var isSingleWriter: Bool { get }

    /// Closes the database's connections (a PostgreSQL pool); the storage is unusable after.
    func close() async

    /// Makes what was deleted or overwritten unreadable from the database's files, after an erasure:
    /// SQLite (which zeroes freed space, `secure_delete`) copies its write-ahead log into the database
    /// and truncates it, so no old page with the data is left in the `-wal` file. PostgreSQL keeps
    /// dead row versions until VACUUM reuses their space; the README says what an operator does.
    func forgetOverwrittenData() async throws

    /// Stores a new order and its lines in `shop`, claiming `idempotency` (a key and its request digest) for it
    /// first when given; when the key was claimed before, stores nothing and says by which request.
    /// With `cart`, the order was priced from that cart at that version, and is stored only if the
    /// cart is still at it when the order commits (optimistic concurrency: a change to the cart from
    /// any instance in between makes it `.cartChanged`, and the caller prices the cart again).
    /// The one write of a checkout, so a backend may have a faster way than a transaction of its own
    /// (PostgreSQL: one statement); the default runs `OrderRecords` in `write`.
    func insert(
        _ order: StoredOrder, shop: String, cart: (id: String, version: Int)?, idempotency: (key: String, requestHash: String)?, now: Int
    ) async throws -> OrderInsertion
}

/// What `CheckoutStorage.insert(_:cart:idempotency:now:)` did.
enum OrderInsertion: Sendable, Equatable {
    case inserted
    /// The key was claimed before, by a request with this digest, for this order.
    case keyClaimedBefore(requestHash: String, orderID: String)
    /// The cart changed since it was priced (or is gone); nothing was stored.
    case cartChanged
    /// Fewer than the order's units of `sku` are left (`available`); nothing was stored.
    case outOfStock(sku: String, available: Int)
}


extension CheckoutStorage {
    func forgetOverwrittenData() async throws {}

    func insert(
        _ order: StoredOrder, shop: String, cart: (id: String, version: Int)?, idempotency: (key: String, requestHash: String)?, now: Int
    ) async throws -> OrderInsertion {
        try await write { tx in
            try Self.insert(order, in: tx.scoped(to: shop), cart: cart, idempotency: idempotency, stock: nil, now: now)
        }
    }

    /// The order's insertion in one transaction: the stock it takes locked first (each SKU's row, in
    /// SKU order so two checkouts never wait on each other in a cycle), then — so that a request that
    /// waited on a lock sees what the one before it committed — the idempotency key, the cart's
    /// version and what is left, then the order and its holds. What the cart's earlier unpaid orders
    /// hold is not counted against it (a shopper back from the payment page is not told their own hold
    /// sold the last unit), yet stays held: their sessions may still be paid.
    static func insert(
        _ order: StoredOrder, in tx: StorageTransaction, cart: (id: String, version: Int)?, idempotency: (key: String, requestHash: String)?,
        stock: StockHold?, now: Int
    ) throws -> OrderInsertion {
        let demand = (stock?.demand ?? [:]).filter { stock?.limits[$0.key] != nil }.sorted { $0.key < $1.key }
        for (sku, _) in demand { try tx.stock.lock(sku) }
        // A key used before answers with its order, whatever the cart has become since.
        if let idempotency, let earlier = try tx.orders.idempotencyClaim(idempotency.key) {
            return .keyClaimedBefore(requestHash: earlier.requestHash, orderID: earlier.orderID)
        }
        if let cart, try !tx.carts.isAt(cart: cart.id, version: cart.version) { return .cartChanged }
        for (sku, quantity) in demand {
            let left = max(0, (stock?.limits[sku] ?? 0) - (try tx.stock.taken(sku, now: now, excludingCart: cart?.id)))
            guard quantity <= left else { return .outOfStock(sku: sku, available: left) }
        }
        if let idempotency,
           let earlier = try tx.orders.claim(idempotencyKey: idempotency.key, requestHash: idempotency.requestHash, orderID: order.id, now: now) {
            return .keyClaimedBefore(requestHash: earlier.requestHash, orderID: earlier.orderID)
        }
        try tx.orders.insert(order, cartID: cart?.id)
        for (sku, quantity) in demand {
            try tx.stock.hold(order: order.id, sku: sku, quantity: quantity, until: stock?.until ?? now, now: now)
        }
        return .inserted
    }
}

/// Which database `checkout` uses: a SQLite file (`--db FILE`, the default) or a PostgreSQL server
/// (`--database-url postgres://user:password@host:port/database`, or `CHECKOUT_DATABASE_URL`).
public enum StorageLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    public var description: String {
        switch self {
        case .sqlite(let path): return path
        case .postgres(let url): return PostgresURL.redacted(url)
        }
    }
}
