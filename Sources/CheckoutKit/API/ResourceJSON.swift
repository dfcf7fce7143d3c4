import Foundation
import ShopCore

/// `{"amount": 499, "currency": "USD"}`: minor units and the ISO currency.
struct MoneyJSON: Encodable, Equatable {
    let amount: Int64
    let currency: String

    init(_ money: Money) {
        amount = money.amount
        currency = money.currency.code
    }

    init(amount: Int64, currency: String) {
        self.amount = amount
        self.currency = currency
    }
}

/// A cart as the API shows it, priced from the catalog.
struct CartJSON: Encodable {
    struct Line: Encodable {
        let id: String
        let sku: String
        let kind: String
        let title: String
        let option: String?
        let quantity: Int
        let unitPrice: MoneyJSON
        let total: MoneyJSON
        let discount: MoneyJSON

        enum CodingKeys: String, CodingKey {
            case id, sku, kind, title, option, quantity, total, discount
            case unitPrice = "unit_price"
        }
    }

    struct CouponProblem: Encodable {
        let code: String
        let message: String
    }

    let id: String
    let lines: [Line]
    let subtotal: MoneyJSON
    let discount: MoneyJSON
    let total: MoneyJSON
    let coupon: String?
    let couponError: CouponProblem?
    let itemCount: Int
    let currency: String

    enum CodingKeys: String, CodingKey {
        case id, lines, subtotal, discount, total, coupon, currency
        case couponError = "coupon_error"
        case itemCount = "item_count"
    }

    init(id: String, priced: PricedCart, storedCoupon: String?, couponProblem: PricingError?) {
        self.id = id
        lines = priced.lines.map {
            Line(
                id: $0.id, sku: $0.sku, kind: $0.kind.rawValue, title: $0.title, option: $0.option, quantity: $0.quantity,
                unitPrice: MoneyJSON($0.unitPrice), total: MoneyJSON($0.total), discount: MoneyJSON($0.discount))
        }
        subtotal = MoneyJSON(priced.subtotal)
        discount = MoneyJSON(priced.discount)
        total = MoneyJSON(priced.total)
        coupon = priced.coupon
        couponError = storedCoupon != nil && priced.coupon == nil
            ? CouponProblem(code: couponProblem?.code ?? "coupon_not_applicable", message: couponProblem?.message ?? "the coupon does not apply")
            : nil
        itemCount = priced.itemCount
        currency = priced.subtotal.currency.code
    }
}

/// An order as the thank-you page reads it.
struct OrderJSON: Encodable {
    struct Line: Encodable {
        let id: String
        let sku: String
        let kind: String
        let title: String
        let option: String?
        let quantity: Int
        let unitPrice: MoneyJSON
        let total: MoneyJSON
        let discount: MoneyJSON
        let refunded: Bool

        enum CodingKeys: String, CodingKey {
            case id, sku, kind, title, option, quantity, total, discount, refunded
            case unitPrice = "unit_price"
        }
    }

    let id: String
    let status: String
    let email: String
    let lines: [Line]
    let subtotal: MoneyJSON
    let discount: MoneyJSON
    let total: MoneyJSON
    let amountRefunded: MoneyJSON
    let coupon: String?
    let currency: String
    let createdAt: String
    let paidAt: String?
    /// Download links for what the order grants, once it is paid.
    var downloads: [Download]?

    struct Download: Encodable {
        struct File: Encodable {
            let name: String
            let url: String
        }

        let sku: String
        let title: String
        let files: [File]
    }

    enum CodingKeys: String, CodingKey {
        case id, status, email, lines, subtotal, discount, total, coupon, currency, downloads
        case amountRefunded = "amount_refunded"
        case createdAt = "created_at"
        case paidAt = "paid_at"
    }

    init(_ order: StoredOrder) {
        let money = { (amount: Int64) in MoneyJSON(amount: amount, currency: order.currency) }
        id = order.id
        status = order.status.rawValue
        email = order.email
        lines = order.lines.map {
            Line(
                id: $0.id, sku: $0.sku, kind: $0.kind.rawValue, title: $0.title, option: $0.option, quantity: $0.quantity,
                unitPrice: money($0.unitPrice), total: money($0.total), discount: money($0.discount), refunded: $0.refundedAt != nil)
        }
        subtotal = money(order.subtotal)
        discount = money(order.discount)
        total = money(order.total)
        amountRefunded = money(order.amountRefunded)
        coupon = order.coupon
        currency = order.currency
        createdAt = isoTime(order.createdAt)
        paidAt = order.paidAt.map(isoTime)
    }
}

/// Unix seconds as an ISO 8601 UTC timestamp.
func isoTime(_ seconds: Int) -> String {
    Date(timeIntervalSince1970: TimeInterval(seconds)).ISO8601Format()
}
