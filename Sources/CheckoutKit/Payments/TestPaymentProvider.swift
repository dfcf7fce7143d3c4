import ShopCore

extension PaymentProvider {
    /// The offline provider: its payment page is served by this service at `/test-pay/{session}`,
    /// and paying there (or refunding, or cancelling a membership) hands the signed events Stripe
    /// would send to `events`, which feeds them to the event processor in process.
    static func test(publicURL: @escaping @Sendable () -> String, events: TestEvents) -> PaymentProvider {
        // Sessions are this service's own page, so they need no one's answer.
        let newSession: @Sendable () -> PaymentSession = {
            let id = RandomToken.makeOrdered(prefix: "cs_test_")
            return PaymentSession(id: id, url: publicURL() + "/test-pay/" + id)
        }
        return PaymentProvider(
            name: "test",
            startSession: { _ in newSession() },
            immediateSession: newSession,
            refund: { request in
                let order = request.order
                let refundID = RandomToken.make(prefix: "re_test_")
                try await events.send(type: "refund.created", object: [
                    "id": refundID, "object": "refund", "amount": request.amount, "status": "succeeded",
                    "payment_intent": order.paymentIntent ?? "", "metadata": ["order_id": order.id, "line_id": request.lineID],
                ])
                try await events.send(type: "charge.refunded", object: [
                    "id": RandomToken.make(prefix: "ch_test_"), "object": "charge", "amount": order.total,
                    "amount_refunded": events.addRefunded(order: order.id, amount: request.amount, stored: order.amountRefunded),
                    "payment_intent": order.paymentIntent ?? "",
                    "metadata": ["order_id": order.id],
                ])
                return refundID
            },
            setCancelAtPeriodEnd: { change in
                try await events.send(type: "customer.subscription.updated", object: [
                    "id": change.providerID, "object": "subscription", "status": change.status, "current_period_end": change.periodEnd,
                    "cancel_at_period_end": change.cancel, "metadata": ["order_id": change.orderID, "plan": change.plan],
                ])
            },
            testEvents: events)
    }
}
