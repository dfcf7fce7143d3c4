import ShopCore

/// Formats stored minor units for people, in the order's currency.
enum MoneyFormat {
    static func format(_ amount: Int64, currency code: String) -> String {
        guard let currency = Currency(code: code) else { return "\(amount) \(code)" }
        return Money(amount: amount, currency: currency).formatted
    }
}
