import Foundation
import ShopCore
import SiteCore

/// Renders a whole site by running the build's named steps (`BuildStep.all`) over one
/// `BuildContext`: read config, catalog, theme, assets and content; render on all cores every page
/// whose inputs changed since the build cache saw it; check every internal link; then swap the new
/// output in place of the old.
public struct SiteBuild {
    public let siteFolder: String
    public let outFolder: String
    /// The moment pages show prices for (seconds since 1970): the build's start unless a test sets it.
    public let now: Int
    /// The build cache's folder, or nil to build without one.
    public let cacheFolder: String?
    /// True for a process that exits right after the build (`sitegen build`): the catalog, copy and
    /// model are left for the exit to reclaim instead of being freed object by object, which took
    /// about 7 % of a one-edit cached build at 10,000 products (perf), and so are the build cache's
    /// pages and the output's file list once the cache's index is written (the cache stays locked until
    /// the exit). Any temporary image store is still closed (its deinit removes its files).
    public var leavesMemoryToExit = false

    /// - Parameters:
    ///   - siteFolder: the folder holding `site.yaml`, `content/`, `templates/`, `assets/` and the catalog.
    ///   - outFolder: where the site goes; defaults to `siteFolder/public`.
    ///   - now: the moment prices are shown for, seconds since 1970; defaults to now.
    ///   - cache: where the build cache lives (`BuildCache`); defaults to `siteFolder/.sitegen-cache`.
    public init(siteFolder: String, outFolder: String? = nil, now: Int? = nil, cache: CacheLocation = .default) {
        let site = absolutePath(siteFolder)
        self.siteFolder = site
        self.outFolder = outFolder.map(absolutePath) ?? site + "/public"
        self.now = now ?? Int(Date().timeIntervalSince1970)
        switch cache {
        case .default: cacheFolder = site + "/" + Self.defaultCacheFolder
        case let .folder(folder): cacheFolder = absolutePath(folder)
        case .none: cacheFolder = nil
        }
    }

    /// Where a build keeps its cache.
    public enum CacheLocation: Sendable, Equatable {
        /// `.sitegen-cache` in the site folder.
        case `default`
        case folder(String)
        /// No cache: every page is rendered.
        case none
    }

    public static let defaultCacheFolder = ".sitegen-cache"

    /// What a build did, for its report.
    public struct Summary: Sendable, CustomStringConvertible {
        public let pages: Int
        public let files: Int
        public let written: Int
        public let unchanged: Int
        public let seconds: Double
        public let outFolder: String
        /// Wall time of each step, in order, for `sitegen build --timings`.
        public let phases: [(name: String, seconds: Double)]
        /// True when nothing changed since the last build, so nothing was rendered.
        public var upToDate = false
        /// The next scheduled price change the pages do not show yet (`PriceSchedule`), if any.
        public var nextChange: PriceSchedule?
        /// Pages rendered; the others came from the build cache.
        public var rendered = 0
        /// Images the images step made (a cover's copies count once, as does a card); the others
        /// came from the build cache.
        public var imagesMade = 0
        /// What the user should know that did not fail the build (e.g. a cache that was ignored).
        public var notes: [String] = []

        public var description: String {
            let time = seconds < 1 ? "\(Int((seconds * 1000).rounded())) ms" : String(format: "%.2f s", seconds)
            let line = upToDate
                ? "nothing changed since the last build of \(pages) pages and \(files - pages) other files (checked in \(time)) → \(outFolder)"
                : "built \(pages) pages (\(rendered) rendered, \(pages - rendered) from the cache) and \(files - pages) other files"
                    + (imagesMade > 0 ? " (\(imagesMade) images made)" : "")
                    + " in \(time) (\(written) written, \(unchanged) unchanged) → \(outFolder)"
            guard let nextChange else { return line }
            return line + "\n" + nextChange.sentence + " (written to " + PriceSchedule.path(outFolder: outFolder) + ")"
        }
    }

