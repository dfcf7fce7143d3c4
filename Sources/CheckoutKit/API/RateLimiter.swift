import Foundation
import Synchronization
import ShopCore

/// Fixed-window counters per key (an IP address, an email address), in memory. Enough for one
/// instance; several instances each keep their own counts.
public final class RateLimiter: Sendable {
    /// At most `limit` hits per `window` seconds.
    public struct Rule: Sendable {
        public let limit: Int
        public let window: Int

        public init(limit: Int, window: Int) {
            self.limit = limit
            self.window = window
        }
    }

    private let counters = Mutex<[String: (windowStart: Int, count: Int)]>([:])

    /// Counts one hit for `key`: nil when it is within its limit, else the seconds until its window
    /// ends and it may try again (what `Retry-After` says, RFC 9110 §10.2.3).
    func hit(_ key: String, rule: Rule, now: Int) -> Int? {
        counters.withLock { counters in
            if counters.count > 100_000 { counters = counters.filter { now - $0.value.windowStart < rule.window } }
            var entry = counters[key] ?? (now, 0)
            if now - entry.windowStart >= rule.window { entry = (now, 0) }
            entry.count = entry.count.addingSaturated(1)
            counters[key] = entry
            return entry.count <= rule.limit ? nil : max(1, entry.windowStart + rule.window - now)
        }
    }
}
