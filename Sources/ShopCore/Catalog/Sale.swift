/// A scheduled sale price of a product or variant.
///
/// `starts` and `ends` are wall-clock times in the shop's time zone (`timezone:` in `site.yaml`),
/// written `YYYY-MM-DD` or `YYYY-MM-DD HH:MM`; empty for no bound. A sale runs from its start
/// (a date alone: that day's midnight) up to, not including, its end (a date alone: the end of that
/// day, as WooCommerce's "Date sale price ends" includes the day). A sale at or above the regular
/// price is no sale (WooCommerce's `is_on_sale`).
public struct Sale: Hashable, Sendable, Codable {
    /// The price while the sale runs, in the shop's currency.
    public var price: Money
    /// Wall-clock start in the shop's time zone (`YYYY-MM-DD` or `YYYY-MM-DD HH:MM`), "" for none.
    public var starts: String
    /// Wall-clock end in the shop's time zone, exclusive (a date alone: the end of that day), "" for none.
    public var ends: String

    public init(price: Money, starts: String = "", ends: String = "") {
        self.price = price
        self.starts = starts
        self.ends = ends
    }
}
