import GRDB
import ShopCore

/// A cart as stored: its lines and coupon code. Prices are never stored; they come from the catalog.
public struct StoredCart: Sendable, Equatable {
    public let id: String
    public var coupon: String?
    public var lines: [CartLineRequest]
}

/// Carts in SQLite.
struct CartStore: Sendable {
    let database: CheckoutDatabase
    let clock: CheckoutClock

    func create(lines: [(sku: String, quantity: Int)]) async throws -> StoredCart {
        let id = RandomToken.make(prefix: "cart_")
        let now = clock.seconds
        return try await database.write { db in
            try db.execute(sql: "INSERT INTO carts (id, created_at, updated_at) VALUES (?, ?, ?)", arguments: [id, now, now])
            for (position, line) in lines.enumerated() {
                try Self.upsertLine(db, cart: id, sku: line.sku, quantity: line.quantity, position: position)
            }
            return try Self.load(db, id: id)!
        }
    }

    func find(_ id: String) async throws -> StoredCart? {
        try await database.read { db in try Self.load(db, id: id) }
    }

    /// Adds `quantity` of `sku`, merging with a line of the same SKU. `limit` bounds the merged quantity.
    func addLine(cart id: String, sku: String, quantity: Int, limit: Int) async throws -> StoredCart {
        let now = clock.seconds
        return try await database.write { db in
            guard let cart = try Self.load(db, id: id) else { throw CheckoutError.cartNotFound }
            let existing = cart.lines.first { $0.sku == sku }?.quantity ?? 0
            guard existing + quantity <= limit else { throw CheckoutError.pricing(.quantityOutOfRange(existing + quantity)) }
            guard existing > 0 || cart.lines.count < CartPricing.maxLines else { throw CheckoutError.pricing(.tooManyLines) }
            try Self.upsertLine(db, cart: id, sku: sku, quantity: existing + quantity, position: cart.lines.count)
            try db.execute(sql: "UPDATE carts SET updated_at = ? WHERE id = ?", arguments: [now, id])
            return try Self.load(db, id: id)!
        }
    }

    func updateLine(cart id: String, line: String, quantity: Int) async throws -> StoredCart {
        try await change(cart: id) { db in
            try db.execute(sql: "UPDATE cart_lines SET quantity = ? WHERE id = ? AND cart_id = ?", arguments: [quantity, line, id])
            guard db.changesCount == 1 else { throw CheckoutError.lineNotFound }
        }
    }

    func removeLine(cart id: String, line: String) async throws -> StoredCart {
        try await change(cart: id) { db in
            try db.execute(sql: "DELETE FROM cart_lines WHERE id = ? AND cart_id = ?", arguments: [line, id])
            guard db.changesCount == 1 else { throw CheckoutError.lineNotFound }
        }
    }

    func setCoupon(cart id: String, code: String?) async throws -> StoredCart {
        try await change(cart: id) { db in
            try db.execute(sql: "UPDATE carts SET coupon = ? WHERE id = ?", arguments: [code, id])
        }
    }

    private func change(cart id: String, _ body: @escaping @Sendable (Database) throws -> Void) async throws -> StoredCart {
        let now = clock.seconds
        return try await database.write { db in
            guard try Self.load(db, id: id) != nil else { throw CheckoutError.cartNotFound }
            try body(db)
            try db.execute(sql: "UPDATE carts SET updated_at = ? WHERE id = ?", arguments: [now, id])
            return try Self.load(db, id: id)!
        }
    }

    private static func upsertLine(_ db: Database, cart: String, sku: String, quantity: Int, position: Int) throws {
        try db.execute(
            sql: """
                INSERT INTO cart_lines (id, cart_id, sku, quantity, position) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (cart_id, sku) DO UPDATE SET quantity = excluded.quantity
                """,
            arguments: [RandomToken.make(bytes: 9, prefix: "line_"), cart, sku, quantity, position])
    }

    static func load(_ db: Database, id: String) throws -> StoredCart? {
        guard let row = try Row.fetchOne(db, sql: "SELECT coupon FROM carts WHERE id = ?", arguments: [id]) else { return nil }
        let lines = try Row.fetchAll(
            db, sql: "SELECT id, sku, quantity FROM cart_lines WHERE cart_id = ? ORDER BY position, rowid", arguments: [id]
        ).map { CartLineRequest(id: $0[0], sku: $0[1], quantity: $0[2]) }
        return StoredCart(id: id, coupon: row[0], lines: lines)
    }
}
