/// An ISO 4217 currency with the number of digits after its decimal point.
public struct Currency: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The three-letter upper-case code, e.g. `USD`.
    public let code: String
    /// Digits after the decimal point (minor unit exponent): 2 for USD, 0 for JPY.
    public let exponent: Int

    /// The currency for an ISO 4217 code, or nil when the code is not one this shop can charge in.
    public init?(code: String) {
        guard let exponent = Currency.exponents[code] else { return nil }
        self.code = code
        self.exponent = exponent
    }

    public var description: String { code }

    /// The symbol shown before an amount, or the code and a space when the currency has no common symbol.
    public var symbol: String {
        switch code {
        case "USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN": return "$"
        case "EUR": return "€"
        case "GBP": return "£"
        case "JPY", "CNY": return "¥"
        case "INR": return "₹"
        case "KRW": return "₩"
        case "BRL": return "R$"
        case "ZAR": return "R"
        case "CHF": return "CHF "
        default: return code + " "
        }
    }

    public static let usd = Currency(code: "USD")!

    /// The currencies Stripe charges in, with their minor unit exponents (ISO 4217).
    static let exponents: [String: Int] = {
        var table: [String: Int] = [:]
        for code in ["BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"] {
            table[code] = 0
        }
        for code in ["BHD", "JOD", "KWD", "OMR", "TND"] {
            table[code] = 3
        }
        for code in [
            "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN", "BMD",
            "BND", "BOB", "BRL", "BSD", "BWP", "BYN", "BZD", "CAD", "CDF", "CHF", "CNY", "COP", "CRC", "CVE", "CZK",
            "DKK", "DOP", "DZD", "EGP", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GIP", "GMD", "GTQ", "GYD", "HKD",
            "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "ISK", "JMD", "KES", "KGS", "KHR", "KYD", "KZT", "LAK", "LBP",
            "LKR", "LRD", "LSL", "MAD", "MDL", "MKD", "MMK", "MNT", "MOP", "MUR", "MVR", "MWK", "MXN", "MYR", "MZN",
            "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "QAR", "RON", "RSD",
            "RUB", "SAR", "SBD", "SCR", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "STD", "SZL", "THB", "TJS", "TOP",
            "TRY", "TTD", "TWD", "TZS", "UAH", "USD", "UYU", "UZS", "WST", "XCD", "YER", "ZAR", "ZMW",
        ] {
            table[code] = 2
        }
        return table
    }()
}
