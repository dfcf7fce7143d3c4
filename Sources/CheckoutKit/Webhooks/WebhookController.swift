import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ShopCore

/// `POST /webhooks/stripe`: verifies Stripe's signature on the raw body, stores the event, and only
/// then answers 2xx; the event is applied in the same transaction, and retried from the stored queue
/// if that fails.
struct WebhookController: Sendable {
    let shop: Shop
    static let maxBody = 1 << 20

    @Sendable func receive(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: Self.maxBody)
        } catch let error as HTTPResponseError where error.status == .contentTooLarge {
            throw CheckoutError.payloadTooLarge(limit: Self.maxBody)
        }
        let payload = Data(buffer: buffer)
        let verifier = StripeSignature(secret: shop.configuration.webhookSecret)
        do throws(SignatureFailure) {
            try verifier.verify(header: request.headers[.stripeSignature], payload: payload, now: shop.clock.now())
        } catch {
            shop.metrics.webhookVerificationFailures.increment()
            context.logger.warning("webhook signature refused", metadata: ["reason": "\(error)"])
            return APIErrorBody.response(status: .badRequest, code: "invalid_signature", message: error.description, field: "Stripe-Signature")
        }
        let event: StripeEvent
        do {
            event = try StripeEvent.decode(payload)
        } catch {
            return APIErrorBody.response(status: .badRequest, code: "malformed_event", message: "the body is not a Stripe event")
        }
        // Stored and applied in one transaction; an event whose processing fails is still stored (so
        // acknowledged) and the background worker retries it.
        let stored = try await shop.processor.ingest(event, payload: payload)
        shop.metrics.webhookEvents.increment()
        return jsonResponse(WebhookReceipt(duplicate: !stored))
    }
}

/// The answer to a webhook delivery: `{"duplicate": …, "received": true}`.
struct WebhookReceipt: JSONBody {
    let duplicate: Bool

    func write(to json: inout JSONOutput) {
        json.object {
            $0.member("duplicate", duplicate)
            $0.member("received", true)
        }
    }
}
