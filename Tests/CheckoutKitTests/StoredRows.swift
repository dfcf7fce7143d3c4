@testable import CheckoutKit
import Logging

/// Reads what a database holds, through a storage of its own (one connection) closed after: for
/// tests that check the rows a service or command left.
func readStored<T: Sendable>(_ location: StorageLocation, _ body: @escaping @Sendable (StorageTransaction) throws -> T) async throws -> T {
    var logger = Logger(label: "test")
    logger.logLevel = .warning
    let storage = try await location.open(connections: 1, logger: logger)
    do {
        let value = try await storage.read(body)
        await storage.close()
        return value
    } catch {
        await storage.close()
        throw error
    }
}
