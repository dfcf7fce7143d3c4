/// The service's own settings, one value per name (the first-start download-link key): the first
/// storage seam of issue 11. Callers see this protocol; the SQL is in `Storage/SQLite/`.
protocol SettingsStorage: Sendable {
    /// The value stored under `name`, storing `made` first when there is none. Callers racing on a
    /// first start all get the one value that was stored (`INSERT … ON CONFLICT DO NOTHING`, then a
    /// read), never an error.
    func value(named name: String, storingIfAbsent made: String) async throws -> String
}
