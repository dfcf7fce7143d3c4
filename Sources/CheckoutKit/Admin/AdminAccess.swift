import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import ShopCore

/// Who may use the admin API and console, and as what role. A request is authenticated by, in turn:
/// - `Authorization: Bearer <key>`: an API key (`checkout admin keys create`), looked up by its
///   SHA-256 hash; or the deployment's `--admin-token`, which acts as an owner;
/// - the console's HttpOnly session cookie (`checkout_staff`) of a member of staff signed in by
///   emailed link. A state-changing request on a session must carry the session's CSRF token
///   (the `X-CSRF-Token` header, or the `csrf` field of a console form): a cookie alone is what a
///   forged cross-site form would have.
struct AdminAccess: Sendable {
    let shop: Shop
    static let cookie = "checkout_staff"
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!
    /// How often a key's `last_used_at` is written, at most (seconds): reads need not each write.
    static let touchInterval = 60

    /// The principal of `request` if it may do `permission`.
    /// - Parameter csrf: the CSRF token a console form carried (forms cannot set headers).
    /// - Throws: `CheckoutError.unauthorized` (401) with no valid credential, `.csrfMismatch` (403)
    ///   for a session's write without its token, `.forbidden` (403) when the role may not.
    func require(_ permission: AdminPermission, _ request: Request, csrf: String? = nil) async throws -> StaffPrincipal {
        let (principal, key) = try await authenticate(request)
        let writes = request.method != .get && request.method != .head
        if writes, let expected = principal.csrf {
            let given = csrf ?? request.headers[Self.csrfHeader] ?? ""
            guard OrderController.constantTimeEqual(given, expected) else { throw CheckoutError.csrfMismatch }
        }
        guard principal.role.allows(permission) else { throw CheckoutError.forbidden(role: principal.role.rawValue, action: permission.rawValue) }
        // A key's last use is written only for a request it may make: a refused one writes nothing.
        let now = shop.clock.seconds
        if let key, (key.lastUsedAt ?? 0) < now - Self.touchInterval {
            try await shop.storage.write { tx in try tx.staff.touchKey(key.id, at: now) }
        }
        return principal
    }

    /// The principal of `request`, whatever it may do; nil when it carries no valid credential.
    func principal(_ request: Request) async throws -> StaffPrincipal? {
        do { return try await authenticate(request).principal } catch CheckoutError.unauthorized { return nil }
    }

    /// The name of the session cookie: `__Host-` prefixed over https, so a sibling subdomain cannot
    /// set one for this host (RFC 6265bis §4.1.3.2).
    static func cookieName(_ shop: Shop) -> String {
        shop.address.publicURL.hasPrefix("https://") ? "__Host-" + cookie : cookie
    }

    private func authenticate(_ request: Request) async throws -> (principal: StaffPrincipal, key: (id: String, lastUsedAt: Int?)?) {
        let now = shop.clock.seconds
        // The scheme is case-blind (RFC 9110 §11.1).
        if let header = request.headers[.authorization], header.count > 7, header.prefix(7).lowercased() == "bearer " {
            let secret = String(header.dropFirst(7))
            if let token = shop.configuration.adminToken, !token.isEmpty, OrderController.constantTimeEqual(secret, token) {
                return (StaffPrincipal(actor: "admin-token", role: .owner, csrf: nil), nil)
            }
            let hash = Self.hash(secret)
            guard let key = try await shop.storage.read({ tx in try tx.staff.key(hash: hash) }) else { throw CheckoutError.unauthorized }
            return (StaffPrincipal(actor: "key:\(key.id) (\(key.name))", role: key.role, csrf: nil), (key.id, key.lastUsedAt))
        }
        if let session = request.cookies[Self.cookieName(shop)]?.value, !session.isEmpty {
            let hash = Self.hash(session)
            if let found = try await shop.storage.read({ tx in try tx.staff.session(hash: hash, now: now) }) {
                return (StaffPrincipal(actor: "staff:" + found.email, role: found.role, csrf: found.csrf), nil)
            }
        }
        throw CheckoutError.unauthorized
    }

    static func hash(_ secret: String) -> String {
        Data(SHA256.hash(data: Data(secret.utf8))).hexString
    }
}

/// Writes the audit log: who did what to which record, when, and the record before and after.
enum AuditLog {
    /// Appends an entry in `tx`, the transaction that makes the change, so the change and its entry
    /// commit together. `before` and `after` are JSON objects (nil when there was none).
    static func record(
        _ tx: StorageTransaction, _ principal: StaffPrincipal, action: String, target: String,
        before: [String: Any]? = nil, after: [String: Any]? = nil, reason: String? = nil, now: Int
    ) throws {
        try tx.audit.append(AuditEntry(
            id: RandomToken.makeOrdered(prefix: "aud_"), at: now, actor: principal.actor, role: principal.role.rawValue, action: action,
            target: target, before: try before.map(json), after: try after.map(json), reason: reason))
    }

    static func json(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
    }
}
