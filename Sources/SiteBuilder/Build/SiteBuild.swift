import Foundation
import ShopCore
import SiteCore

/// Renders a whole site: read config, catalog, content, theme and assets; render every page on all
/// cores; check every internal link; then swap the new output in place of the old.
public struct SiteBuild {
    public let siteFolder: String
    public let outFolder: String
    /// The moment pages show prices for (seconds since 1970): the build's start unless a test sets it.
    public let now: Int

    /// - Parameters:
    ///   - siteFolder: the folder holding `site.yaml`, `content/`, `templates/`, `assets/` and the catalog.
    ///   - outFolder: where the site goes; defaults to `siteFolder/public`.
    ///   - now: the moment prices are shown for, seconds since 1970; defaults to now.
    public init(siteFolder: String, outFolder: String? = nil, now: Int? = nil) {
        let site = absolutePath(siteFolder)
        self.siteFolder = site
        self.outFolder = outFolder.map(absolutePath) ?? site + "/public"
        self.now = now ?? Int(Date().timeIntervalSince1970)
    }

    /// What a build did, for its one-line report.
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

        public var description: String {
            let time = seconds < 1 ? "\(Int((seconds * 1000).rounded())) ms" : String(format: "%.2f s", seconds)
            let line = upToDate
                ? "nothing changed since the last build of \(pages) pages and \(files - pages) other files (checked in \(time)) → \(outFolder)"
                : "built \(pages) pages and \(files - pages) other files in \(time) (\(written) written, \(unchanged) unchanged) → \(outFolder)"
            guard let nextChange else { return line }
            return line + "\n" + nextChange.sentence + " (written to " + PriceSchedule.path(outFolder: outFolder) + ")"
        }
    }

    /// Builds the site, or, when no input, not the program and not the output changed since the last
    /// build, reports that without building (`Summary.upToDate`).
    public func run() throws(BuildError) -> Summary {
        if let summary = upToDate() { return summary }
        return try build().summary
    }

    /// The last build's summary when nothing it depends on changed since.
    func upToDate() -> Summary? {
        let started = DispatchTime.now()
        let (siteFolder, outFolder) = (self.siteFolder, self.outFolder)
        // The inputs and the output are checked on two cores at once.
        let checks = parallelMap([true, false]) { inputs -> (record: BuildRecord?, outputIntact: Bool) in
            guard inputs else { return (nil, BuildRecord.outputIsIntact(outFolder: outFolder)) }
            guard let record = BuildRecord.read(from: BuildRecord.path(outFolder: outFolder)), record.siteFolder == siteFolder,
                  let program = BuildRecord.programStamp(), record.program == program,
                  let config = try? SiteConfig.load(siteFolder: siteFolder),
                  InputFingerprints.scan(siteFolder: siteFolder, config: config) == record.inputs
            else { return (nil, false) }
            return (record, false)
        }
        guard let record = checks[0].record, checks[1].outputIntact else { return nil }
        // A scheduled price change that has come since makes the pages out of date too.
        let schedule = PriceSchedule.read(outFolder: outFolder)
        if let schedule, schedule.instant <= now { return nil }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        return Summary(
            pages: record.pages, files: record.files, written: 0, unchanged: record.files, seconds: seconds, outFolder: outFolder,
            phases: [("check inputs", seconds)], upToDate: true, nextChange: schedule)
    }

    /// What a full build leaves for a later partial one: the model and what every page links against.
    struct Built: Sendable {
        let summary: Summary
        let model: SiteModel
        let rewriter: LinkRewriter
        let fingerprints: InputFingerprints
    }

    /// A full build: reads everything, renders every page.
    func build() throws(BuildError) -> Built {
        let started = DispatchTime.now()
        var phases: [(String, Double)] = []
        var mark = started
        func phase(_ name: String) {
            let now = DispatchTime.now()
            phases.append((name, Double(now.uptimeNanoseconds - mark.uptimeNanoseconds) / 1e9))
            mark = now
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: siteFolder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw BuildError(file: siteFolder, message: "the site folder does not exist", hint: "pass --site with the folder holding site.yaml and content/")
        }
        let config = try SiteConfig.load(siteFolder: siteFolder)
        let fingerprints = InputFingerprints.scan(siteFolder: siteFolder, config: config)
        let catalog = try loadCatalog(config: config)
        let index = CatalogIndex(catalog.catalog)
        try checkCatalog(catalog, index: index, config: config)
        phase("catalog")
        let theme = try Theme.load(siteFolder: siteFolder)
        let assets = try AssetPipeline.build(siteFolder: siteFolder)
        phase("theme and assets")
        let content = try SiteContent.load(siteFolder: siteFolder, index: index)
        phase("content")
        let time = config.time(now)
        let model = try SiteModel(
            siteFolder: siteFolder, config: config, index: index, sourceMap: catalog.sourceMap, content: content, theme: theme,
            assets: assets, time: time)
        let jobs = model.jobs()
        let paths = jobs.map { $0.path(in: model) }

        var generated: [(String, [UInt8])] = [
            ("robots.txt", Array(SiteFiles.robots(config: config).utf8)),
            ("feed.xml", Array(SiteFiles.atomFeed(index: model.index, config: config, images: model.images, prices: model.prices).utf8)),
            ("search-index.json", Array(SiteFiles.searchIndex(model: model).utf8)),
            ("_headers", Array(SiteFiles.headers().utf8)),
        ]
        let sitemapPages = zip(jobs, paths).filter { !$0.0.isPrivate }.map { job, path -> (String, String) in
            if case let .product(sku) = job { return (path, model.index.productsBySKU[sku]?.released ?? "") }
            return (path, "")
        }
        generated.append(("sitemap.xml", Array(SiteFiles.sitemap(pages: sitemapPages, config: config).utf8)))

        var outputs = Set(paths.map { "/" + SitePaths.file(for: $0) })
        for file in assets.files { outputs.insert("/" + file.path) }
        for file in generated { outputs.insert("/" + file.0) }

        phase("model")
        let tree = try OutputTree(target: outFolder)
        let rewriter = LinkRewriter(assetURLs: assets.urls, outputs: outputs, origin: config.baseURL)
        var diagnostics = Self.render(Array(zip(jobs, paths)), model: model, rewriter: rewriter, into: tree)
        phase("render pages")
        for (path, bytes) in assets.files + generated {
            do { try tree.write(path, bytes) } catch { diagnostics += error.diagnostics }
        }
        guard diagnostics.isEmpty else {
            tree.discard()
            throw BuildError(diagnostics)
        }
        phase("other files")
        try tree.commit()
        // Best effort: without the record the next build only does the full work again.
        try? BuildRecord(
            program: BuildRecord.programStamp(), siteFolder: siteFolder, pages: jobs.count,
            files: jobs.count + assets.files.count + generated.count, inputs: fingerprints
        ).write(to: BuildRecord.path(outFolder: outFolder))
        let schedule = index.nextPriceChange(after: time).map { PriceSchedule($0, time: time) }
        try PriceSchedule.write(schedule, outFolder: outFolder, builtAt: time)
        phase("commit")
        let counts = tree.counts
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        let summary = Summary(
            pages: jobs.count, files: jobs.count + assets.files.count + generated.count, written: counts.written,
            unchanged: counts.unchanged, seconds: seconds, outFolder: outFolder, phases: phases, nextChange: schedule)
        return Built(summary: summary, model: model, rewriter: rewriter, fingerprints: fingerprints)
    }

    /// Renders pages on every core, checks their links and stages them; returns every problem found.
    static func render(_ pages: [(PageJob, String)], model: SiteModel, rewriter: LinkRewriter, into tree: OutputTree) -> [Diagnostic] {
        let renderer = PageRenderer(model: model)
        let results = parallelMap(pages) { job, path -> [Diagnostic] in
            let draft = renderer.render(job)
            let (html, problems) = rewriter.process(draft.html, pagePath: path)
            var diagnostics = draft.diagnostics
            for problem in problems {
                diagnostics.append(Self.locate(problem, page: path, draft: draft, theme: model.theme, template: job.template))
            }
            do throws(BuildError) {
                try tree.write(SitePaths.file(for: path), html)
            } catch {
                diagnostics += error.diagnostics
            }
            return diagnostics
        }
        return deduplicated(results.flatMap { $0 })
    }

    private func loadCatalog(config: SiteConfig) throws(BuildError) -> CatalogSource.Loaded {
        let paths = config.catalogSource(siteFolder: siteFolder)
        let loaded: CatalogSource.Loaded
        do {
            loaded = try CatalogSource(textPath: paths.text, databasePath: paths.database).load()
        } catch let error as CatalogTextError {
            throw BuildError(file: config.catalogText, line: error.line, message: error.message, hint: error.hint)
        } catch let error as CatalogStoreError {
            throw BuildError(file: relative(error.path), message: error.message)
        } catch {
            throw BuildError(file: config.catalogText, message: "\(error)")
        }
        return loaded
    }

    /// Refuses a catalog with bad references, prices or files, naming each problem's line.
    private func checkCatalog(_ loaded: CatalogSource.Loaded, index: CatalogIndex, config: SiteConfig) throws(BuildError) {
        let filesFolder = siteFolder + "/" + config.filesFolder
        let available = FileManager.default.fileExists(atPath: filesFolder) ? Set(AssetPipeline.filesUnder(filesFolder)) : nil
        var check = CatalogCheck(
            catalog: loaded.catalog, source: loaded.sourceMap, fallbackLocation: config.catalogDatabase, availableFiles: available,
            index: index)
        let issues = check.run()
        guard issues.isEmpty else {
            throw BuildError(issues.map { issue in
                let parts = issue.location.split(separator: ":")
                let line = parts.count == 2 ? Int(parts[1]) : nil
                return Diagnostic(
                    file: line == nil ? issue.location : config.catalogText, line: line,
                    message: "\(issue.record): '\(issue.field)': \(issue.message)", hint: issue.hint)
            })
        }
    }

    private func relative(_ path: String) -> String {
        path.hasPrefix(siteFolder + "/") ? String(path.dropFirst(siteFolder.count + 1)) : path
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
