import ShopCore

/// How this instance claims work from the queues it shares with other instances (the outbox, the
/// outgoing webhook deliveries): rows are claimed in its name for `seconds`, renewed while it works
/// on them, and taken over by another instance when a lease ends unrenewed (the instance died).
///
/// Sending is at least once, as Stripe's webhooks are: an instance killed between an endpoint's
/// answer (or the mail relay's) and recording it, or whose write fails right then, leaves that one
/// row to be sent again when its lease ends. Every other row is sent once. Leases compare the
/// instances' clocks (seconds since 1970), so those must agree to well within a lease.
public struct QueueLease: Sendable {
    /// Names this process's claims: random per start, so a restarted instance does not take over
    /// the claims its earlier life held until they end.
    public let instance: String
    /// How long a claim lasts unrenewed, in seconds; longer than one send may take (a webhook
    /// attempt's timeout, an SMTP conversation).
    public let seconds: Int

    public init(instance: String = RandomToken.make(bytes: 9, prefix: "inst_"), seconds: Int = 60) {
        self.instance = instance
        self.seconds = seconds
    }
}

extension QueueLease {
    /// Runs `body` (one send) while renewing the claim every third of the lease through `renew`
    /// (given the new end, seconds since 1970), so a send slower than the lease (an SMTP relay
    /// answering each step just within its timeout) keeps its claim. Only an instance that stopped
    /// running lets a claim lapse.
    func holding<T: Sendable>(
        clock: CheckoutClock, renew: @escaping @Sendable (_ until: Int) async -> Void, _ body: @Sendable () async -> T
    ) async -> T {
        let (every, seconds) = (Duration.seconds(max(1, self.seconds / 3)), self.seconds)
        return await withTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    guard (try? await Task.sleep(for: every)) != nil else { return }
                    await renew(clock.seconds + seconds)
                }
            }
            let result = await body()
            group.cancelAll()
            return result
        }
    }
}
