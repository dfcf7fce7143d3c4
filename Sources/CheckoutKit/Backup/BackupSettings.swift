import Foundation
import Synchronization

/// Scheduled backups of `checkout serve` (`--backup-dir`, `--backup-every`, `--backup-keep`).
public struct BackupSettings: Sendable {
    /// The folder verified copies are kept in.
    public var folder: String
    /// Seconds between copies (default 10 minutes: a recovery point under 15).
    public var interval: Int = 600
    /// How many of the newest copies are kept; older ones are deleted after a good copy.
    public var keep: Int = 144
    /// The newest good copy's time, shared by every copy of these settings (`/metrics` reads it).
    let status = BackupStatus()

    public init(folder: String, interval: Int = 600, keep: Int = 144) {
        self.folder = folder
        self.interval = interval
        self.keep = keep
    }
}

/// When the newest verified copy was taken, and since when the schedule has run (so a schedule that
/// never succeeds still shows a growing age), in seconds since 1970.
final class BackupStatus: Sendable {
    private let state = Mutex<(lastSuccess: Int?, started: Int?)>((nil, nil))

    func started(at time: Int, newestExisting: Int?) {
        state.withLock { $0 = (newestExisting, time) }
    }

    func succeeded(at time: Int) {
        state.withLock { $0.lastSuccess = max($0.lastSuccess ?? 0, time) }
    }

    /// Seconds since the newest good copy (or since the schedule started, when there is none yet).
    func age(now: Int) -> Int? {
        state.withLock { state in (state.lastSuccess ?? state.started).map { max(0, now - $0) } }
    }

    var lastSuccess: Int? { state.withLock { $0.lastSuccess } }
}

/// Parses a duration as operators write it: `90s`, `10m`, `2h`, `30d`, or a number of seconds.
public enum DurationText {
    /// Seconds; nil for text that is not a duration.
    public static func seconds(_ text: String) -> Int? {
        let text = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        if let unit = text.last.flatMap({ units[String($0)] }) {
            return Int(text.dropLast()).flatMap { $0 >= 0 ? $0.multipliedReportingOverflow(by: unit) : nil }.flatMap { $0.overflow ? nil : $0.partialValue }
        }
        return Int(text).flatMap { $0 >= 0 ? $0 : nil }
    }
}