    /// Builds the site, or, when no input, not the program and not the output changed since the last
    /// build, reports that without building (`Summary.upToDate`).
    public func run() throws(BuildError) -> Summary {
        switch upToDate() {
        case let .upToDate(summary): return summary
        case let .stale(scan): return try build(scanned: scan)
        }
    }

    /// Whether the last build's output stands, and else the input scan made to tell, for the build to start from.
    enum Freshness {
        case upToDate(Summary)
        case stale((config: SiteConfig, fingerprints: InputFingerprints)?)
    }

    /// The last build's summary when nothing it depends on changed since.
    func upToDate() -> Freshness {
        let started = DispatchTime.now()
        let (siteFolder, outFolder) = (self.siteFolder, self.outFolder)
        // No output (CI's fresh checkout), or a build cache cleared: build (and so fill the cache again).
        guard FileManager.default.fileExists(atPath: OutputTree.beside(outFolder, "sitegen-manifest")),
              cacheFolder.map({ FileManager.default.fileExists(atPath: $0 + "/pages.tsv") }) ?? true
        else { return .stale(nil) }
        // The inputs and the output are checked on two cores at once.
        let checks = parallelMap([true, false]) { inputs -> (record: BuildRecord?, scan: (SiteConfig, InputFingerprints)?, outputIntact: Bool) in
            guard inputs else { return (nil, nil, BuildRecord.outputIsIntact(outFolder: outFolder)) }
            guard let config = try? SiteConfig.load(siteFolder: siteFolder) else { return (nil, nil, false) }
            let scan = InputFingerprints.scan(siteFolder: siteFolder, config: config)
            guard let record = BuildRecord.read(from: BuildRecord.path(outFolder: outFolder)), record.siteFolder == siteFolder,
                  let program = BuildRecord.programStamp(), record.program == program, scan == record.inputs
            else { return (nil, (config, scan), false) }
            return (record, (config, scan), false)
        }
        let scan = checks[0].scan.map { (config: $0.0, fingerprints: $0.1) }
        guard let record = checks[0].record, checks[1].outputIntact else { return .stale(scan) }
        // A scheduled price change that has come since makes the pages out of date too.
        let schedule = PriceSchedule.read(outFolder: outFolder)
        if let schedule, schedule.instant <= now { return .stale(scan) }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        return .upToDate(Summary(
            pages: record.pages, files: record.files, written: 0, unchanged: record.files, seconds: seconds, outFolder: outFolder,
            phases: [("check inputs", seconds)], upToDate: true, nextChange: schedule))
    }

    /// Runs every step over a new context: reads the inputs, renders the pages the cache does not
    /// hold, and swaps the new output in.
    /// `scanned`: `site.yaml` and the input scan `upToDate()` just made, so the config step need not repeat them.
    func build(scanned: (config: SiteConfig, fingerprints: InputFingerprints)? = nil) throws(BuildError) -> Summary {
        let context = BuildContext(siteFolder: siteFolder, outFolder: outFolder, now: now, cache: nil)
        if let scanned {
            context.config = scanned.config
            context.fingerprints = scanned.fingerprints
            context.changed = Set()
        }
        // Not for a site folder that is not there: opening the cache made it (and the config step
        // then could not say the folder is missing).
        if let cacheFolder, FileManager.default.fileExists(atPath: siteFolder) {
            // Its index is read while the catalog is; the images step settles it.
            let (cache, note) = BuildCache.open(folder: cacheFolder, inBackground: true)
            context.cache = cache
            if let note { context.notes.append(note) }
        }
        defer {
            if leavesMemoryToExit {
                // Its index written; its lock and folders are let go of by the exit.
                context.cache?.settle()
                _ = context.cache?.flush()
                context.imageStore = nil
                _ = Unmanaged.passRetained(context)
            }
        }
        return try run(context)
    }

