import Foundation

/// A moment as the shop sees it: an instant (seconds since 1970) and the shop's time zone
/// (`timezone:` in `site.yaml`, an IANA name such as `Europe/Berlin`; UTC when unset).
/// Prices valid "at checkout time" and coupon dates are decided with it.
public struct ShopTime: Sendable, Hashable {
    /// Seconds since 1970.
    public let instant: Int
    /// The shop's time zone.
    public let timeZone: TimeZone

    public init(instant: Int, timeZone: TimeZone = .gmt) {
        self.instant = instant
        self.timeZone = timeZone
    }

    private var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    /// The shop's calendar date, `YYYY-MM-DD`: what coupon dates compare with.
    public var today: String {
        let parts = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: TimeInterval(instant)))
        return String(format: "%04d-%02d-%02d", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
    }

    /// The instant of a wall-clock time in the shop's zone, `YYYY-MM-DD` (midnight, or the next
    /// midnight when `endOfDay`) or `YYYY-MM-DD HH:MM` (also with `T`); nil when `text` is neither.
    /// In a daylight-saving gap the time moves forward, as Foundation's calendar does.
    public func instant(ofLocal text: String, endOfDay: Bool = false) -> Int? {
        guard let parts = Self.parse(text) else { return nil }
        var components = DateComponents(year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute)
        if parts.dateOnly && endOfDay { components.day = parts.day + 1 }
        guard let date = calendar.date(from: components) else { return nil }
        return Int(date.timeIntervalSince1970)
    }

    /// Whether `text` is a wall-clock time `instant(ofLocal:)` reads.
    public static func isLocalTime(_ text: String) -> Bool { parse(text) != nil }

    private static func parse(_ text: String) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, dateOnly: Bool)? {
        let date = String(text.prefix(10))
        guard ISODate.isValid(date) else { return nil }
        let numbers = date.split(separator: "-").compactMap { Int($0) }
        guard numbers.count == 3 else { return nil }
        if text.count == 10 { return (numbers[0], numbers[1], numbers[2], 0, 0, true) }
        let rest = Array(text.dropFirst(10))
        guard rest.count == 6, rest[0] == " " || rest[0] == "T", rest[3] == ":",
              let hour = Int(String(rest[1...2])), let minute = Int(String(rest[4...5])), (0...23).contains(hour), (0...59).contains(minute)
        else { return nil }
        return (numbers[0], numbers[1], numbers[2], hour, minute, false)
    }

    /// An instant as ISO 8601 with the shop's offset (`2026-12-24T09:00:00+01:00`), as schema.org's
    /// `priceValidUntil` and the build's next-change file give it.
    public func iso8601(_ instant: Int) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = timeZone
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(instant)))
    }
}

extension Sale {
    /// When the sale starts and ends in `time`'s zone (nil: unbounded).
    public func window(in time: ShopTime) -> (starts: Int?, ends: Int?) {
        (starts.isEmpty ? nil : time.instant(ofLocal: starts), ends.isEmpty ? nil : time.instant(ofLocal: ends, endOfDay: true))
    }

    /// Whether the sale price applies at `time` (and is below `regular`).
    public func applies(at time: ShopTime, regular: Money) -> Bool {
        guard price < regular else { return false }
        let (starts, ends) = window(in: time)
        return (starts.map { $0 <= time.instant } ?? true) && (ends.map { time.instant < $0 } ?? true)
    }
}
