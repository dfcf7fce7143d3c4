import Foundation
import ShopCore
import SiteCore
import Synchronization

extension BuildStep {
    /// Works out what pages share (cards, prices, menus), the list of pages, the links they may use,
    /// and each page input's hash for the page cache (`PageInputs`).
    static let model = BuildStep(name: "model") { context throws(BuildError) in
        // The theme's, the assets' and the content's errors, all at once.
        guard context.diagnostics.isEmpty else {
            let diagnostics = context.diagnostics
            context.diagnostics = []
            throw BuildError(SiteBuild.deduplicated(diagnostics))
        }
        // An edit of existing copy that feeds no shared part (menus list plain pages), still copy of
        // the same record (kind and key), keeps the model; only the copy and its input hashes change
        // (the preview's common case, at any size of shop).
        if let kept = context.model, let changed = context.changed, !changed.isEmpty,
           changed.allSatisfy({ path in
               path.hasPrefix("content/") && context.content.parsed[path] != nil
                   && ContentKind.of(relativePath: String(path.dropFirst("content/".count))) != .page
                   && kept.content.parsed[path].map { old in old.map { "\($0.0):\($0.1.key)" } }
                       == context.content.parsed[path].map { new in new.map { "\($0.0):\($0.1.key)" } }
           }),
           kept.content.parsed.count == context.content.parsed.count, context.schedule.map({ $0.instant > context.now }) ?? true {
            context.model = kept.replacing(content: context.content)
            let copies = changed.compactMap { path -> (String, PageCopy)? in
                guard let (kind, copy) = context.content.parsed[path] ?? nil else { return nil }
                return (SiteContent.inputKey(kind, copy.key), copy)
            }
            context.inputs = context.inputs?.updating(copies: copies, in: context.content)
            context.modelKept = true
            context.changedKeys = Set(copies.map(\.0))
            return
        }
        context.modelKept = false
        let config = context.config!
        let time = config.time(context.now)
        let model = try SiteModel(
            siteFolder: context.siteFolder, config: config, index: context.index, sourceMap: context.catalog.sourceMap,
            content: context.content, theme: context.theme, assets: context.assets, images: context.images, time: time)
        let pages = parallelMap(model.jobs()) { job in
            let path = job.path(in: model)
            return PlacedPage(job: job, path: path, file: SitePaths.file(for: path))
        }
        let pageFiles = pages.map { "/" + $0.file }
        var outputs = Set(pageFiles)
        context.pageFilesAreDistinct = outputs.count == pageFiles.count
        // A file in static/ at a page's path replaces the page (a hand-made 404.html, say): said, not silent.
        for file in context.assets.files where !file.path.hasPrefix("assets/") && outputs.contains("/" + file.path) {
            context.notes.append("static/\(file.path) replaces the page the build makes at /\(file.path)")
        }
        // The cache must not keep the output's file there as the page (`BuildCache.save`).
        context.replacedPages = Set((context.assets.files.map(\.path) + context.assets.linked.map(\.path)).filter { outputs.contains("/" + $0) })
        // The other files the build writes but the images', without those at a page's path (the page's):
        // worked out from these few, not by taking the pages out of all (10,000 paths hashed again).
        let nonPages = context.assets.files.map { "/" + $0.path } + context.assets.linked.map { "/" + $0.path } + SiteFiles.generatedNames.map { "/" + $0 }
        let imageFiles = (context.images?.files ?? []).map { "/" + $0.path }
        let others = Set(nonPages.filter { !outputs.contains($0) }).subtracting(imageFiles).sorted()
        outputs.formUnion(nonPages)
        outputs.formUnion(imageFiles)
        context.model = model
        context.pages = pages
        context.rewriter = LinkRewriter(assetURLs: context.assets.urls, outputs: outputs, origin: config.baseURL)
        context.schedule = context.index.nextPriceChange(after: time).map { PriceSchedule($0, time: time) }
        // The inputs' hashes serve only the cache: a build without one does not work them out.
        // The image copies' and cards' names change with their images, titles and prices; the pages
        // that show them read them through their product (or bundle, magnet) key, not as files.
        context.inputs = nil
        if context.cache != nil {
            // In the pages' order, then the other files sorted: sorting 10,000 pages' paths was a tenth of `PageInputs`.
            context.inputs = PageInputs(
                model: model, outputs: pageFiles + others, siteYAML: FileManager.default.contents(atPath: context.siteFolder + "/site.yaml") ?? Data(),
                nextPriceChange: context.schedule?.instant, knownRecords: context.catalogMemo?.records ?? [:])
        }
        if let inputs = context.inputs, context.catalogMemo != nil, inputs.recordsChanged {
            context.catalogMemo?.records = inputs.records
            context.catalogMemo?.isStale = true
        }
    }

