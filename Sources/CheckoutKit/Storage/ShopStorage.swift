import ServiceLifecycle

/// One shop's view of the deployment's database: every transaction it runs is scoped to `shop`
/// (`StorageTransaction.shop`), so a record reached through it reads and writes only that shop's
/// rows. Every shop of a multi-shop deployment holds one over the same `base`; a single shop holds
/// one with the id `""`. The base's pool, services and lifetime belong to the deployment, not to
/// the shop: `services` is empty and `close` does nothing.
struct ShopStorage: CheckoutStorage {
    let base: any CheckoutStorage
    let shop: String

    init(_ base: any CheckoutStorage, shop: String) {
        self.base = base
        self.shop = shop
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (StorageTransaction) throws -> T) async throws -> T {
        let shop = shop
        return try await base.read { tx in try body(tx.scoped(to: shop)) }
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (StorageTransaction) throws -> T) async throws -> T {
        let shop = shop
        return try await base.write { tx in try body(tx.scoped(to: shop)) }
    }

    func lookup<T: Sendable>(_ body: @escaping @Sendable (StorageTransaction) throws -> T) async throws -> T {
        let shop = shop
        return try await base.lookup { tx in try body(tx.scoped(to: shop)) }
    }

    func isReady() async -> Bool { await base.isReady() }

    var services: [any Service] { [] }

    var isSingleWriter: Bool { base.isSingleWriter }

    func close() async {}

    func forgetOverwrittenData() async throws { try await base.forgetOverwrittenData() }

    /// Stores a new order in this storage's shop (see `CheckoutStorage.insert`), taking `stock`:
    /// an order that takes limited stock is stored in a transaction of its own (it locks and counts),
    /// one that takes none by the backend's fastest way.
    func insert(
        _ order: StoredOrder, cart: (id: String, version: Int)?, idempotency: (key: String, requestHash: String)?, stock: StockHold? = nil,
        now: Int
    ) async throws -> OrderInsertion {
        guard let stock, !stock.demand.isEmpty else {
            return try await base.insert(order, shop: shop, cart: cart, idempotency: idempotency, now: now)
        }
        return try await write { tx in
            try Self.insert(order, in: tx, cart: cart, idempotency: idempotency, stock: stock, now: now)
        }
    }

    /// The same as `insert(_:cart:idempotency:now:)`: a shop's storage stores only in its own shop,
    /// whatever `shop` names.
    func insert(
        _ order: StoredOrder, shop _: String, cart: (id: String, version: Int)?, idempotency: (key: String, requestHash: String)?, now: Int
    ) async throws -> OrderInsertion {
        try await insert(order, cart: cart, idempotency: idempotency, now: now)
    }
}
