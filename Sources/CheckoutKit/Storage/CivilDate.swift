/// UTC calendar dates from Unix time with integer arithmetic (Howard Hinnant's `civil_from_days`):
/// the clock asks for today's date on every cart read, and `Calendar` plus `String(format:)` cost more than
/// the rest of the pricing.
enum CivilDate {
    /// The proleptic Gregorian (year, month, day) of a Unix time, in UTC.
    /// Times this handles: the start of year 1 to the end of year 9999. Others are taken as the nearer end.
    static let supportedSeconds = -62_135_596_800...253_402_300_799

    static func from(unixSeconds seconds: Int) -> (year: Int, month: Int, day: Int) {
        let seconds = min(max(seconds, supportedSeconds.lowerBound), supportedSeconds.upperBound)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// `YYYY-MM-DD`.
    static func format(_ year: Int, _ month: Int, _ day: Int) -> String {
        let digits = String(year)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits + "-" + twoDigits(month) + "-" + twoDigits(day)
    }

    static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0" + String(value) : String(value)
    }
}
