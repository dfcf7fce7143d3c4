import ShopCore

/// The offline provider: its payment page is served by this service at `/test-pay/{session}`, and
/// paying there sends a signed Stripe-format event to this service's own webhook.
struct TestPaymentProvider: PaymentProvider {
    let publicURL: @Sendable () -> String

    var name: String { "test" }

    func startSession(_ request: PaymentSessionRequest) async throws -> PaymentSession {
        newSession()
    }

    /// Sessions are this service's own page, so they need no one's answer.
    func immediateSession() -> PaymentSession? {
        newSession()
    }

    private func newSession() -> PaymentSession {
        let id = RandomToken.makeOrdered(prefix: "cs_test_")
        return PaymentSession(id: id, url: publicURL() + "/test-pay/" + id)
    }

    // The test provider has no remote side: the controller that asks sends the events Stripe would.
    func refund(order: StoredOrder, lineID: String, amount: Int64) async throws -> String {
        RandomToken.make(prefix: "re_test_")
    }

    func setCancelAtPeriodEnd(subscription providerID: String, _ cancel: Bool) async throws {}
}
