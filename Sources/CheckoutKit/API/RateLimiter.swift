import Foundation
import ShopCore

/// At most `limit` requests per `window` seconds for one key (a client address, an email address).
public struct RateLimit: Sendable, Equatable {
    public let limit: Int
    /// Seconds.
    public let window: Int

    public init(limit: Int, window: Int) {
        self.limit = limit
        self.window = window
    }
}

/// Fixed-window counters per key, counted in the database (`rate_limits`), so every instance over
/// one database counts against the same limit: a burst spread over N instances is limited as one.
/// Windows start at multiples of their length (seconds since 1970), so instances agree on them
/// without talking; as with any fixed window, up to twice the limit can pass around a boundary.
struct RateLimiter: Sendable {
    let storage: any CheckoutStorage

    /// Counts one request against each `(key, rule)` in turn, in one transaction, stopping at the
    /// first over its limit (the ones after it are not counted). Returns nil when every one is within
    /// its limit, else the seconds until that window ends and the client may try again (what
    /// `Retry-After` says, RFC 9110 §10.2.3).
    func hit(_ checks: [(key: String, rule: RateLimit)], now: Int) async throws -> Int? {
        try await storage.write { tx in
            for (key, rule) in checks {
                let start = now - now % rule.window
                let hits = try tx.rateLimits.hit(key: key, windowStart: start, expiresAt: start + rule.window)
                // Expired counters are swept now and then by whichever request opened a new window.
                if hits == 1, Int.random(in: 0..<Self.sweepOdds) == 0 { try tx.rateLimits.removeExpired(now: now) }
                if hits > rule.limit { return max(1, start + rule.window - now) }
            }
            return nil
        }
    }

    /// One new window in this many sweeps the table of expired counters.
    static let sweepOdds = 64
}
