/// At most `limit` requests per `window` seconds for one key (a client address, an email address).
public struct RateLimit: Sendable, Equatable {
    /// Requests allowed per window.
    public let limit: Int
    /// Seconds.
    public let window: Int

    public init(limit: Int, window: Int) {
        self.limit = limit
        self.window = window
    }
}
