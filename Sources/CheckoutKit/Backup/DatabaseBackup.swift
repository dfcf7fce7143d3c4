import Foundation
import ShopCore

/// Consistent copies of the checkout's database while it serves, verified before they count, and
/// their restore (`checkout backup`, `checkout restore`, `checkout serve --backup-dir`).
///
/// - SQLite: the online backup API through GRDB, one step under one read transaction, so the copy is
///   the database as of one commit while writers go on (WAL); the copy is a single file
///   (`checkout-YYYYMMDDTHHMMSSZ.sqlite`, journal mode DELETE).
/// - PostgreSQL: `pg_dump --format=custom` (`….pgdump`), one snapshot of the whole database (every
///   shop), restored by `pg_restore`. Point-in-time recovery needs WAL archiving (see the README).
///
/// A copy is written under a `.partial` name, verified — SQLite: `PRAGMA integrity_check` is `ok`;
/// PostgreSQL: `pg_restore` reads the whole archive — and must hold exactly the migrations this
/// version applies; only then is it renamed to its final name. A file with a final name is a good copy.
public enum DatabaseBackup {
    /// One verified copy: its path and when it was taken (seconds since 1970).
    public struct Copy: Sendable, Equatable {
        public let path: String
        public let takenAt: Int
    }

    /// A copy that failed verification, or a restore refused; says which file and why.
    public struct Problem: Error, CustomStringConvertible {
        public let description: String
    }

    static let prefix = "checkout-"
    static let extensions = ["sqlite", "pgdump"]

