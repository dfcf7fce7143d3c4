import Foundation
import Hummingbird
import NIOCore
import ShopCore

/// The HTML of the test provider's "pay or decline" page.
enum TestPaymentPage {
    static func response(order: StoredOrder, membership: SubscriptionStatus?, session: String, shop: Shop) -> Response {
        let currency = order.currency
        func money(_ amount: Int64) -> String { escape(MoneyFormat.format(amount, currency: currency)) }
        var rows = ""
        for line in order.lines {
            let name = escape(line.title + (line.option.map { " (\($0))" } ?? ""))
            rows += "<tr><td>\(name)</td><td class=\"n\">\(line.quantity)</td><td class=\"n\">\(money(line.total - line.discount))</td></tr>\n"
        }
        let actions: String
        if order.kind == "subscription" && order.paidAt != nil, let membership, [.canceled, .incompleteExpired].contains(membership) {
            actions = "<p>This membership was <strong>canceled</strong>. <a href=\"\(escape(shop.siteURL))/account/\">Go to the account page</a>.</p>"
        } else if order.kind == "subscription" && order.paidAt != nil {
            let base = "/test-pay/\(escape(session))"
            actions = """
                <p>This membership is running. Play out what happens next:</p>
                <form method="post" action="\(base)/renew"><button type="submit" class="pay">Renew: the next payment succeeds</button></form>
                <form method="post" action="\(base)/fail-payment"><button type="submit" class="decline">Fail the next payment</button></form>
                <form method="post" action="\(base)/cancel"><button type="submit" class="decline">Cancel the subscription</button></form>
                <p><a href="\(escape(shop.siteURL))/account/">Go to the account page</a></p>
                """
        } else if order.status == .pending || order.status == .failed {
            actions = """
                <form method="post" action="/test-pay/\(escape(session))/pay"><button type="submit" class="pay">Pay \(money(order.total))</button></form>
                <form method="post" action="/test-pay/\(escape(session))/decline"><button type="submit" class="decline">Decline the payment</button></form>
                """
        } else {
            actions = "<p>This payment is <strong>\(escape(order.status.rawValue))</strong>. <a href=\"\(escape(shop.thankYouURL(order)))\">See the order</a>.</p>"
        }
        let html = """
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Test payment · \(money(order.total))</title>
            <style>
            body{font:16px/1.5 system-ui,sans-serif;background:#f4f1ea;color:#2b2a27;margin:0}
            main{max-width:520px;margin:48px auto;background:#fff;border-radius:12px;padding:28px 32px;box-shadow:0 2px 12px #0001}
            .badge{display:inline-block;background:#fde68a;border-radius:999px;padding:2px 12px;font-size:.85rem;font-weight:600}
            table{width:100%;border-collapse:collapse;margin:16px 0}td{padding:8px 0;border-bottom:1px solid #eee}.n{text-align:right}
            tfoot td{font-weight:700;border:0}button{font:inherit;font-weight:600;border:0;border-radius:8px;padding:12px 18px;width:100%;cursor:pointer;margin-top:10px}
            .pay{background:#4f6b4a;color:#fff}.decline{background:#eee;color:#a33a2b}:focus-visible{outline:3px solid #8a6d1d;outline-offset:2px}
            </style></head>
            <body><main>
            <p class="badge">Test mode — no real money moves</p>
            <h1>Pay \(escape(order.email))'s order</h1>
            <table><tbody>
            \(rows)</tbody><tfoot><tr><td>Total</td><td></td><td class="n">\(money(order.total))</td></tr></tfoot></table>
            \(actions)
            </main></body></html>
            """
        return Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
