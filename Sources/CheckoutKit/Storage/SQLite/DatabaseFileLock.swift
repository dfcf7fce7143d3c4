import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Says a SQLite database is in use: every `CheckoutDatabase` holds a shared `flock` on the file
/// `DATABASE-lock` beside it (made if missing) from before it opens the database until the process
/// ends, and a restore takes it exclusively without waiting, so it never overwrites the database
/// under a running `checkout`. A file of its own, never the database: closing any descriptor of the
/// database file would drop the `fcntl` locks SQLite holds on it in this process
/// (https://sqlite.org/howtocorrupt.html, 2.2).
final class DatabaseFileLock: Sendable {
    private let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    static func path(for database: String) -> String { database + "-lock" }

    /// A shared lock for `database`, waiting while a restore holds it; nil when the lock file cannot
    /// be made (a read-only folder: the database then opens unguarded).
    static func shared(_ database: String) -> DatabaseFileLock? {
        lock(database, LOCK_SH).lock
    }

    /// The exclusive lock for `database` if no process has the database open; `inUse` when one does.
    static func exclusive(_ database: String) -> (lock: DatabaseFileLock?, inUse: Bool) {
        lock(database, LOCK_EX | LOCK_NB)
    }

    private static func lock(_ database: String, _ operation: Int32) -> (lock: DatabaseFileLock?, inUse: Bool) {
        let descriptor = open(path(for: database), O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return (nil, false) }
        while flock(descriptor, operation) != 0 {
            let failure = errno
            if failure == EINTR { continue }
            close(descriptor)
            return (nil, failure == EWOULDBLOCK)
        }
        return (DatabaseFileLock(descriptor: descriptor), false)
    }

    deinit {
        close(descriptor)
    }
}
