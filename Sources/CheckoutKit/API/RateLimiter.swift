import Foundation
import ShopCore

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
        let (wait, openedWindow) = try await storage.write { tx -> (Int?, Bool) in
            var opened = false
            for (key, rule) in checks {
                let start = now - now % rule.window
                let hits = try tx.rateLimits.hit(key: key, windowStart: start, expiresAt: start + rule.window)
                opened = opened || hits == 1
                if hits > rule.limit { return (max(1, start + rule.window - now), opened) }
            }
            return (nil, opened)
        }
        // Expired counters are swept now and then by a request that opened a new window, in a
        // transaction of its own (so it holds no counter this request just counted).
        if openedWindow, Int.random(in: 0..<Self.sweepOdds) == 0 {
            _ = try? await storage.write { tx in try tx.rateLimits.removeExpired(now: now, limit: 1000) }
        }
        return wait
    }

    /// One new window in this many sweeps the table of expired counters.
    static let sweepOdds = 64
}
