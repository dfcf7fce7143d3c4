import ShopCore

/// A refund of one order line.
public struct LineRefund: Sendable {
    public let order: StoredOrder
    public let lineID: String
    /// Minor units, at most what the line has left to refund.
    public let amount: Int64
}
