/// An amount of money: integer minor units (cents for USD) and the currency they count.
public struct Money: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    /// Minor units, e.g. 499 for $4.99.
    public var amount: Int64
    public var currency: Currency

    public init(amount: Int64, currency: Currency) {
        self.amount = amount
        self.currency = currency
    }

    public static func zero(_ currency: Currency) -> Money { Money(amount: 0, currency: currency) }

    /// Reads a decimal amount such as `4.99` in `currency`, exactly, with no floating point.
    /// Returns nil for a malformed amount or one with more decimals than the currency has.
    public init?(decimal text: Substring, currency: Currency) {
        var digits = text
        var negative = false
        if digits.first == "-" {
            negative = true
            digits = digits.dropFirst()
        }
        let parts = digits.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        let fraction = parts.count == 2 ? parts[1] : ""
        guard !whole.isEmpty || !fraction.isEmpty,
              whole.allSatisfy(\.isASCIIDigit), fraction.allSatisfy(\.isASCIIDigit),
              parts.count == 1 || !fraction.isEmpty,
              fraction.count <= currency.exponent,
              whole.count <= 12
        else { return nil }
        var amount: Int64 = 0
        for digit in whole { amount = amount * 10 + Int64(digit.wholeNumberValue ?? 0) }
        var scaledFraction = Array(fraction)
        while scaledFraction.count < currency.exponent { scaledFraction.append("0") }
        for digit in scaledFraction { amount = amount * 10 + Int64(digit.wholeNumberValue ?? 0) }
        self.amount = negative ? -amount : amount
        self.currency = currency
    }

    /// Reads `4.99 USD`: a decimal amount, a space and an ISO currency code.
    public init?(_ text: Substring) {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2, let currency = Currency(code: String(parts[1])) else { return nil }
        self.init(decimal: parts[0], currency: currency)
    }

    /// The amount as a plain decimal, `4.99`, as schema.org and Stripe's dashboards show it.
    public var decimalString: String {
        let sign = amount < 0 ? "-" : ""
        let magnitude = amount.magnitude
        guard currency.exponent > 0 else { return sign + String(magnitude) }
        var divisor: UInt64 = 1
        for _ in 0..<currency.exponent { divisor *= 10 }
        var fraction = String(magnitude % divisor)
        while fraction.count < currency.exponent { fraction = "0" + fraction }
        return sign + String(magnitude / divisor) + "." + fraction
    }

    /// `4.99 USD`, the form the catalog text uses.
    public var description: String { decimalString + " " + currency.code }

    /// `$4.99`, for people.
    public var formatted: String {
        // `decimalString` prints the sign before the digits; the symbol goes between them.
        amount < 0 ? "-" + currency.symbol + String(decimalString.dropFirst()) : currency.symbol + decimalString
    }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.amount < rhs.amount }

    /// The share `percent`/100 of this amount, rounded half up (away from zero) to a whole minor unit.
    /// `percent` is taken as 0 to 100 (a catalog never holds more); the result never overflows.
    public func percentage(_ percent: Int) -> Money {
        let percent = Int64(min(max(percent, 0), 100))
        // amount = 100q + r, so amount × p / 100 = q × p + r × p / 100, and no step exceeds the amount.
        let (quotient, remainder) = amount.quotientAndRemainder(dividingBy: 100)
        let part = remainder * percent
        let rounded = part >= 0 ? (part + 50) / 100 : (part - 50) / 100
        return Money(amount: quotient * percent + rounded, currency: currency)
    }

    // Arithmetic saturates at the ends of `Int64` instead of trapping. No shop charges amounts near them
    // (Stripe takes at most eight digits, `CartPricing.maximumTotal`), and the checkout refuses any
    // total above that, so a saturated amount can be shown but is never charged; what it must never do
    // is stop the process because a catalog or a cart holds an absurd number.

    public static func + (lhs: Money, rhs: Money) -> Money {
        precondition(lhs.currency == rhs.currency, "adding \(lhs.currency) to \(rhs.currency)")
        return Money(amount: lhs.amount.addingSaturated(rhs.amount), currency: lhs.currency)
    }

    public static func - (lhs: Money, rhs: Money) -> Money {
        precondition(lhs.currency == rhs.currency, "subtracting \(rhs.currency) from \(lhs.currency)")
        return Money(amount: lhs.amount.subtractingSaturated(rhs.amount), currency: lhs.currency)
    }

    public static func * (lhs: Money, quantity: Int) -> Money {
        Money(amount: lhs.amount.multipliedSaturated(by: Int64(quantity)), currency: lhs.currency)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
