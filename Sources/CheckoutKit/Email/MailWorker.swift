import Foundation
import GRDB
import Logging
import ServiceLifecycle

/// Sends the outbox, oldest first, retrying failures with backoff. Runs beside the HTTP server.
actor MailWorker: Service {
    let database: CheckoutDatabase
    let sender: any MailSender
    let from: String
    let clock: CheckoutClock
    let logger: Logger
    let metrics: CheckoutMetrics
    /// Queue but do not send (staging, or holding mail while investigating).
    let holding: Bool
    /// The drain running or queued last; each drain waits for the one before, because an actor lets a
    /// second call in while the first awaits the network, and two overlapping drains would send twice.
    private var lastDrain: Task<Int, Never>?
    private let wakeUps = WorkerWakeUps()

    init(database: CheckoutDatabase, sender: any MailSender, from: String, clock: CheckoutClock, logger: Logger, metrics: CheckoutMetrics, holding: Bool) {
        self.database = database
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
        await wakeUps.run(every: .seconds(2)) { await self.drain() }
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
        let now = clock.seconds
        let from = self.from
        guard let due = try? await database.read({ db in
            try Row.fetchAll(
                db, sql: """
                    SELECT id, recipient, subject, body, created_at FROM outbox
                    WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ? ORDER BY created_at, id LIMIT 200
                    """,
                arguments: [now]
            ).map { OutgoingMail(id: $0[0], from: from, to: $0[1], subject: $0[2], body: $0[3], created: $0[4]) }
        }) else { return 0 }
        for mail in due {
            // On SIGTERM the rest waits in the outbox for the next start instead of holding up the exit.
            guard !Task.isShuttingDownGracefully, !Task.isCancelled else { break }
            do {
                try await sender.send(mail)
                try await database.write { db in
                    try db.execute(sql: "UPDATE outbox SET sent_at = ?, last_error = NULL WHERE id = ?", arguments: [now, mail.id])
                }
                sent += 1
                logger.info("email sent", metadata: ["email": "\(mail.id)"])
            } catch {
                metrics.emailFailures.increment()
                // A relay's 5xx (or an address it cannot take) will not change by waiting: the email is
                // marked failed. Network trouble, timeouts and 4xx answers are retried with back-off.
                let permanent = (error as? SMTPError).map { !$0.isTransient } ?? false
                logger.error(
                    permanent ? "email failed for good" : "email not sent, will retry",
                    metadata: ["email": "\(mail.id)", "error": "\(error)"])
                try? await database.write { db in
                    let attempts = (try Int.fetchOne(db, sql: "SELECT attempts FROM outbox WHERE id = ?", arguments: [mail.id]) ?? 0) + 1
                    try db.execute(
                        sql: "UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ?, failed_at = ? WHERE id = ?",
                        arguments: [attempts, now + min(3600, 30 << min(attempts, 7)), String(describing: error), permanent ? now : nil, mail.id])
                }
            }
        }
        return sent
    }
}
