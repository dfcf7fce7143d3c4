import Foundation
import ShopCore
import SiteCore

/// What the steps of one build read and leave for the steps after them (`BuildStep`).
///
/// `sitegen build` makes a new context each run; `sitegen serve` keeps the last successful one and
/// runs the same steps over it again, telling them which input files changed (`changed`), so a step
/// whose inputs are the same keeps what it made last time.
final class BuildContext {
    let siteFolder: String
    let outFolder: String
    /// The moment pages show prices for, seconds since 1970.
    var now: Int
    /// The page cache in use (on disk, kept in memory between preview rebuilds), or nil with `--no-cache`.
    var cache: BuildCache?
    /// Input paths (relative to the site folder) changed since this context last built; nil: treat
    /// everything as changed (the first build, or a change no step can take on its own).
    var changed: Set<String>?

    var config: SiteConfig!
    var fingerprints = InputFingerprints()
    var catalog: CatalogSource.Loaded!
    var index: CatalogIndex!
    /// What the build cache remembers about this catalog text (record hashes, checks passed), when
    /// there is a cache and the catalog is read from text.
    var catalogMemo: CatalogMemo?
    var theme: Theme!
    var assets: AssetPipeline!
    /// Resized copies and cards; nil until the images step ran (a failed run keeps the last result;
    /// the build stops at the model step).
    var images: ImagePipeline?
    /// Where the images step keeps what it makes: the cache's `images/`, or a temporary folder.
    var imageStore: ImageStore?
    var content: SiteContent!
    /// The content files being read in the background since the config step, for the content step.
    var contentReading: Pending<SiteContent.Read>?
    /// True when `content.memo` holds parses the cache's `content.tsv` does not (written at commit).
    var contentMemoIsStale = false
    var model: SiteModel!
    /// Every page input's hash, when there is a cache to use them.
    var inputs: PageInputs?
    /// Every page: what it shows, its URL path, and its file under the output folder.
    var pages: [PlacedPage] = []
    var generated: [(String, [UInt8])] = []
    /// The generated files as the build cache keeps them (`BuildCache.generatedFiles`), linked, not
    /// written, when they are as this build would make them.
    var generatedLinked: [LinkedFile] = []
    /// No two of `pages` share a file (`OutputTree.claimPrestaged`).
    var pageFilesAreDistinct = true
    var rewriter: LinkRewriter!
    var tree: OutputTree?
    /// Pages' files a static file replaces in the output (static/404.html, say).
    var replacedPages: Set<String> = []
    /// The build cache's pages being linked into an empty output's staging folder since the content
    /// step (`OutputTree.prestage`), until the render step.
    var prestaging: Pending<Bool>?
    var diagnostics: [Diagnostic] = []
    /// True when the model step kept the last run's model (only copy of single pages changed).
    var modelKept = false
    /// With `modelKept`: the `PageInputs` keys of the copy that changed.
    var changedKeys: Set<String> = []
    /// Leave the cache's index to `BuildCache.flush()` (the preview writes it once, not at every edit).
    var deferCacheIndex = false
    /// True when the build runs again over this context (the preview's session): it keeps what
    /// only a rebuild reads (`SiteContent.parsed`).
    var runsAgain = false
    /// Pages rendered and pages taken from the cache in the last run.
    var rendered = 0
    var reused = 0
    var schedule: PriceSchedule?
    /// Wall time of each step of the last run, in order.
    var timings: [(name: String, seconds: Double)] = []
    /// Things the user should know that did not fail the build (e.g. a cache that was ignored).
    var notes: [String] = []

    init(siteFolder: String, outFolder: String, now: Int, cache: BuildCache?) {
        self.siteFolder = siteFolder
        self.outFolder = outFolder
        self.now = now
        self.cache = cache
    }

    /// True when this context already holds a step's result and none of the inputs under `prefixes`
    /// changed since.
    func unchanged(_ prefixes: [String]) -> Bool {
        guard let changed else { return false }
        return !changed.contains { path in prefixes.contains { path == $0 || path.hasPrefix($0 + "/") } }
    }

    /// Files the output holds besides the pages: assets, images, generated files.
    var otherFiles: Int { assets.files.count + assets.linked.count + (images?.files.count ?? 0) + generated.count + generatedLinked.count }

    /// `path` relative to the site folder, when it is inside it.
    func relative(_ path: String) -> String {
        path.hasPrefix(siteFolder + "/") ? String(path.dropFirst(siteFolder.count + 1)) : path
    }
}

/// A page of this build and where it goes.
struct PlacedPage: Sendable {
    let job: PageJob
    /// The URL path, e.g. `/products/noah/`.
    let path: String
    /// The file under the output folder, e.g. `products/noah/index.html` (`SitePaths.file`).
    let file: String
}
