/// What an order takes of limited stock: units per SKU (`StockRules.demand`), each SKU's limit, and
/// until when the units are held if the order is not paid (seconds since 1970: the payment
/// session's end, plus the time its last events take to arrive).
struct StockHold: Sendable {
    let demand: [String: Int]
    let limits: [String: Int]
    let until: Int
}
