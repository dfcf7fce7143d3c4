import Foundation

/// PostgreSQL's side of `DatabaseBackup`: `pg_dump`, `pg_restore` and `psql` from Debian's
/// `postgresql-client`, given the connection through libpq's environment variables (`PGHOST`,
/// `PGPASSWORD`…) so the password never shows in the process list.
enum PostgresBackup {
    static func dump(_ url: String, to file: String) async throws {
        let (environment, database) = try connection(url)
        _ = try await ExternalProgram(name: "pg_dump").run(["--format=custom", "--file=\(file)", "--dbname=\(database)"], environment: environment)
    }

    /// Reads the whole archive (a truncated or damaged one fails), then its migrations.
    static func verify(_ file: String) async throws -> [String] {
        let restore = ExternalProgram(name: "pg_restore")
        do {
            _ = try await restore.run(["--file=/dev/null", file])
            let data = try await restore.run(["--data-only", "--table=checkout_migrations", "--file=-", file])
            // COPY public.checkout_migrations (id, applied_at) FROM stdin;  then one id<TAB>time line each, then \.
            var ids: [String] = []
            var inCopy = false
            for line in data.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("COPY ") { inCopy = true } else if line == "\\." { inCopy = false } else if inCopy, let id = line.split(separator: "\t").first {
                    ids.append(String(id))
                }
            }
            return ids
        } catch let failure as ExternalProgram.Failure {
            throw DatabaseBackup.Problem(description: "the backup \(file) is not a readable PostgreSQL archive: \(failure)")
        }
    }

    static func hasCheckoutTables(_ url: String) async throws -> Bool {
        let (environment, database) = try connection(url)
        let answer = try await ExternalProgram(name: "psql").run(
            ["--no-psqlrc", "--tuples-only", "--no-align", "--dbname=\(database)", "--command=SELECT to_regclass('checkout_migrations') IS NOT NULL"],
            environment: environment)
        return answer.trimmingCharacters(in: .whitespacesAndNewlines) == "t"
    }

    /// Connections to the database other than the one asking.
    static func otherSessions(_ url: String) async throws -> Int {
        let (environment, database) = try connection(url)
        let answer = try await ExternalProgram(name: "psql").run(
            ["--no-psqlrc", "--tuples-only", "--no-align", "--dbname=\(database)",
             "--command=SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'"],
            environment: environment)
        return Int(answer.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    static func restore(_ file: String, into url: String, replacing: Bool) async throws {
        let (environment, database) = try connection(url)
        _ = try await ExternalProgram(name: "pg_restore").run(
            ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"] + (replacing ? ["--clean", "--if-exists"] : [])
                + ["--dbname=\(database)", file],
            environment: environment)
    }

    /// libpq's variables for `url`, and the database name.
    static func connection(_ url: String) throws -> (environment: [String: String], database: String) {
        guard let parts = URLComponents(string: url), ["postgres", "postgresql"].contains(parts.scheme ?? ""), let host = parts.host else {
            throw DatabaseBackup.Problem(description: "the database URL \(PostgresURL.redacted(url)) is not postgres://user:password@host:port/database")
        }
        var environment = ["PGHOST": host, "PGUSER": parts.user ?? "", "PGPASSWORD": parts.password ?? ""]
        if let port = parts.port { environment["PGPORT"] = String(port) }
        if let mode = parts.queryItems?.first(where: { $0.name == "sslmode" })?.value {
            environment["PGSSLMODE"] = mode
            // The service verifies the server against the system's trusted roots; libpq reads
            // ~/.postgresql/root.crt unless told otherwise.
            let bundle = "/etc/ssl/certs/ca-certificates.crt"
            if mode.hasPrefix("verify"), ProcessInfo.processInfo.environment["PGSSLROOTCERT"] == nil, FileManager.default.fileExists(atPath: bundle) {
                environment["PGSSLROOTCERT"] = bundle
            }
        }
        environment["PGCONNECT_TIMEOUT"] = "10"
        let database = String(parts.path.drop { $0 == "/" })
        return (environment, database.isEmpty ? (parts.user ?? "postgres") : database)
    }
}
