import ShopCore

/// A cart as stored: its lines and coupon code. Prices are never stored; they come from the catalog.
public struct StoredCart: Sendable, Equatable {
    public let id: String
    public var coupon: String?
    public var lines: [CartLineRequest]
    /// Raised by every change to the cart: an order priced from this copy is stored only while the
    /// cart is still at this version (`CheckoutStorage.insert`).
    public var version: Int = 0
}

/// Carts, with the ones this process wrote also kept in memory when that is safe (see `CartCache`):
/// only when this process is the database's one writer (SQLite). With PostgreSQL, several instances
/// write the same carts, so every read goes to the database.
struct CartStore: Sendable {
    let storage: any CheckoutStorage
    let clock: CheckoutClock
    /// Checks a cart as a write would leave it (and as it was before, nil for a new cart), inside the
    /// write's transaction; throwing rolls the write back. The shop refuses totals no payment can take.
    var admit: @Sendable (_ before: StoredCart?, _ after: StoredCart) throws -> Void = { _, _ in }
    let cache = CartCache()

    func create(lines: [(sku: String, quantity: Int, amount: Int64?)]) async throws -> StoredCart {
        let id = RandomToken.make(prefix: "cart_")
        let now = clock.seconds
        let admit = self.admit
        return try await commit { tx in
            try tx.carts.create(id: id, now: now)
            for line in lines {
                try tx.carts.upsertLine(cart: id, sku: line.sku, quantity: line.quantity, amount: line.amount)
            }
            let cart = try Self.loadWritten(tx, id: id)
            try admit(nil, cart)
            return cart
        }
    }

    /// The cart, from this process's cache when that is safe; with `fresh`, always from the database.
    func find(_ id: String, fresh: Bool = false) async throws -> StoredCart? {
        if !fresh, storage.isSingleWriter, let cart = cache.cart(id) { return cart }
        return try await storage.lookup { tx in try tx.carts.find(id) }
    }

    /// Runs a cart write and, once it has committed, keeps the cart it returns in the cache.
    private func commit(_ body: @escaping @Sendable (StorageTransaction) throws -> StoredCart) async throws -> StoredCart {
        let cache = self.cache
        let cached = storage.isSingleWriter
        let (cart, version) = try await storage.write { tx in
            let cart = try body(tx)
            return (cart, cached ? cache.nextVersion() : 0)
        }
        if cached { cache.store(cart, version: version) }
        return cart
    }

    /// Adds `quantity` of `sku`, merging with a line of the same SKU (a new `amount` replaces the
    /// line's). `limit` bounds the merged quantity.
    func addLine(cart id: String, sku: String, quantity: Int, amount: Int64? = nil, limit: Int) async throws -> StoredCart {
        let now = clock.seconds
        let admit = self.admit
        return try await commit { tx in
            guard try tx.carts.lock(cart: id, now: now), let cart = try tx.carts.find(id) else { throw CheckoutError.cartNotFound }
            let existing = cart.lines.first { $0.sku == sku }?.quantity ?? 0
            guard existing + quantity <= limit else { throw CheckoutError.pricing(.quantityOutOfRange(String(existing + quantity))) }
            guard existing > 0 || cart.lines.count < CartPricing.maxLines else { throw CheckoutError.pricing(.tooManyLines) }
            try tx.carts.upsertLine(cart: id, sku: sku, quantity: existing + quantity, amount: amount)
            let updated = try Self.loadWritten(tx, id: id)
            try admit(cart, updated)
            return updated
        }
    }

    func updateLine(cart id: String, line: String, quantity: Int) async throws -> StoredCart {
        try await change(cart: id, admitting: true) { tx in
            guard try tx.carts.setQuantity(cart: id, line: line, quantity: quantity) else { throw CheckoutError.lineNotFound }
        }
    }

    func removeLine(cart id: String, line: String) async throws -> StoredCart {
        try await change(cart: id) { tx in
            guard try tx.carts.removeLine(cart: id, line: line) else { throw CheckoutError.lineNotFound }
        }
    }

    func setCoupon(cart id: String, code: String?) async throws -> StoredCart {
        try await change(cart: id) { tx in try tx.carts.setCoupon(cart: id, code: code) }
    }

    /// Runs a change to an existing cart; with `admitting`, the result must pass `admit` too.
    private func change(
        cart id: String, admitting: Bool = false, _ body: @escaping @Sendable (StorageTransaction) throws -> Void
    ) async throws -> StoredCart {
        let now = clock.seconds
        let admit = self.admit
        return try await commit { tx in
            guard try tx.carts.lock(cart: id, now: now), let before = try tx.carts.find(id) else { throw CheckoutError.cartNotFound }
            try body(tx)
            let after = try Self.loadWritten(tx, id: id)
            if admitting { try admit(before, after) }
            return after
        }
    }

    /// A cart this transaction has just written, so it exists.
    private static func loadWritten(_ tx: StorageTransaction, id: String) throws -> StoredCart {
        guard let cart = try tx.carts.find(id) else { throw CheckoutError.cartNotFound }
        return cart
    }
}
