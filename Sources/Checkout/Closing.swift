import CheckoutKit

/// What a command opens over the database and must close whatever happens.
protocol DatabaseSession {
    func close() async
}

extension WebhookEndpoints: DatabaseSession {}
extension StaffCredentials: DatabaseSession {}
extension CustomerData: DatabaseSession {}

/// Runs `body` over `session`, closing it after, also when `body` throws.
func using<Session: DatabaseSession, T>(_ session: Session, _ body: (Session) async throws -> T) async throws -> T {
    do {
        let value = try await body(session)
        await session.close()
        return value
    } catch {
        await session.close()
        throw error
    }
}
