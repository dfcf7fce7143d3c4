import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ShopCore

/// `POST /webhooks/stripe`: verifies Stripe's signature on the raw body, stores the event, and only
/// then answers 2xx; processing happens from the stored queue, first right away, then by retries.
struct WebhookController: Sendable {
    let shop: Shop
    static let maxBody = 1 << 20

    @Sendable func receive(_ request: Request, context: CheckoutRequestContext) async throws -> Response {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: Self.maxBody)
        } catch {
            return APIErrorBody.response(status: .contentTooLarge, code: "payload_too_large", message: "the event is larger than 1 MiB")
        }
        let payload = Data(buffer: buffer)
        let verifier = StripeSignature(secret: shop.configuration.webhookSecret)
        do throws(SignatureFailure) {
            try verifier.verify(header: request.headers[HTTPField.Name("Stripe-Signature")!], payload: payload, now: shop.clock.now())
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
        let stored = try await shop.events.store(id: event.id, type: event.type, created: event.created, payload: payload)
        shop.metrics.webhookEvents.increment()
        // The event is durable now. Processing it straight away from the queue keeps orders current for
        // the shopper; if it fails, the background worker retries it.
        if stored { await shop.processor.processNow(event.id) }
        return try jsonResponse(["received": true, "duplicate": !stored])
    }
}
