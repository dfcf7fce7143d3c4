import Foundation
import Logging
import ShopCore

/// The operator's command-line view of who may use the admin API and console: what
/// `checkout admin keys …` and `checkout admin staff …` run against the database. A key is
/// `sk_admin_` and 32 random bytes, printed once and stored as its SHA-256 hash.
public struct StaffCredentials: Sendable {
    let storage: ShopStorage
    let clock: CheckoutClock

    /// Opens the database at `location` for the shop `shop` (`""`: the one shop).
    /// - Throws: `StartupError` naming the database or a shop id that cannot be one.
    public init(_ location: StorageLocation, shop: String = "", clock: CheckoutClock = .system) async throws {
        guard shop.isEmpty || ShopID.isValid(shop) else {
            throw StartupError(description: "'\(shop)' is not a shop id (1 to 64 lower-case letters, digits and dashes)")
        }
        var logger = Logger(label: "checkout.admin")
        logger.logLevel = .warning
        storage = ShopStorage(try await location.open(logger: logger), shop: shop)
        self.clock = clock
    }

    /// A new key: its record and the secret, which is never shown again.
    public func createKey(name: String, role: StaffRole) async throws -> (key: StaffKey, secret: String) {
        let name = name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 100 else { throw CheckoutError.invalid(field: "name", message: "name the key (1 to 100 characters), e.g. \"support laptop\"") }
        let secret = RandomToken.make(bytes: 32, prefix: "sk_admin_")
        let now = clock.seconds
        let id = RandomToken.makeOrdered(prefix: "key_")
        try await storage.write { tx in
            try tx.staff.addKey(id: id, name: name, role: role, hash: AdminAccess.hash(secret), now: now)
            try AuditLog.record(tx, Self.cli, action: "api_key.create", target: "api_key:\(id)", after: ["name": name, "role": role.rawValue], now: now)
        }
        return (StaffKey(id: id, name: name, role: role, createdAt: now, lastUsedAt: nil, revokedAt: nil), secret)
    }

    public func keys() async throws -> [StaffKey] {
        try await storage.read { tx in try tx.staff.keys() }
    }

    /// - Throws: `CheckoutError.notFound` naming the key when there is no unrevoked key with that id.
    public func revokeKey(_ id: String) async throws {
        let now = clock.seconds
        try await storage.write { tx in
            guard try tx.staff.revokeKey(id, at: now) else { throw CheckoutError.notFound(field: "key", message: "no active API key \(Quoted(id))") }
            try AuditLog.record(tx, Self.cli, action: "api_key.revoke", target: "api_key:\(id)", now: now)
        }
    }

    /// Adds a member of staff who signs in at `/admin/` by emailed link, or changes their role.
    public func addStaff(email: String, role: StaffRole) async throws {
        // Staff addresses are matched whole and case-blind: `Sup@Example.com` signs in as `sup@example.com`.
        let email = try EmailAddress.required(email).lowercased()
        let now = clock.seconds
        try await storage.write { tx in
            let before = try tx.staff.role(of: email)
            try tx.staff.setMember(email: email, role: role, now: now)
            try AuditLog.record(tx, Self.cli, action: "staff.set", target: "staff:\(email)", before: before.map { ["role": $0.rawValue] },
                                after: ["role": role.rawValue], now: now)
        }
    }

    public func staff() async throws -> [StaffMember] {
        try await storage.read { tx in try tx.staff.members() }
    }

    /// Removes a member of staff and ends their console sessions.
    public func removeStaff(email: String) async throws {
        let email = email.lowercased()
        let now = clock.seconds
        try await storage.write { tx in
            guard let before = try tx.staff.role(of: email), try tx.staff.removeMember(email) else {
                throw CheckoutError.notFound(field: "email", message: "\(Quoted(email)) is not staff of this shop")
            }
            try AuditLog.record(tx, Self.cli, action: "staff.remove", target: "staff:\(email)", before: ["role": before.rawValue], now: now)
        }
    }

    /// The audit log, newest first (`checkout admin audit`).
    public func audit(limit: Int = 50) async throws -> [AuditEntry] {
        try await storage.read { tx in try tx.audit.entries(before: nil, target: nil, limit: limit) }
    }

    public func close() async {
        await storage.base.close()
    }

    /// The command line acts as the operator who runs it, an owner.
    static let cli = StaffPrincipal(actor: "cli:" + (ProcessInfo.processInfo.environment["USER"] ?? "operator"), role: .owner, csrf: nil)
}
