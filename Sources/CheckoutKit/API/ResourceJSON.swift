import Foundation
import ShopCore

/// `{"amount": 499, "currency": "USD"}`: minor units and the ISO currency.
struct MoneyJSON: JSONBody, Equatable {
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

    func write(to json: inout JSONOutput) {
        json.object {
            $0.member("amount", amount)
            $0.member("currency", currency)
        }
    }
}

/// A cart as the API shows it, priced from the catalog.
struct CartJSON: JSONBody {
    typealias Line = LineJSON

    struct CouponProblem: JSONBody {
        let code: String
        let message: String

        func write(to json: inout JSONOutput) {
            json.object {
                $0.member("code", code)
                $0.member("message", message)
            }
        }
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
    /// Member prices applied: how much, and the plan that gave them; the coupon's part of the discount.
    let memberDiscount: MoneyJSON?
    let memberPlan: String?
    let couponDiscount: MoneyJSON?

    init(id: String, priced: PricedCart, storedCoupon: String?, couponProblem: PricingError?, time: ShopTime) {
        self.id = id
        lines = priced.lines.map {
            Line(
                id: $0.id, sku: $0.sku, kind: $0.kind.rawValue, title: $0.title, option: $0.option, quantity: $0.quantity,
                unitPrice: MoneyJSON($0.unitPrice), total: MoneyJSON($0.total), discount: MoneyJSON($0.discount), refunded: nil,
                regularUnitPrice: $0.regularUnitPrice > $0.unitPrice ? MoneyJSON($0.regularUnitPrice) : nil,
                saleEndsAt: $0.saleEnds.map(time.iso8601), tierMinimumQuantity: $0.tierMinimum)
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
        memberDiscount = priced.memberDiscount.amount > 0 ? MoneyJSON(priced.memberDiscount) : nil
        memberPlan = priced.memberDiscount.amount > 0 ? priced.memberPlan?.title : nil
        couponDiscount = priced.coupon == nil ? nil : MoneyJSON(priced.discount - priced.memberDiscount)
    }

    func write(to json: inout JSONOutput) {
        json.object {
            $0.member("coupon", coupon)
            if let couponDiscount { $0.member("coupon_discount", couponDiscount) }
            $0.member("coupon_error", couponError)
            $0.member("currency", currency)
            $0.member("discount", discount)
            $0.member("id", id)
            $0.member("item_count", itemCount)
            $0.key("lines")
            $0.array(lines) { json, line in line.write(to: &json) }
            if let memberDiscount { $0.member("member_discount", memberDiscount) }
            if let memberPlan { $0.member("member_plan", memberPlan) }
            $0.member("subtotal", subtotal)
            $0.member("total", total)
        }
    }
}

/// A cart or order line; `refunded` only on orders.
struct LineJSON: JSONBody {
    let id: String
    let sku: String
    let kind: String
    let title: String
    let option: String?
    let quantity: Int
    let unitPrice: MoneyJSON
    let total: MoneyJSON
    let discount: MoneyJSON
    let refunded: Bool?
    /// Cart lines only, when a sale or tier lowers the price: the regular unit price, when the sale
    /// price ends (ISO 8601), and the tier's minimum quantity.
    var regularUnitPrice: MoneyJSON? = nil
    var saleEndsAt: String? = nil
    var tierMinimumQuantity: Int? = nil

    func write(to json: inout JSONOutput) {
        json.object {
            $0.member("discount", discount)
            $0.member("id", id)
            $0.member("kind", kind)
            $0.member("option", option)
            $0.member("quantity", quantity)
            if let refunded { $0.member("refunded", refunded) }
            if let regularUnitPrice { $0.member("regular_unit_price", regularUnitPrice) }
            if let saleEndsAt { $0.member("sale_ends_at", saleEndsAt) }
            $0.member("sku", sku)
            $0.member("title", title)
            if let tierMinimumQuantity { $0.member("tier_minimum_quantity", tierMinimumQuantity) }
            $0.member("total", total)
            $0.member("unit_price", unitPrice)
        }
    }
}

/// An order as the thank-you page reads it.
struct OrderJSON: JSONBody {
    typealias Line = LineJSON

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
    /// The paid lines' deliveries (`DeliveryView`), once it is paid.
    var deliveries: Data?

    struct Download {
        struct File {
            let name: String
            let url: String
        }

        let sku: String
        let title: String
        let files: [File]
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

    func write(to json: inout JSONOutput) {
        json.object {
            $0.member("amount_refunded", amountRefunded)
            $0.member("coupon", coupon)
            $0.member("created_at", createdAt)
            $0.member("currency", currency)
            if let deliveries {
                $0.key("deliveries")
                $0.raw(deliveries)
            }
            $0.member("discount", discount)
            if let downloads {
                $0.key("downloads")
                $0.array(downloads) { json, download in
                    json.object {
                        $0.key("files")
                        $0.array(download.files) { json, file in
                            json.object {
                                $0.member("name", file.name)
                                $0.member("url", file.url)
                            }
                        }
                        $0.member("sku", download.sku)
                        $0.member("title", download.title)
                    }
                }
            }
            $0.member("email", email)
            $0.member("id", id)
            $0.key("lines")
            $0.array(lines) { json, line in line.write(to: &json) }
            $0.member("paid_at", paidAt)
            $0.member("status", status)
            $0.member("subtotal", subtotal)
            $0.member("total", total)
        }
    }
}

/// Unix seconds as an ISO 8601 UTC timestamp (`2026-11-21T09:30:00Z`).
func isoTime(_ seconds: Int) -> String {
    let seconds = min(max(seconds, CivilDate.supportedSeconds.lowerBound), CivilDate.supportedSeconds.upperBound)
    let (year, month, day) = CivilDate.from(unixSeconds: seconds)
    let time = ((seconds % 86_400) + 86_400) % 86_400
    return CivilDate.format(year, month, day) + "T" + CivilDate.twoDigits(time / 3600) + ":" + CivilDate.twoDigits(time / 60 % 60) + ":"
        + CivilDate.twoDigits(time % 60) + "Z"
}
