import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ShopCore

extension PaymentProvider {
    /// Stripe, through `client`.
    static func stripe(_ client: StripeClient) -> PaymentProvider {
        PaymentProvider(
            name: "stripe", startSession: client.startSession, immediateSession: { nil },
            refund: { try await client.refund(order: $0.order, lineID: $0.lineID, amount: $0.amount) },
            setCancelAtPeriodEnd: { try await client.setCancelAtPeriodEnd(subscription: $0.providerID, $0.cancel) },
            testEvents: nil)
    }
}

/// Stripe Checkout Sessions over Stripe's HTTP API: form-encoded, API version pinned, idempotent per order.
struct StripeClient: Sendable {
    static let apiVersion = "2024-06-20"
    let apiBase: String
    let secretKey: String
    let client: HTTPClient
    let logger: Logger

    func startSession(_ request: PaymentSessionRequest) async throws -> PaymentSession {
        var form: [(String, String)] = [
            ("client_reference_id", request.orderID),
            ("customer_email", request.email),
            ("success_url", request.successURL),
            ("cancel_url", request.cancelURL),
            ("metadata[order_id]", request.orderID),
        ]
        if let expiresAt = request.expiresAt { form.append(("expires_at", String(expiresAt))) }
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
        let body = try await post("/v1/checkout/sessions", form, idempotencyKey: "checkout-session-\(request.orderID)", order: request.orderID)
        guard let session = try? JSONDecoder().decode(SessionBody.self, from: body) else {
            logger.error("stripe answered without a session id and url", metadata: ["order": "\(request.orderID)"])
            throw CheckoutError.paymentProviderFailed
        }
        return PaymentSession(id: session.id, url: session.url)
    }

    func refund(order: StoredOrder, lineID: String, amount: Int64) async throws -> String {
        guard let intent = order.paymentIntent else { throw CheckoutError.invalid(field: "order_id", message: "the order has no payment to refund") }
        let body = try await post(
            "/v1/refunds",
            [("payment_intent", intent), ("amount", String(amount)), ("metadata[order_id]", order.id), ("metadata[line_id]", lineID)],
            idempotencyKey: "refund-\(lineID)", order: order.id)
        guard let refund = try? JSONDecoder().decode(IDBody.self, from: body) else { throw CheckoutError.paymentProviderFailed }
        return refund.id
    }

    func setCancelAtPeriodEnd(subscription providerID: String, _ cancel: Bool) async throws {
        _ = try await post(
            "/v1/subscriptions/\(providerID)", [("cancel_at_period_end", cancel ? "true" : "false")],
            idempotencyKey: RandomToken.make(prefix: "sub-cancel-"), order: providerID)
    }

    /// A form-encoded POST to Stripe's API; any failure is logged with Stripe's message and becomes a 502 for the client.
    private func post(_ path: String, _ form: [(String, String)], idempotencyKey: String, order: String) async throws -> Data {
        var http = HTTPClientRequest(url: apiBase + path)
        http.method = .POST
        http.headers.add(name: "Authorization", value: "Bearer \(secretKey)")
        http.headers.add(name: "Stripe-Version", value: Self.apiVersion)
        http.headers.add(name: "Idempotency-Key", value: idempotencyKey)
        http.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        http.body = .bytes(ByteBuffer(string: FormEncoding.encode(form)))
        let response: HTTPClientResponse
        do {
            response = try await client.execute(http, timeout: .seconds(20))
        } catch {
            logger.error("stripe request failed", metadata: ["error": "\(error)", "path": "\(path)", "reference": "\(order)"])
            throw CheckoutError.paymentProviderFailed
        }
        let body = Data(buffer: try await response.body.collect(upTo: 1 << 20))
        guard (200..<300).contains(response.status.code) else {
            let message = (try? JSONDecoder().decode(StripeErrorBody.self, from: body))?.error.message ?? "status \(response.status.code)"
            logger.error("stripe refused the request", metadata: ["stripe": "\(message)", "path": "\(path)", "reference": "\(order)"])
            throw CheckoutError.paymentProviderFailed
        }
        return body
    }

    private struct IDBody: Decodable {
        let id: String
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

/// `application/x-www-form-urlencoded`, with keys and values percent-encoded as Stripe expects:
/// everything but RFC 3986's unreserved ASCII characters is escaped (UTF-8 bytes as `%XX`).
enum FormEncoding {
    static func encode(_ pairs: [(String, String)]) -> String {
        pairs.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }

    static func escape(_ text: String) -> String {
        PercentEncoding.unreserved(text)
    }
}
