import ArgumentParser
import CheckoutKit
import Foundation

/// `checkout backup --to DIR`: one verified copy of the database, taken while the service serves.
struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: """
        Take a consistent, verified copy of the database into a folder while the service serves \
        (SQLite: online backup; PostgreSQL: pg_dump --format=custom).
        """)
    @Option(help: "SQLite database file (env CHECKOUT_DB).")
    var db: String = ProcessInfo.processInfo.environment["CHECKOUT_DB"] ?? "var/checkout.sqlite"
    @Option(name: .customLong("database-url"), help: "PostgreSQL URL, used instead of --db (env CHECKOUT_DATABASE_URL).")
    var databaseURLOption: String?
    /// `--database-url`, else `CHECKOUT_DATABASE_URL`.
    var databaseURL: String? { databaseURLOption ?? environment("CHECKOUT_DATABASE_URL") }
    @Option(help: "The folder to write the copy into (created if needed).") var to: String
    @Option(help: "Also delete all but the newest N copies in the folder.") var keep: Int?

    var location: StorageLocation { databaseURL.map { .postgres(url: $0) } ?? .sqlite(path: db) }

    func validate() throws {
        if databaseURL == nil, !FileManager.default.fileExists(atPath: db) {
            throw ValidationError("--db (or CHECKOUT_DB): no database at \(db); give the database `checkout serve` uses")
        }
        if let keep, keep < 1 { throw ValidationError("--keep: \(keep) is not 1 or more") }
    }

    func run() async throws {
        let copy = try await report { try await DatabaseBackup.take(location, to: to, now: Int(Date().timeIntervalSince1970)) }
        print("backup \(copy.path) verified (\(Self.size(copy.path)))")
        if let keep { print("deleted \(DatabaseBackup.prune(to, keep: keep, kind: location.backupKind)) older copies") }
    }

    static func size(_ path: String) -> String {
        let bytes = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        return ByteCountFormatter.string(fromByteCount: Int64(bytes), countStyle: .file)
    }
}

/// `checkout restore FROM`: a backup back into an empty database.
struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: """
        Verify a backup, then restore it into an empty database (a new SQLite file, or an empty PostgreSQL database). \
        A database that already holds the checkout's tables is refused unless --force (stop the service first).
        """)
    @Argument(help: "The backup file (checkout-….sqlite or checkout-….pgdump), or a backup folder to take its newest copy.")
    var from: String
    @Option(help: "SQLite database file to restore into (env CHECKOUT_DB).")
    var db: String = ProcessInfo.processInfo.environment["CHECKOUT_DB"] ?? "var/checkout.sqlite"
    @Option(name: .customLong("database-url"), help: "PostgreSQL URL to restore into, instead of --db (env CHECKOUT_DATABASE_URL).")
    var databaseURLOption: String?
    /// `--database-url`, else `CHECKOUT_DATABASE_URL`.
    var databaseURL: String? { databaseURLOption ?? environment("CHECKOUT_DATABASE_URL") }
    @Flag(help: "Overwrite a database that is not empty.") var force = false

    func run() async throws {
        let location: StorageLocation = databaseURL.map { .postgres(url: $0) } ?? .sqlite(path: db)
        var isFolder: ObjCBool = false
        var file = from
        if FileManager.default.fileExists(atPath: from, isDirectory: &isFolder), isFolder.boolValue {
            let kind = databaseURL == nil ? "sqlite" : "pgdump"
            guard let newest = DatabaseBackup.copies(in: from).first(where: { $0.path.hasSuffix("." + kind) }) else {
                var standardError = FileHandle.standardError
                print("checkout: the folder \(from) holds no \(kind == "sqlite" ? "SQLite" : "PostgreSQL") backup (checkout-….\(kind))", to: &standardError)
                throw ExitCode.failure
            }
            file = newest.path
        }
        try await report { try await DatabaseBackup.restore(file, into: location, force: force) }
        print("restored \(file) into \(location)")
    }
}