    /// Renders every page whose inputs changed since the cache saw it, on all cores, checks its links
    /// and stages it; takes the others from the cache.
    static let render = BuildStep(name: "render") { context throws(BuildError) in
        // Made by the config step when it staged the cache's pages early.
        let tree: OutputTree
        if let made = context.tree {
            tree = made
        } else {
            tree = try OutputTree(target: context.outFolder)
            context.tree = tree
        }
        _ = context.prestaging?.value
        context.prestaging = nil
        let inputs = context.inputs
        let cache = context.cache
        // The preview after an edit of copy only: a page that read none of the changed copy is as the
        // kept output has it. One pass, one lock: looking each page up on every core as below took
        // about a tenth of such a rebuild at 10,000 pages (perf).
        if context.modelKept, let cache {
            let touched = cache.keysNaming(context.changedKeys)
            var fresh: [PlacedPage] = []
            var kept: [(file: String, hash: UInt64)] = []
            var keptAt: [Int] = []
            kept.reserveCapacity(context.pages.count)
            keptAt.reserveCapacity(context.pages.count)
            for (position, placed) in context.pages.enumerated() {
                if let page = cache.pages[placed.file], page.job == placed.job.id,
                   !page.reads.contains(where: { touched[Int($0)] }) {
                    kept.append((placed.file, page.hash))
                    keptAt.append(position)
                } else {
                    fresh.append(placed)
                }
            }
            // A page the output no longer holds as recorded is rendered too.
            fresh += tree.keepAsRecorded(kept).map { context.pages[keptAt[$0]] }
            render(fresh, reused: context.pages.count - fresh.count, context: context, tree: tree)
            return
        }
        // Which pages the cache holds as they would be rendered now, looked up on every core.
        let unchanged = inputs.flatMap { inputs in cache?.unchangedKeys(inputs) } ?? []
        let found = parallelMap(context.pages) { placed -> BuildCache.Page? in
            guard let cache, inputs != nil else { return nil }
            return cache.page(placed.file, job: placed.job.id, unchanged: unchanged)
        }
        var cached: [BuildCache.PlacedCopy] = []
        var cachedAt: [Int] = []
        var uncached: [String] = []
        for (position, page) in found.enumerated() {
            guard let page else {
                uncached.append(context.pages[position].file)
                continue
            }
            cached.append(BuildCache.PlacedCopy(file: context.pages[position].file, page: page))
            cachedAt.append(position)
        }
        // Those staged early (into an empty output) are taken at once; the others looked at on every core.
        let missed = tree.claimPrestaged(cached, rendered: uncached, distinct: context.pageFilesAreDistinct)
        let candidates = cached
        let reused = parallelMap(missed) { at in cache.map { tree.reuse(candidates[at].file, page: candidates[at].page, from: $0) } ?? false }
        var taken = [Bool](repeating: false, count: context.pages.count)
        for position in cachedAt { taken[position] = true }
        for (at, reused) in zip(missed, reused) where !reused { taken[cachedAt[at]] = false }
        var fresh: [PlacedPage] = []
        for (placed, taken) in zip(context.pages, taken) where !taken { fresh.append(placed) }
        render(fresh, reused: context.pages.count - fresh.count, context: context, tree: tree)
    }

    /// Renders `fresh` on every core, stages it, and notes it for the cache.
    private static func render(_ fresh: [PlacedPage], reused: Int, context: BuildContext, tree: OutputTree) {
        let results = SiteBuild.render(fresh, model: context.model, rewriter: context.rewriter, into: tree)
        tree.dropUnclaimed()
        context.diagnostics += results.diagnostics
        if results.diagnostics.isEmpty, let cache = context.cache, let inputs = context.inputs {
            for page in results.pages { cache.record(page, inputs: inputs) }
        }
        context.rendered = fresh.count
        context.reused = reused
    }

    /// robots.txt, the Atom feed, the search index, `_headers` and the sitemap, and the assets.
    static let generatedFiles = BuildStep(name: "generated files") { context throws(BuildError) in
        let model = context.model!, config = context.config!
        // They show the catalog and plain pages, not other copy: a kept model gives the same files.
        if context.modelKept, !context.generated.isEmpty || !context.generatedLinked.isEmpty {
            writeGenerated(context)
            return
        }
        context.generated = []
        context.generatedLinked = []
        if let inputs = context.inputs, let files = context.cache?.generatedFiles(for: inputs.generatedFiles, names: SiteFiles.generatedNames) {
            context.generatedLinked = files
            writeGenerated(context)
            return
        }
        var generated: [(String, [UInt8])] = [
            ("robots.txt", Array(SiteFiles.robots(config: config).utf8)),
            ("feed.xml", Array(SiteFiles.atomFeed(index: model.index, config: config, images: model.images, prices: model.prices).utf8)),
            ("search-index.json", Array(SiteFiles.searchIndex(model: model).utf8)),
            ("_headers", Array(SiteFiles.headers().utf8)),
        ]
        let sitemapPages = context.pages.filter { !$0.job.isPrivate }.map { placed -> (String, String) in
            if case let .product(sku) = placed.job { return (placed.path, model.index.productsBySKU[sku]?.released ?? "") }
            return (placed.path, "")
        }
        generated.append(("sitemap.xml", Array(SiteFiles.sitemap(pages: sitemapPages, config: config).utf8)))
        context.generated = generated
        writeGenerated(context)
    }

