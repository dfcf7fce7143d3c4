import Foundation

/// The time, injectable so tests can move it.
public struct CheckoutClock: Sendable {
    public let now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date = { Date() }) {
        self.now = now
    }

    public static let system = CheckoutClock()

    var seconds: Int { Int(now().timeIntervalSince1970) }
}
