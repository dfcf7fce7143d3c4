import Foundation
import Synchronization

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

    /// Counts one hit for `key`; false when the key is over its limit in the current window.
    func allow(_ key: String, rule: Rule, now: Int) -> Bool {
        counters.withLock { counters in
            if counters.count > 100_000 { counters = counters.filter { now - $0.value.windowStart < rule.window } }
            var entry = counters[key] ?? (now, 0)
            if now - entry.windowStart >= rule.window { entry = (now, 0) }
            entry.count += 1
            counters[key] = entry
            return entry.count <= rule.limit
        }
    }
}
