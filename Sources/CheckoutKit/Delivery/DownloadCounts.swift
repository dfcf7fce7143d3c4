/// How much of each file each entitlement has downloaded, and whether one more download fits.
///
/// A whole download (a plain GET, or a range covering the whole file) counts as one of the `limit`
/// downloads. Every byte sent counts against a budget of `limit + 1` times the file's size, so
/// resuming an interrupted download is free, but ranges cannot fetch the file without limit.
/// Kept in the storage by `StoredDownloadCounts`.
protocol DownloadCounts: Sendable {
    /// Whole downloads allowed per file per entitlement.
    var limit: Int { get }

    /// Whether the grant has used every whole download of `file` already: a cheap check before
    /// asking a remote file's server for bytes that could not be sent anyway.
    func isSpent(grant: String, file: String) async throws -> Bool

    /// Records a download of `bytes` of a file of `size` bytes (both in bytes) at `now` (seconds
    /// since 1970) if it fits; false when it does not. `whole` is whether it is the whole file.
    func record(grant: String, file: String, bytes: Int, of size: Int, whole: Bool, now: Int) async throws -> Bool
}
