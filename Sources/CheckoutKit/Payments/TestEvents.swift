import Foundation
import Logging
import ShopCore
import Synchronization

/// The test provider's events: Stripe-format, signed with the webhook secret, and handed to the
/// service's own `WebhookIntake` in process — the same verify → store → apply path a real Stripe
/// delivery takes, without a loopback HTTP request.
final class TestEvents: Sendable {
    private let secret: String
    private let clock: CheckoutClock
    private let logger: Logger
    /// Set once the shop exists (the shop holds the provider that holds this).
    private let intake = Mutex<WebhookIntake?>(nil)
    /// The last event time used: each test event is at least a second after the one before, so a
    /// burst of button presses keeps its order (events in the same second would tie).
    private let lastCreated = Mutex(0)

    /// The running refunded total per order (minor units), so refunds of two lines at once report
    /// their sum in `charge.refunded`, as Stripe does.
    private let refunded = Mutex<[String: Int64]>([:])

    init(secret: String, clock: CheckoutClock, logger: Logger) {
        self.secret = secret
        self.clock = clock
        self.logger = logger
    }

    /// Adds `amount` to the order's refunded total (starting from `stored`, what the order shows)
    /// and returns the new total.
    func addRefunded(order: String, amount: Int64, stored: Int64) -> Int64 {
        refunded.withLock { totals in
            let total = max(totals[order] ?? 0, stored).addingSaturated(amount)
            totals[order] = total
            return total
        }
    }

    func connect(_ intake: WebhookIntake) {
        self.intake.withLock { $0 = intake }
    }

    /// Sends one event of `type` about `object`; throws `CheckoutError.paymentProviderFailed` when
    /// the intake refuses it (which would be a bug here).
    func send(type: String, object: [String: Any]) async throws {
        let now = clock.seconds
        let created = lastCreated.withLock { last in
            last = max(now, last + 1)
            return last
        }
        let event: [String: Any] = [
            "id": RandomToken.make(prefix: "evt_test_"), "object": "event", "type": type, "created": created,
            "api_version": StripeClient.apiVersion, "livemode": false, "data": ["object": object],
        ]
        let payload = try JSONSerialization.data(withJSONObject: event, options: [.sortedKeys])
        let signature = StripeSignature(secret: secret).header(for: payload, timestamp: now)
        guard let intake = intake.withLock({ $0 }) else {
            logger.error("the test provider has no event intake connected", metadata: ["type": "\(type)"])
            throw CheckoutError.paymentProviderFailed
        }
        let outcome = try await intake.accept(payload: payload, signature: signature, logger: logger)
        guard case .stored = outcome else {
            logger.error("the test provider's event was refused", metadata: ["type": "\(type)", "outcome": "\(outcome)"])
            throw CheckoutError.paymentProviderFailed
        }
    }
}
