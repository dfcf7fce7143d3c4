import Foundation
import NIOSSL
import PostgresNIO

/// `postgres://user:password@host:port/database?sslmode=…`, as libpq reads it: the password
/// percent-decoded, port 5432 and database = user when left out, sslmode `prefer` by default.
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
        // As libpq: prefer and require encrypt without checking the certificate (a server's default
        // certificate is self-signed); verify-ca checks it against the system's roots, verify-full the
        // host name too.
        var unverified = TLSConfiguration.makeClientConfiguration()
        unverified.certificateVerification = .none
        var caOnly = TLSConfiguration.makeClientConfiguration()
        caOnly.certificateVerification = .noHostnameVerification
        let tls: PostgresClient.Configuration.TLS
        switch mode {
        case "disable": tls = .disable
        case "allow", "prefer": tls = .prefer(unverified)
        case "require": tls = .require(unverified)
        case "verify-ca": tls = .require(caOnly)
        case "verify-full": tls = .require(.makeClientConfiguration())
        default: throw Problem(url: url, reason: "has sslmode=\(mode); use disable, prefer, require, verify-ca or verify-full")
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: parts.port ?? 5432, username: user, password: parts.password,
            database: database.isEmpty ? user : database, tls: tls)
        configuration.options.maximumConnections = connections
        return configuration
    }

    /// The URL with its password replaced by `***`, for logs and errors. A value that does not parse
    /// as a URL is not shown at all beyond its scheme: it may be a password pasted in the wrong place.
    static func redacted(_ url: String) -> String {
        guard var parts = URLComponents(string: url), parts.scheme != nil, parts.host != nil else {
            if let scheme = url.range(of: "://").map({ String(url[..<$0.lowerBound]) }), scheme.allSatisfy({ $0.isLetter || $0 == "+" }) {
                return scheme + "://… (not shown: it does not parse as a URL)"
            }
            return "(a value that is not a URL, not shown)"
        }
        if parts.password != nil { parts.password = "***" }
        return parts.string ?? "(not shown)"
    }
}
