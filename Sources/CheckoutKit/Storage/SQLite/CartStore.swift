import GRDB
import ShopCore

/// A cart as stored: its lines and coupon code. Prices are never stored; they come from the catalog.
public struct StoredCart: Sendable, Equatable {
    public let id: String
    public var coupon: String?
    public var lines: [CartLineRequest]
}

/// Carts in SQLite, with the ones this process wrote also kept in memory (see `CartCache`).
struct CartStore: Sendable {
    let database: CheckoutDatabase
    let clock: CheckoutClock
    /// Checks a cart as a write would leave it (and as it was before, nil for a new cart), inside the
    /// write's transaction; throwing rolls the write back. The shop refuses totals no payment can take.
    var admit: @Sendable (_ before: StoredCart?, _ after: StoredCart) throws -> Void = { _, _ in }
    let cache = CartCache()

    func create(lines: [(sku: String, quantity: Int)]) async throws -> StoredCart {
        let id = RandomToken.make(prefix: "cart_")
        let now = clock.seconds
        let admit = self.admit
        return try await commit { db in
            try db.cachedStatement(sql: "INSERT INTO carts (id, created_at, updated_at) VALUES (?, ?, ?)").execute(arguments: [id, now, now])
            for line in lines {
                try Self.upsertLine(db, cart: id, sku: line.sku, quantity: line.quantity)
            }
            let cart = try Self.loadWritten(db, id: id)
            try admit(nil, cart)
            return cart
        }
    }

    func find(_ id: String) throws -> StoredCart? {
        if let cart = cache.cart(id) { return cart }
        return try database.lookup { db in try Self.load(db, id: id) }
    }

    /// Runs a cart write and, once it has committed, keeps the cart it returns in the cache.
    private func commit(_ body: @escaping @Sendable (Database) throws -> StoredCart) async throws -> StoredCart {
        let cache = self.cache
        let (cart, version) = try await database.write { db in
            let cart = try body(db)
            return (cart, cache.nextVersion())
        }
        cache.store(cart, version: version)
        return cart
    }

    /// Adds `quantity` of `sku`, merging with a line of the same SKU. `limit` bounds the merged quantity.
    func addLine(cart id: String, sku: String, quantity: Int, limit: Int) async throws -> StoredCart {
        let now = clock.seconds
        let admit = self.admit
        return try await commit { db in
            guard let cart = try Self.load(db, id: id) else { throw CheckoutError.cartNotFound }
            let existing = cart.lines.first { $0.sku == sku }?.quantity ?? 0
            guard existing + quantity <= limit else { throw CheckoutError.pricing(.quantityOutOfRange(String(existing + quantity))) }
            guard existing > 0 || cart.lines.count < CartPricing.maxLines else { throw CheckoutError.pricing(.tooManyLines) }
            try Self.upsertLine(db, cart: id, sku: sku, quantity: existing + quantity)
            try db.cachedStatement(sql: "UPDATE carts SET updated_at = ? WHERE id = ?").execute(arguments: [now, id])
            let updated = try Self.loadWritten(db, id: id)
            try admit(cart, updated)
            return updated
        }
    }

    func updateLine(cart id: String, line: String, quantity: Int) async throws -> StoredCart {
        try await change(cart: id, admitting: true) { db in
            let updated = try String.fetchOne(
                db, sql: "UPDATE cart_lines SET quantity = ? WHERE id = ? AND cart_id = ? RETURNING id", arguments: [quantity, line, id])
            guard updated != nil else { throw CheckoutError.lineNotFound }
        }
    }

    func removeLine(cart id: String, line: String) async throws -> StoredCart {
        try await change(cart: id) { db in
            let removed = try String.fetchOne(db, sql: "DELETE FROM cart_lines WHERE id = ? AND cart_id = ? RETURNING id", arguments: [line, id])
            guard removed != nil else { throw CheckoutError.lineNotFound }
        }
    }

    func setCoupon(cart id: String, code: String?) async throws -> StoredCart {
        try await change(cart: id) { db in
            try db.execute(sql: "UPDATE carts SET coupon = ? WHERE id = ?", arguments: [code, id])
        }
    }

    /// Runs a change to an existing cart; with `admitting`, the result must pass `admit` too.
    private func change(
        cart id: String, admitting: Bool = false, _ body: @escaping @Sendable (Database) throws -> Void
    ) async throws -> StoredCart {
        let now = clock.seconds
        let admit = self.admit
        return try await commit { db in
            guard let before = try Self.load(db, id: id) else { throw CheckoutError.cartNotFound }
            try body(db)
            try db.cachedStatement(sql: "UPDATE carts SET updated_at = ? WHERE id = ?").execute(arguments: [now, id])
            let after = try Self.loadWritten(db, id: id)
            if admitting { try admit(before, after) }
            return after
        }
    }

    /// A cart this transaction has just written, so it exists.
    private static func loadWritten(_ db: Database, id: String) throws -> StoredCart {
        guard let cart = try load(db, id: id) else { throw CheckoutError.cartNotFound }
        return cart
    }

    private static func upsertLine(_ db: Database, cart: String, sku: String, quantity: Int) throws {
        // A new line goes after every line the cart has, so positions do not tie (SQLite's single
        // writer orders concurrent adds) and order the lines without rowid.
        try db.cachedStatement(sql: """
            INSERT INTO cart_lines (id, cart_id, sku, quantity, position)
            VALUES (?1, ?2, ?3, ?4, COALESCE((SELECT MAX(position) + 1 FROM cart_lines WHERE cart_id = ?2), 0))
            ON CONFLICT (cart_id, sku) DO UPDATE SET quantity = excluded.quantity
            """
        ).execute(arguments: [RandomToken.make(bytes: 9, prefix: "line_"), cart, sku, quantity])
    }

    /// One cached statement: a cart is read on every cart request, so parsing SQL each time would cost
    /// as much as running it, and a single statement reads one consistent snapshot even outside a
    /// transaction (`CheckoutDatabase.lookup`).
    static func load(_ db: Database, id: String) throws -> StoredCart? {
        let select = try db.cachedStatement(sql: """
            SELECT c.coupon, l.id, l.sku, l.quantity FROM carts c LEFT JOIN cart_lines l ON l.cart_id = c.id
            WHERE c.id = ? ORDER BY l.position, l.id
            """)
        let rows = try Row.fetchCursor(select, arguments: [id])
        guard let first = try rows.next() else { return nil }
        let coupon: String? = first[0]
        var lines: [CartLineRequest] = []
        if let lineID: String = first[1] { lines.append(CartLineRequest(id: lineID, sku: first[2], quantity: first[3])) }
        while let line = try rows.next() {
            lines.append(CartLineRequest(id: line[1], sku: line[2], quantity: line[3]))
        }
        return StoredCart(id: id, coupon: coupon, lines: lines)
    }
}
