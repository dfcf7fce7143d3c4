import Logging
import ServiceLifecycle

/// Looks, every `interval`, for shops of a multi-shop deployment with background work due — a
/// payment event, an email, an outgoing webhook, left by a retry schedule, another instance or
/// before a restart — and wakes those shops' workers, loading a shop first if it was not. One query
/// for the whole deployment in place of each shop's workers polling their own queues: with 2,000
/// shops loaded, that would be thousands of queries a second doing nothing.
struct DueWorkScanner: Service {
    let directory: ShopDirectory
    let clock: CheckoutClock
    let logger: Logger
    var interval: Duration = .seconds(1)

    func run() async throws {
        while true {
            await scan()
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) } } catch { return }
        }
    }

    /// One look: wakes the workers of every shop with work due now; returns those shops' ids.
    @discardableResult
    func scan() async -> Set<String> {
        let now = clock.seconds
        let shops: Set<String>
        do {
            shops = try await directory.storage.read { tx in try tx.dueWork.shops(now: now) }
        } catch {
            logger.error("cannot look for due background work", metadata: ["error": "\(error)"])
            return []
        }
        for id in shops {
            // A shop no longer listed keeps its rows; nothing of it runs.
            guard let loaded = try? await directory.shop(id: id) else { continue }
            loaded.shop.processor.notify()
            loaded.shop.mail.notify()
            loaded.shop.webhooks.notify()
        }
        return shops
    }
}
