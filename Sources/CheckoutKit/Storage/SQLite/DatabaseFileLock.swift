import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Says a SQLite database file is in use by this process: every `CheckoutDatabase` holds a shared
/// `flock` on the file while it is open, and a restore takes it exclusively without waiting, so it
/// never overwrites the database under a running `checkout serve`. `flock` locks are apart from the
/// `fcntl` locks SQLite itself takes on the same file (Linux), so neither disturbs the other.
final class DatabaseFileLock: Sendable {
    private let descriptor: Int32

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// A shared lock on `path` (waiting while a restore holds it exclusively); nil when the file cannot be opened.
    static func shared(_ path: String) -> DatabaseFileLock? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        _ = flock(descriptor, LOCK_SH)
        return DatabaseFileLock(descriptor: descriptor)
    }

    /// The exclusive lock on `path` if nobody holds it; nil when a process has the database open
    /// (or the file does not exist yet: nobody can have it open).
    static func exclusive(_ path: String) -> (lock: DatabaseFileLock?, inUse: Bool) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return (nil, false) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            return (nil, true)
        }
        return (DatabaseFileLock(descriptor: descriptor), false)
    }

    deinit {
        close(descriptor)
    }
}
