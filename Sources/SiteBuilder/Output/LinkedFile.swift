/// A file the output takes from another file on disk instead of from bytes in memory: a large
/// asset (a raster image of several megabytes) or a copy the image store made.
struct LinkedFile: Sendable, Hashable {
    /// Under the output folder, e.g. `assets/images/products/ark.3f9a0c1be2-640w.webp`.
    let path: String
    /// The file on disk it is made from.
    let source: String
    /// Its size in bytes.
    let size: Int
    /// What the output manifest records for it (`StableHash` of its content's key), to tell an
    /// unchanged file from a changed one without reading it.
    let hash: UInt64
    /// Copy rather than hard-link: the source is the user's own file, which an edit of the output
    /// must not change.
    let copy: Bool
}
