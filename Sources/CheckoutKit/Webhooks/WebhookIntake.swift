import Foundation
import Logging
import ShopCore

/// Where every payment event enters: Stripe's webhook deliveries (`WebhookController`) and the test
/// provider's events (`TestEvents`). Verifies the `Stripe-Signature` over the raw payload, decodes
/// the event, then stores and applies it in one transaction (an event whose processing fails is
/// still stored, so acknowledged, and the background worker retries it).
///
/// Built from what it uses, not from `Shop`: the shop holds the provider that holds this.
struct WebhookIntake: Sendable {
    let secret: String
    let clock: CheckoutClock
    let processor: WebhookProcessor
    let metrics: CheckoutMetrics

    init(secret: String, clock: CheckoutClock, processor: WebhookProcessor, metrics: CheckoutMetrics) {
        self.secret = secret
        self.clock = clock
        self.processor = processor
        self.metrics = metrics
    }

    init(shop: Shop) {
        self.init(secret: shop.configuration.webhookSecret, clock: shop.clock, processor: shop.processor, metrics: shop.metrics)
    }

    enum Outcome: Equatable {
        /// Stored now, or already stored before (`duplicate`).
        case stored(duplicate: Bool)
        case invalidSignature(String)
        case malformed
    }

    /// - Parameter logger: the request's logger, so a refusal is logged with its request id.
    func accept(payload: Data, signature: String?, logger: Logger) async throws -> Outcome {
        do throws(SignatureFailure) {
            try StripeSignature(secret: secret).verify(header: signature, payload: payload, now: clock.now())
        } catch {
            metrics.webhookVerificationFailures.increment()
            logger.warning("webhook signature refused", metadata: ["reason": "\(error)"])
            return .invalidSignature(error.description)
        }
        guard let event = try? StripeEvent.decode(payload) else { return .malformed }
        let stored = try await processor.ingest(event, payload: payload)
        metrics.webhookEvents.increment()
        return .stored(duplicate: !stored)
    }
}