    /// Takes, verifies and names a copy of `location` in `folder` (created if needed).
    /// - Throws: `Problem` naming the copy when it fails verification (the partial file is deleted);
    ///   the database's or `pg_dump`'s error when no copy could be made.
    public static func take(_ location: StorageLocation, to folder: String, now: Int) async throws -> Copy {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let name = prefix + stamp(now) + "." + (location.isPostgres ? "pgdump" : "sqlite")
        let final = (folder as NSString).appendingPathComponent(name)
        // Its own name: two copies started in one second (the CLI beside the schedule) never share one.
        let partial = final + "." + RandomToken.make(bytes: 6) + ".partial"
        do {
            switch location {
            case .sqlite(let path): try await BlockingWork.run { try SQLiteBackup.copy(path, to: partial) }
            case .postgres(let url): try await PostgresBackup.dump(url, to: partial)
            }
            try await verify(partial)
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
        try? FileManager.default.removeItem(atPath: final)
        try FileManager.default.moveItem(atPath: partial, toPath: final)
        return Copy(path: final, takenAt: now)
    }

    /// Checks a copy: readable whole, and at this version's migrations — or, with `allowOlder` (a
    /// restore: the service applies the missing ones when it starts), at an earlier version of them.
    /// - Throws: `Problem` naming the file and what is wrong with it.
    public static func verify(_ path: String, allowOlder: Bool = false) async throws {
        guard FileManager.default.fileExists(atPath: path) else { throw Problem(description: "no backup at \(path)") }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size > 0 else { throw Problem(description: "the backup \(path) is empty (0 bytes)") }
        let applied: [String]
        let expected: [String]
        if path.contains(".pgdump") {
            applied = try await PostgresBackup.verify(path)
            expected = PostgresSchema.migrations.map(\.id)
        } else {
            applied = try await BlockingWork.run { try SQLiteBackup.verify(path) }
            expected = CheckoutSchema.migrator.migrations
        }
        let missing = expected.filter { !applied.contains($0) }, unknown = applied.filter { !expected.contains($0) }
        guard unknown.isEmpty, missing.isEmpty || (allowOlder && !applied.isEmpty) else {
            throw Problem(description: "the backup \(path) is not at this version's schema: "
                + (missing.isEmpty ? "" : "missing migrations \(missing.joined(separator: ", ")) ")
                + (unknown.isEmpty ? "" : "unknown migrations \(unknown.joined(separator: ", ")) (made by a newer checkout?)"))
        }
    }

    /// Restores `path` (verified first) into `location`, which must be empty unless `force`.
    /// - Throws: `Problem` naming the database when it already holds the checkout's tables (pass
    ///   `force` to overwrite it), or the backup when it fails verification.
    public static func restore(_ path: String, into location: StorageLocation, force: Bool) async throws {
        try await verify(path, allowOlder: true)
        let isDump = path.hasSuffix(".pgdump")
        guard isDump == location.isPostgres else {
            throw Problem(description: "\(path) is a \(isDump ? "PostgreSQL" : "SQLite") backup; restore it into a \(isDump ? "PostgreSQL database (--database-url)" : "SQLite file (--db)")")
        }
        switch location {
        case .sqlite(let target):
            let folder = (target as NSString).deletingLastPathComponent
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            // Held until the copy is in: a `checkout serve` starting meanwhile waits for it.
            let (lock, inUse) = DatabaseFileLock.exclusive(target)
            guard !inUse else {
                throw Problem(description: "the database \(target) is open in a running checkout (serve or another command); stop it first, even with --force")
            }
            if !force, try SQLiteBackup.hasTables(target) {
                throw Problem(description: "the database \(target) is not empty; restore into a new file, or pass --force to overwrite it")
            }
            try await BlockingWork.run { try SQLiteBackup.copy(path, to: target, singleFile: false) }
            withExtendedLifetime(lock) {}
        case .postgres(let url):
            let sessions = try await PostgresBackup.otherSessions(url)
            guard sessions == 0 else {
                throw Problem(description: "the database \(location) has \(sessions) other open connections (a running checkout?); stop them first, even with --force")
            }
            if !force, try await PostgresBackup.hasCheckoutTables(url) {
                throw Problem(description: "the database \(location) already holds the checkout's tables; restore into an empty database, or pass --force to replace them")
            }
            try await PostgresBackup.restore(path, into: url, replacing: force)
        }
    }

    /// Good copies in `folder`, newest first.
    public static func copies(in folder: String) -> [Copy] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.compactMap { name -> Copy? in
            guard name.hasPrefix(prefix), let dot = name.lastIndex(of: "."), extensions.contains(String(name[name.index(after: dot)...])),
                  let time = time(String(name.dropFirst(prefix.count)[..<dot])) else { return nil }
            return Copy(path: (folder as NSString).appendingPathComponent(name), takenAt: time)
        }.sorted { $0.takenAt > $1.takenAt }
    }

    /// Deletes all but the newest `keep` good copies of `kind` (`sqlite` or `pgdump`) in `folder`, and
    /// partial files a copy left more than a day ago (a killed process); how many copies were deleted.
    @discardableResult
    public static func prune(_ folder: String, keep: Int, kind: String) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(".partial") {
            let path = (folder as NSString).appendingPathComponent(name)
            if let changed = try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date, changed.timeIntervalSinceNow < -86_400 {
                try? FileManager.default.removeItem(atPath: path)
            }
        }
        return copies(in: folder).filter { $0.path.hasSuffix("." + kind) }.dropFirst(keep)
            .filter { (try? FileManager.default.removeItem(atPath: $0.path)) != nil }.count
    }

    static func stamp(_ time: Int) -> String {
        formatter.string(from: Date(timeIntervalSince1970: TimeInterval(time)))
    }

    static func time(_ stamp: String) -> Int? {
        formatter.date(from: stamp).map { Int($0.timeIntervalSince1970) }
    }

    private static let formatter: DateFormatter = {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter
    }()
}

extension StorageLocation {
    var isPostgres: Bool {
        if case .postgres = self { return true }
        return false
    }

    /// The extension of this database's copies: `pgdump` or `sqlite`.
    public var backupKind: String { isPostgres ? "pgdump" : "sqlite" }
}
