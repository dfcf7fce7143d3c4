import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// Stripe Checkout Sessions over Stripe's HTTP API: form-encoded, API version pinned, idempotent per order.
struct StripePaymentProvider: PaymentProvider {
    static let apiVersion = "2024-06-20"
    let apiBase: String
    let secretKey: String
    let client: HTTPClient
    let logger: Logger

    var name: String { "stripe" }

    func startSession(_ request: PaymentSessionRequest) async throws -> PaymentSession {
        var form: [(String, String)] = [
            ("client_reference_id", request.orderID),
            ("customer_email", request.email),
            ("success_url", request.successURL),
            ("cancel_url", request.cancelURL),
            ("metadata[order_id]", request.orderID),
        ]
        switch request.mode {
        case .payment:
            form.append(("mode", "payment"))
            form.append(("payment_intent_data[metadata][order_id]", request.orderID))
            for (index, line) in request.lines.enumerated() {
                let prefix = "line_items[\(index)]"
                form += [
                    ("\(prefix)[quantity]", "1"),
                    ("\(prefix)[price_data][currency]", request.currency),
                    ("\(prefix)[price_data][unit_amount]", String(line.amount)),
                    ("\(prefix)[price_data][product_data][name]", line.name),
                    ("\(prefix)[price_data][product_data][metadata][sku]", line.sku),
                ]
            }
        case let .subscription(plan, interval, trialDays):
            form.append(("mode", "subscription"))
            form.append(("subscription_data[metadata][order_id]", request.orderID))
            form.append(("subscription_data[metadata][plan]", plan))
            if trialDays > 0 { form.append(("subscription_data[trial_period_days]", String(trialDays))) }
            if let line = request.lines.first {
                form += [
                    ("line_items[0][quantity]", "1"),
                    ("line_items[0][price_data][currency]", request.currency),
                    ("line_items[0][price_data][unit_amount]", String(line.amount)),
                    ("line_items[0][price_data][recurring][interval]", interval),
                    ("line_items[0][price_data][product_data][name]", line.name),
                    ("line_items[0][price_data][product_data][metadata][sku]", line.sku),
                ]
            }
        }
        var http = HTTPClientRequest(url: apiBase + "/v1/checkout/sessions")
        http.method = .POST
        http.headers.add(name: "Authorization", value: "Bearer \(secretKey)")
        http.headers.add(name: "Stripe-Version", value: Self.apiVersion)
        http.headers.add(name: "Idempotency-Key", value: "checkout-session-\(request.orderID)")
        http.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        http.body = .bytes(ByteBuffer(string: FormEncoding.encode(form)))
        let response: HTTPClientResponse
        do {
            response = try await client.execute(http, timeout: .seconds(20))
        } catch {
            logger.error("stripe request failed", metadata: ["error": "\(error)", "order": "\(request.orderID)"])
            throw CheckoutError.paymentProviderFailed
        }
        let body = try await response.body.collect(upTo: 1 << 20)
        guard (200..<300).contains(response.status.code) else {
            let message = (try? JSONDecoder().decode(StripeErrorBody.self, from: Data(buffer: body)))?.error.message ?? "status \(response.status.code)"
            logger.error("stripe refused the checkout session", metadata: ["stripe": "\(message)", "order": "\(request.orderID)"])
            throw CheckoutError.paymentProviderFailed
        }
        guard let session = try? JSONDecoder().decode(SessionBody.self, from: Data(buffer: body)) else {
            logger.error("stripe answered without a session id and url", metadata: ["order": "\(request.orderID)"])
            throw CheckoutError.paymentProviderFailed
        }
        return PaymentSession(id: session.id, url: session.url)
    }

    private struct SessionBody: Decodable {
        let id: String
        let url: String
    }

    private struct StripeErrorBody: Decodable {
        struct Detail: Decodable { let message: String? }
        let error: Detail
    }
}

/// `application/x-www-form-urlencoded`, with keys and values percent-encoded as Stripe expects.
enum FormEncoding {
    private static let allowed: CharacterSet = {
        var set = CharacterSet.alphanumerics
        set.insert(charactersIn: "-._~")
        return set
    }()

    static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// Decodes a form body into pairs, in order.
    static func decode(_ body: String) -> [(String, String)] {
        body.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1)
            func unescape(_ part: Substring) -> String {
                String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(part)
            }
            return (unescape(parts[0]), parts.count > 1 ? unescape(parts[1]) : "")
        }
    }
}
