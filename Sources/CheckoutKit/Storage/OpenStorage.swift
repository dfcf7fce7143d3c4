import Logging

extension StorageLocation {
    /// Opens the database, applying every pending migration. Throws `StartupError` naming the
    /// database (a PostgreSQL URL with its password hidden) and what went wrong.
    /// `connections`: the most PostgreSQL connections this process holds at once.
    func open(connections: Int = 16, logger: Logger) async throws -> any CheckoutStorage {
        do {
            switch self {
            case .sqlite(let path): return try CheckoutDatabase(path: path)
            case .postgres(let url): return try await PostgresStorage.open(url: url, connections: connections, logger: logger)
            }
        } catch {
            throw StartupError(description: "cannot open the database \(self): \(error)")
        }
    }
}
