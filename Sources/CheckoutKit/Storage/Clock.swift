import Foundation

/// The time, injectable so tests can move it.
public struct CheckoutClock: Sendable {
    public let now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date = { Date() }) {
        self.now = now
    }

    public static let system = CheckoutClock()

    var seconds: Int { Int(now().timeIntervalSince1970) }

    /// Today's date in UTC as `YYYY-MM-DD`, the form coupon dates use.
    var today: String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: now())
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }
}
