import Foundation
import ShopCore
import Testing

@testable import CheckoutKit

@Suite struct CivilDateTests {
    private static let utc: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'"
        return formatter
    }()

    /// Every 7 hours 13 minutes 17 seconds from 1900 to 2200 covers every day of the month, leap years,
    /// century rules and times of day on both sides of the epoch.
    @Test func agreesWithFoundationAcrossCenturies() {
        var mismatches: [String] = []
        var seconds = -2_208_988_800
        while seconds < 7_258_118_400 {
            let expected = Self.utc.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
            let actual = isoTime(seconds)
            if actual != expected { mismatches.append("\(seconds): \(actual) != \(expected)") }
            seconds += 25_997
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test func todayIsTheShopsDateInItsTimeZone() throws {
        #expect(ShopTime(instant: 951_825_599).today == "2000-02-29")
        #expect(ShopTime(instant: 951_825_599, timeZone: try #require(TimeZone(identifier: "Pacific/Kiritimati"))).today == "2000-03-01")
        #expect(ShopTime(instant: 951_825_599, timeZone: try #require(TimeZone(identifier: "America/Los_Angeles"))).today == "2000-02-29")
        #expect(isoTime(951_825_599) == "2000-02-29T11:59:59Z")
    }
}
