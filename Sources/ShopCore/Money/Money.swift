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
        for digit in whole { amount = amount * 10 + Int64(digit.asciiValue! - 48) }
        var scaledFraction = Array(fraction)
        while scaledFraction.count < currency.exponent { scaledFraction.append("0") }
        for digit in scaledFraction { amount = amount * 10 + Int64(digit.asciiValue! - 48) }
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
        amount < 0 ? "-" + currency.symbol + Money(amount: -amount, currency: currency).decimalString
            : currency.symbol + decimalString
    }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.amount < rhs.amount }

    /// The share `percent`/100 of this amount, rounded half up to a whole minor unit.
    public func percentage(_ percent: Int) -> Money {
        let scaled = amount * Int64(percent)
        let rounded = scaled >= 0 ? (scaled + 50) / 100 : (scaled - 50) / 100
        return Money(amount: rounded, currency: currency)
    }

    public static func + (lhs: Money, rhs: Money) -> Money {
        precondition(lhs.currency == rhs.currency, "adding \(lhs.currency) to \(rhs.currency)")
        return Money(amount: lhs.amount + rhs.amount, currency: lhs.currency)
    }

    public static func - (lhs: Money, rhs: Money) -> Money {
        precondition(lhs.currency == rhs.currency, "subtracting \(rhs.currency) from \(lhs.currency)")
        return Money(amount: lhs.amount - rhs.amount, currency: lhs.currency)
    }

    public static func * (lhs: Money, quantity: Int) -> Money {
        Money(amount: lhs.amount * Int64(quantity), currency: lhs.currency)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
