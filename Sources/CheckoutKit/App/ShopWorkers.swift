import Logging
import ServiceLifecycle
import Synchronization

/// Runs the background workers (payment events, email, outgoing webhooks) of every shop a
/// multi-shop deployment has loaded, beside the HTTP server: a shop's start when it loads, its stop
/// when the shops file drops it, and all of them stopping gracefully with the service.
final class ShopWorkers: Service, Sendable {
    private enum Command {
        case start(Shop)
        case stop(Shop)
    }

    private let commands: AsyncStream<Command>
    private let send: AsyncStream<Command>.Continuation
    private let logger: Logger

    init(logger: Logger) {
        (commands, send) = AsyncStream.makeStream(of: Command.self)
        self.logger = logger
    }

    func start(_ shop: Shop) { send.yield(.start(shop)) }

    func stop(_ shop: Shop) { send.yield(.stop(shop)) }

    func run() async throws {
        // Tasks made here, not in `start`, so they inherit this service's graceful shutdown (a
        // request handler's task would hand them its own context instead).
        var running: [ObjectIdentifier: Task<Void, Never>] = [:]
        for await command in commands.cancelOnGracefulShutdown() {
            switch command {
            case .start(let shop):
                running[ObjectIdentifier(shop)] = Task {
                    await withDiscardingTaskGroup { group in
                        for service in [shop.processor, shop.mail, shop.webhooks] as [any Service] {
                            group.addTask {
                                do { try await service.run() } catch {
                                    // A shop the shops file dropped or replaced stops its workers by cancelling them.
                                    guard !Task.isCancelled else { return }
                                    shop.logger.error("background worker stopped", metadata: ["error": "\(error)"])
                                }
                            }
                        }
                    }
                }
            case .stop(let shop):
                running.removeValue(forKey: ObjectIdentifier(shop))?.cancel()
                shop.logger.info("shop unloaded")
            }
        }
        for task in running.values { await task.value }
    }
}
