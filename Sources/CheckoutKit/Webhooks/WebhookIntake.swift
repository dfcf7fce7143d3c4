import Foundation
import ShopCore

/// Where every payment event enters: Stripe's webhook deliveries (`WebhookController`) and the test
/// provider's events (`TestEvents`). Verifies the `Stripe-Signature` over the raw payload, decodes
/// the event, then stores and applies it in one transaction (an event whose processing fails is
/// still stored, so acknowledged, and the background worker retries it).
struct WebhookIntake: Sendable {
    let shop: Shop

    enum Outcome: Equatable {
        /// Stored now, or already stored before (`duplicate`).
        case stored(duplicate: Bool)
        case invalidSignature(String)
        case malformed
    }

    func accept(payload: Data, signature: String?) async throws -> Outcome {
        do throws(SignatureFailure) {
            try StripeSignature(secret: shop.configuration.webhookSecret).verify(header: signature, payload: payload, now: shop.clock.now())
        } catch {
            shop.metrics.webhookVerificationFailures.increment()
            shop.logger.warning("webhook signature refused", metadata: ["reason": "\(error)"])
            return .invalidSignature(error.description)
        }
        guard let event = try? StripeEvent.decode(payload) else { return .malformed }
        let stored = try await shop.processor.ingest(event, payload: payload)
        shop.metrics.webhookEvents.increment()
        return .stored(duplicate: !stored)
    }
}
