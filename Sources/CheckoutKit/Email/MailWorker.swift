import Foundation
import Logging
import ServiceLifecycle

/// Sends the outbox, oldest first, retrying failures with backoff. Runs beside the HTTP server, in
/// every instance: each claims a batch of emails for a lease before sending them (`QueueLease`), so
/// no email is sent by two instances, and one whose instance died is sent once its lease ends.
actor MailWorker: Service {
    let storage: any CheckoutStorage
    let sender: any MailSender
    let from: String
    let clock: CheckoutClock
    let logger: Logger
    let metrics: CheckoutMetrics
    /// Queue but do not send (staging, or holding mail while investigating).
    let holding: Bool
    let lease: QueueLease
    /// Emails claimed at once.
    static let batch = 20
    /// The drain running or queued last; each drain waits for the one before, because an actor lets a
    /// second call in while the first awaits the network, and two overlapping drains would send twice.
    private var lastDrain: Task<Int, Never>?
    private let wakeUps = WorkerWakeUps()
    /// Whether the worker looks at its queue on a timer too, for work that comes due over time and
    /// work another instance queued; false in a multi-shop deployment, where `DueWorkScanner`
    /// looks once for every shop instead.
    let polls: Bool

    init(
        storage: any CheckoutStorage, sender: any MailSender, from: String, clock: CheckoutClock, logger: Logger, metrics: CheckoutMetrics,
        holding: Bool, lease: QueueLease, polls: Bool = true
    ) {
        self.polls = polls
        self.storage = storage
        self.lease = lease
        self.sender = sender
        self.from = from
        self.clock = clock
        self.logger = logger
        self.metrics = metrics
        self.holding = holding
    }

    /// Asks for the outbox to be sent now.
    nonisolated func notify() { wakeUps.notify() }

    func run() async throws {
        guard !holding else {
            logger.notice("mail is held: emails are queued in the outbox but not sent")
            try await gracefulShutdown()
            return
        }
        await wakeUps.run(every: .seconds(2), polls: polls) { await self.drain() }
    }

    /// Sends every email that is due; returns how many were sent.
    @discardableResult
    func drain() async -> Int {
        let previous = lastDrain
        let next = Task {
            _ = await previous?.value
            return await self.sendDue()
        }
        lastDrain = next
        return await next.value
    }

    private func sendDue() async -> Int {
        guard !holding else { return 0 }
        var sent = 0
        let (from, instance, lease) = (self.from, self.lease.instance, self.lease.seconds)
        while true {
            let claimedAt = clock.seconds
            let batch: [OutgoingMail]
            do {
                batch = try await storage.write { tx in
                    try tx.outbox.claimDue(now: claimedAt, until: claimedAt + lease, instance: instance, limit: Self.batch).map {
                        OutgoingMail(id: $0.id, from: from, to: $0.to, subject: $0.subject, body: $0.body, created: $0.created)
                    }
                }
            } catch {
                logger.error("could not claim emails to send", metadata: ["error": "\(error)"])
                break
            }
            guard !batch.isEmpty else { break }
            for mail in batch {
                // On SIGTERM the rest goes back to the outbox for another instance or the next start,
                // instead of holding up the exit.
                guard !Task.isShuttingDownGracefully, !Task.isCancelled else {
                    await release(instance)
                    return sent
                }
                // Renewed just before the send and every third of the lease during it; a claim that
                // was lost (this instance stalled past its lease) is another instance's email now.
                guard await renew(mail.id, until: clock.seconds + lease) else { continue }
                let sentNow = await self.lease.holding(clock: clock, renew: { until in _ = await self.renew(mail.id, until: until) }) {
                    await send(mail, now: clock.seconds)
                }
                if sentNow { sent += 1 }
            }
            if batch.count < Self.batch { break }
        }
        return sent
    }

    /// Extends this instance's claim on `id`; false when it no longer holds it (or on a database error, logged).
    private nonisolated func renew(_ id: String, until: Int) async -> Bool {
        let instance = lease.instance
        do {
            return try await storage.write { tx in try tx.outbox.renewClaim(id, instance: instance, until: until) }
        } catch {
            logger.error("could not renew the claim on an email", metadata: ["email": "\(id)", "error": "\(error)"])
            return false
        }
    }

    private func release(_ instance: String) async {
        do {
            try await storage.write { tx in try tx.outbox.releaseClaims(instance: instance) }
        } catch {
            logger.error("could not give back claimed emails; they are sent when their lease ends", metadata: ["error": "\(error)"])
        }
    }

    /// Sends one claimed email and records the outcome; returns whether it was sent.
    private func send(_ mail: OutgoingMail, now: Int) async -> Bool {
        do {
            try await sender.send(mail)
        } catch {
            return await recordFailure(mail, error: error, now: now)
        }
        do {
            try await storage.write { tx in try tx.outbox.markSent(mail.id, at: now) }
        } catch {
            // Sent but not recorded: the email stays claimed until its lease ends, then goes again.
            logger.error("email sent but not recorded", metadata: ["email": "\(mail.id)", "error": "\(error)"])
            return true
        }
        logger.info("email sent", metadata: ["email": "\(mail.id)"])
        return true
    }

    /// Records a failed send: retried with back-off, or failed for good on a permanent refusal.
    private func recordFailure(_ mail: OutgoingMail, error: any Error, now: Int) async -> Bool {
        metrics.emailFailures.increment()
        // A relay's 5xx (or an address it cannot take) will not change by waiting: the email is
        // marked failed. Network trouble, timeouts and 4xx answers are retried with back-off.
        let permanent = (error as? SMTPError).map { !$0.isTransient } ?? false
        logger.error(
            permanent ? "email failed for good" : "email not sent, will retry",
            metadata: ["email": "\(mail.id)", "error": "\(error)"])
        let (description, instance) = (String(describing: error), lease.instance)
        do {
            try await storage.write { tx in
                try tx.outbox.recordFailure(
                    mail.id, instance: instance, error: description, retryAt: { now + min(3600, 30 << min($0, 7)) }, permanent: permanent,
                    now: now)
            }
        } catch {
            logger.error("could not record a failed email; it is tried again when its lease ends", metadata: ["email": "\(mail.id)", "error": "\(error)"])
        }
        return false
    }
}
