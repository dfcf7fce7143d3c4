import Foundation
import PostgresNIO

/// `postgres://user:password@host:port/database?sslmode=disable|prefer|require`, as libpq reads it
/// (the password percent-decoded; port 5432 and database = user when left out).
enum PostgresURL {
    /// What is wrong with a database URL, naming the part.
    struct Problem: Error, CustomStringConvertible {
        let url: String
        let reason: String
        var description: String { "the database URL \(PostgresURL.redacted(url)) \(reason)" }
    }

    static func configuration(_ url: String, connections: Int) throws -> PostgresClient.Configuration {
        guard let parts = URLComponents(string: url), ["postgres", "postgresql"].contains(parts.scheme ?? "") else {
            throw Problem(url: url, reason: "is not a postgres:// URL")
        }
        guard let host = parts.host, !host.isEmpty else { throw Problem(url: url, reason: "names no host") }
        guard let user = parts.user, !user.isEmpty else { throw Problem(url: url, reason: "names no user") }
        let database = String(parts.path.drop { $0 == "/" })
        let mode = parts.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
        let tls: PostgresClient.Configuration.TLS
        switch mode {
        case "disable": tls = .disable
        case "prefer", "allow": tls = .prefer(.makeClientConfiguration())
        case "require", "verify-ca", "verify-full": tls = .require(.makeClientConfiguration())
        default: throw Problem(url: url, reason: "has sslmode=\(mode); use disable, prefer or require")
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: parts.port ?? 5432, username: user, password: parts.password?.removingPercentEncoding,
            database: database.isEmpty ? user : database, tls: tls)
        configuration.options.maximumConnections = connections
        return configuration
    }

    /// The URL with its password replaced by `***`, for logs and errors.
    static func redacted(_ url: String) -> String {
        guard var parts = URLComponents(string: url), parts.password != nil else { return url }
        parts.password = "***"
        return parts.string ?? "postgres://***"
    }
}