    private static func writeGenerated(_ context: BuildContext) {
        guard let tree = context.tree else { return }
        for (path, bytes) in context.assets.files + context.generated {
            do throws(BuildError) { try tree.write(path, bytes) } catch { context.diagnostics += error.diagnostics }
        }
        for file in context.assets.linked + (context.images?.files ?? []) + context.generatedLinked {
            do throws(BuildError) { try tree.place(file) } catch { context.diagnostics += error.diagnostics }
        }
    }

    /// Swaps the new output in when nothing failed, and records what the next build starts from.
    static let commit = BuildStep(name: "commit") { context throws(BuildError) in
        guard let tree = context.tree else { return }
        guard context.diagnostics.isEmpty else {
            tree.discard()
            context.cache?.forgetRecorded()
            let diagnostics = context.diagnostics
            context.diagnostics = []
            throw BuildError(SiteBuild.deduplicated(diagnostics))
        }
        // The memos are caches keyed by what they were worked out from, right whether or not the
        // output is swapped in: they are written on the other core meanwhile.
        // The preview leaves them, as it leaves the cache's index, to the next one-shot build (which
        // only parses the files edited meanwhile again): 2 MB a rebuild at 10,000 products.
        let memos = MemoWrites(context: context)
        let writing = DispatchGroup()
        if memos.hasWork, !context.deferCacheIndex { DispatchQueue.global().async(group: writing) { memos.write() } }
        defer {
            writing.wait()
            if !context.deferCacheIndex {
                context.catalogMemo?.isStale = false
                context.contentMemoIsStale = false
            }
        }
        // The pages the cache keeps, worked out on another core meanwhile.
        let pageFiles = context.pages
        let keeping = context.cache.map { _ in Pending { Set(pageFiles.map(\.file)) } }
        // The manifest is written on another core while the rest is recorded (10,000 lines).
        let writeManifest = try tree.commit()
        let manifestFailure = Mutex<BuildError?>(nil)
        DispatchQueue.global().async(group: writing) {
            do throws(BuildError) { try writeManifest() } catch { manifestFailure.withLock { $0 = error } }
        }
        let files = context.pages.count + context.otherFiles
        // Best effort: without the record the next build only does the full work again. The preview
        // leaves it (a stale record only makes the next one-shot build look at everything).
        // Written on the other core while the cache is saved: only once the output is in place.
        if !context.deferCacheIndex {
            let record = BuildRecord(
                program: BuildRecord.programStamp(), siteFolder: context.siteFolder, pages: context.pages.count, files: files,
                inputs: context.fingerprints)
            let path = BuildRecord.path(outFolder: context.outFolder)
            DispatchQueue.global().async(group: writing) { try? record.write(to: path) }
        }
        // Its failure and the manifest's are reported together (one hid the other).
        var failures: [Diagnostic] = []
        do throws(BuildError) {
            try PriceSchedule.write(context.schedule, outFolder: context.outFolder, builtAt: context.model.time)
        } catch {
            failures += error.diagnostics
        }
        if let store = context.imageStore, !store.temporary, let images = context.images { store.sweep(keeping: images.keys) }
        if failures.isEmpty, let cache = context.cache {
            if let note = cache.save(
                outFolder: tree.target, keeping: keeping?.value ?? [], replaced: context.replacedPages,
                writeIndex: !context.deferCacheIndex) {
                context.notes.append(note)
            }
        }
        writing.wait()
        if let failure = manifestFailure.withLock({ $0 }) { failures += failure.diagnostics }
        if !failures.isEmpty {
            // A failed build leaves no record: with one, the next build found nothing changed and
            // never wrote what failed here (the next price change, say).
            unlink(BuildRecord.path(outFolder: context.outFolder))
            throw BuildError(failures)
        }
    }
}

/// The build cache's memos and generated files, as the commit step writes them beside the rest
/// (only values: nothing here keeps the cache itself alive).
private struct MemoWrites: Sendable {
    let folder: String?
    let catalog: CatalogMemo?
    let content: ContentMemo?
    let generated: (files: [(String, [UInt8])], inputs: UInt64)?

    init(context: BuildContext) {
        folder = context.cache?.folder
        catalog = context.catalogMemo?.isStale == true ? context.catalogMemo : nil
        content = context.contentMemoIsStale ? context.content.memo : nil
        generated = context.inputs.map { (context.generated, $0.generatedFiles) }
    }

    var hasWork: Bool { folder != nil && (catalog != nil || content != nil || generated != nil) }

    func write() {
        guard let folder else { return }
        catalog?.write(folder: folder)
        var content = content
        content?.write(folder: folder)
        if let generated { BuildCache.keepGenerated(generated.files, for: generated.inputs, in: folder) }
    }
}