    /// Runs every step over `context`, timing each; on failure the output stays as it was.
    func run(_ context: BuildContext) throws(BuildError) -> Summary {
        let started = DispatchTime.now()
        context.timings = []
        context.diagnostics = []
        var mark = started
        for step in BuildStep.all {
            do {
                try step.run(context)
            } catch {
                _ = context.prestaging?.value
                context.prestaging = nil
                context.tree?.discard()
                context.tree = nil
                context.cache?.forgetRecorded()
                throw error
            }
            let now = DispatchTime.now()
            context.timings.append((step.name, Double(now.uptimeNanoseconds - mark.uptimeNanoseconds) / 1e9))
            mark = now
        }
        let counts = context.tree?.counts ?? (0, 0)
        if leavesMemoryToExit, let tree = context.tree { _ = Unmanaged.passRetained(tree) }
        context.tree = nil
        context.changed = []
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        var summary = Summary(
            pages: context.pages.count, files: context.pages.count + context.otherFiles,
            written: counts.0, unchanged: counts.1, seconds: seconds, outFolder: outFolder, phases: context.timings,
            nextChange: context.schedule)
        summary.rendered = context.rendered
        summary.imagesMade = context.images?.made ?? 0
        summary.notes = context.notes
        context.notes = []
        return summary
    }

    /// What rendering some pages gave: the problems found, and each page for the cache.
    struct Rendered {
        var diagnostics: [Diagnostic]
        var pages: [BuildCache.Rendered]
    }

    /// Renders pages on every core, checks their links and stages them.
    static func render(_ pages: [PlacedPage], model: SiteModel, rewriter: LinkRewriter, into tree: OutputTree) -> Rendered {
        let renderer = PageRenderer(model: model)
        let results = parallelMap(pages) { placed -> ([Diagnostic], BuildCache.Rendered?) in
            let (job, path, file) = (placed.job, placed.path, placed.file)
            let draft = renderer.render(job)
            let (html, problems) = rewriter.process(draft.html, pagePath: path)
            var diagnostics = draft.diagnostics
            for problem in problems {
                diagnostics.append(Self.locate(problem, page: path, draft: draft, theme: model.theme, template: job.template))
            }
            do throws(BuildError) {
                let hash = try tree.write(file, html)
                return (diagnostics, BuildCache.Rendered(file: file, job: job.id, hash: hash, size: html.count, reads: draft.reads))
            } catch {
                return (diagnostics + error.diagnostics, nil)
            }
        }
        return Rendered(diagnostics: deduplicated(results.flatMap(\.0)), pages: results.compactMap(\.1))
    }

    /// Names the file and line a broken link or missing asset came from: Markdown, a template, or the page.
    static func locate(_ problem: LinkRewriter.Problem, page: String, draft: PageDraft, theme: Theme, template: String) -> Diagnostic {
        let message: String
        let hint: String
        switch problem {
        case let .missingAsset(url):
            message = "missing asset \(url)"
            hint = "put the file at assets\(url.dropFirst("/assets".count)) or fix the path"
        case let .brokenLink(url):
            message = "broken link \(url): no page is built at that path"
            hint = "link to an existing page, e.g. /products/<slug>/ or /shop/<niche>/"
        }
        if let source = draft.sourceLinks.first(where: { $0.url == problem.url }) {
            return Diagnostic(file: source.file, line: source.line, message: message, hint: hint)
        }
        if let place = theme.locate(problem.url, startingAt: template) {
            return Diagnostic(file: place.path, line: place.line, message: message + " (on \(page))", hint: hint)
        }
        return Diagnostic(file: "page \(page)", message: message, hint: hint + " (the link comes from catalog data or a template variable)")
    }

    /// Collapses the same problem reported by many pages (a broken link in a shared template) into one.
    static func deduplicated(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        var seen: [String: Int] = [:]
        var unique: [Diagnostic] = []
        for diagnostic in diagnostics {
            let key = "\(diagnostic.file):\(diagnostic.line ?? 0):\(diagnostic.message.split(separator: "(").first ?? "")"
            if seen[key] == nil {
                seen[key] = unique.count
                unique.append(diagnostic)
            }
        }
        return unique.sorted { ($0.file, $0.line ?? 0) < ($1.file, $1.line ?? 0) }
    }
}

/// `path` made absolute against the current folder, with `.` and `..` resolved.
func absolutePath(_ path: String) -> String {
    let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    return (absolute as NSString).standardizingPath
}
