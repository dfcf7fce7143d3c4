import Foundation
import ShopCore
import SiteCore

/// One named step of a build over a shared `BuildContext`, the way Publish's `PublishingStep` and
/// Hugo's process → assemble → render → postProcess are shaped. `sitegen build --timings` reports
/// each step by its name; `sitegen serve` runs the same steps again over the context it kept, and a
/// step whose inputs did not change keeps what it made.
struct BuildStep: Sendable {
    let name: String
    let run: @Sendable (BuildContext) throws(BuildError) -> Void

    /// Every step of a build, in order.
    static let all: [BuildStep] = [.config, .catalog, .checks, .theme, .assets, .images, .content, .model, .render, .generatedFiles, .commit]
}

extension BuildStep {
    /// Reads `site.yaml` and notes the size and time of every input file.
    static let config = BuildStep(name: "config") { context throws(BuildError) in
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: context.siteFolder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw BuildError(
                file: context.siteFolder, message: "the site folder does not exist", hint: "pass --site with the folder holding site.yaml and content/")
        }
        // site.yaml names the other inputs and sets what every page shows: a change to it is a change to all.
        if context.changed?.contains("site.yaml") == true || context.config == nil { context.changed = nil }
        if context.changed == nil || context.config == nil {
            context.config = try SiteConfig.load(siteFolder: context.siteFolder)
            context.fingerprints = InputFingerprints.scan(siteFolder: context.siteFolder, config: context.config)
        }
        // A context that holds no content yet reads it on the other core while the catalog is read
        // and checked: reading needs no catalog, only joining it does (the content step). At 10,000
        // products the two overlap for about a quarter of a second.
        if context.content == nil, context.contentReading == nil {
            let (siteFolder, (files, sizes), cacheFolder) = (context.siteFolder, contentFiles(context.fingerprints), context.cache?.folder)
            // The memo is read on a third thread while the files are read and hashed.
            let memo = cacheFolder.map { folder in Pending { ContentMemo.read(folder: folder) } }
            context.contentReading = Pending {
                SiteContent.read(siteFolder: siteFolder, files: files, sizes: sizes, memo: { memo?.value ?? ContentMemo() })
            }
        }
        // Into an empty output with the cache (CI's case): its pages are linked into the staging
        // folder on another thread from here to the render step, once its index and the content
        // files are read (begun with them, it slowed the reading, which the content step waits for,
        // and a core idled later while the model was worked out, perf).
        // (An output folder that cannot be prepared is reported by the render step, after the inputs' errors.)
        if context.tree == nil, let cache = context.cache, let tree = try? OutputTree(target: context.outFolder) {
            context.tree = tree
            if tree.isEmpty {
                let pages = cache.pagesOnceRead()
                let reading = context.contentReading
                context.prestaging = Pending(ownThread: true) {
                    _ = reading?.value
                    tree.prestage(pages(), from: cache)
                    return true
                }
            }
        }
    }

    /// The catalog, from its text file or its SQLite database.
    static let catalog = BuildStep(name: "catalog") { context throws(BuildError) in
        let config = context.config!
        if context.catalog != nil, context.unchanged([config.catalogText, config.catalogDatabase]) { return }
        let paths = config.catalogSource(siteFolder: context.siteFolder)
        let loaded: CatalogSource.Loaded
        do {
            loaded = try CatalogSource(textPath: paths.text, databasePath: paths.database)
                .load(parsed: context.cache.map { CatalogSnapshotFile(folder: $0.folder, writes: !context.deferCacheIndex) })
        } catch let error as CatalogTextError {
            throw BuildError(file: config.catalogText, line: error.line, message: error.message, hint: error.hint)
        } catch let error as CatalogStoreError {
            throw BuildError(file: context.relative(error.path), message: error.message)
        } catch {
            throw BuildError(file: config.catalogText, message: "\(error)")
        }
        context.catalog = loaded
        context.index = CatalogIndex(loaded.catalog)
        context.catalogMemo = loaded.textDigest.flatMap { digest in context.cache.map { CatalogMemo.read(folder: $0.folder, digest: digest) } }
        // Everything below reads the catalog.
        context.changed = nil
    }

    /// Refuses a catalog with bad references, prices or files, naming each problem's line.
    static let checks = BuildStep(name: "checks") { context throws(BuildError) in
        let config = context.config!
        if context.unchanged([config.catalogText, config.catalogDatabase, config.filesFolder]) { return }
        let filesFolder = context.siteFolder + "/" + config.filesFolder
        let listing = FileManager.default.fileExists(atPath: filesFolder) ? AssetPipeline.filesUnder(filesFolder) : nil
        // The same catalog text passed with the same files before: the checks would pass again.
        let listingHash = CatalogMemo.listingHash(listing)
        if let memo = context.catalogMemo, memo.checked == listingHash { return }
        let available = listing.map(Set.init)
        var check = CatalogCheck(
            catalog: context.catalog.catalog, source: context.catalog.sourceMap, fallbackLocation: config.catalogDatabase,
            availableFiles: available, index: context.index)
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
        context.catalogMemo?.checked = listingHash
        context.catalogMemo?.isStale = true
    }

    /// The built-in theme with the site's `templates/` over it, compiled.
    static let theme = BuildStep(name: "theme") { context throws(BuildError) in
        if context.theme != nil, context.unchanged(["templates"]) { return }
        // Its errors are reported with the assets' and content's, all at once (the model step stops the build).
        do throws(BuildError) {
            context.theme = try Theme.load(siteFolder: context.siteFolder)
        } catch {
            context.diagnostics += error.diagnostics
        }
    }

    /// `assets/` fingerprinted and `static/` as it is.
    static let assets = BuildStep(name: "assets") { context throws(BuildError) in
        if context.assets != nil, context.unchanged(["assets", "static"]) { return }
        do throws(BuildError) {
            context.assets = try AssetPipeline.build(siteFolder: context.siteFolder)
        } catch {
            context.diagnostics += error.diagnostics
        }
    }

    /// Resized copies of the catalog's raster images and the products' Open Graph cards
    /// (`ImagePipeline`), from the build cache's `images/` when it holds them.
    static let images = BuildStep(name: "images") { context throws(BuildError) in
        // The cache's index, read since the build began; from here on its pages and images are used.
        if let note = context.cache?.settle() { context.notes.append(note) }
        let config = context.config!
        guard let assets = context.assets else { return }
        if context.images != nil, context.unchanged(["assets", config.catalogText, config.catalogDatabase]),
           context.schedule.map({ $0.instant > context.now }) ?? true {
            context.images?.made = 0
            return
        }
        let catalog = context.index.catalog
        var used = Set(catalog.products.map(\.image))
        used.formUnion(catalog.bundles.map(\.image))
        used.formUnion(catalog.leadMagnets.map(\.image))
        used.formIntersection(assets.rasters.keys)
        // A site without raster images never starts libvips (~35 ms).
        guard !used.isEmpty else {
            context.images = ImagePipeline()
            return
        }
        let store: ImageStore
        if let kept = context.imageStore {
            store = kept
        } else if let cache = context.cache {
            let libvips: String
            do throws(Diagnostic) { libvips = try ImageResizer.version() } catch {
                context.diagnostics.append(error)
                return
            }
            store = ImageStore(folder: cache.imagesFolder, temporary: false, identity: "\(BuildCache.identity) libvips \(libvips)\n")
        } else {
            store = .temporary()
        }
        context.imageStore = store
        let prices = PriceDisplay(index: context.index, time: config.time(context.now))
        let cards = catalog.products.filter { assets.rasters[$0.image] != nil }.map { product in
            ImagePipeline.CardRequest(sku: product.sku, slug: product.slug, image: product.image, content: OpenGraphCard.Content(
                shop: config.title, title: product.title, price: prices.label(product), regularPrice: prices.regularLabel(product)))
        }
        do throws(BuildError) {
            context.images = try ImagePipeline.build(used: used, cards: cards, assets: assets, store: store)
        } catch {
            context.diagnostics += error.diagnostics
        }
    }

    /// Every Markdown file under `content/`, checked against the catalog; a file whose size and time
    /// are as when the kept context read it is not parsed again.
    static let content = BuildStep(name: "content") { context throws(BuildError) in
        if context.content != nil, context.unchanged(["content"]) { return }
        // Only existing copy edited (the preview's common case): those files are read again, not all.
        if context.content != nil, let changed = context.changed, !changed.isEmpty,
           changed.allSatisfy({ $0.hasPrefix("content/") && context.fingerprints.files[$0] != nil }) {
            do throws(BuildError) {
                if try context.content.update(changed.map { String($0.dropFirst("content/".count)) }.sorted(), siteFolder: context.siteFolder) {
                    context.contentMemoIsStale = true
                    return
                }
            } catch {
                context.diagnostics += error.diagnostics
                return
            }
        }
        let read: SiteContent.Read
        if let reading = context.contentReading {
            // Read while the catalog was (`config`).
            read = reading.value
            context.contentReading = nil
        } else {
            let previous = context.content
            let fingerprints = context.fingerprints
            let kept = context.changed
            let memo = previous?.memo ?? context.cache.map { ContentMemo.read(folder: $0.folder) } ?? ContentMemo()
            let (files, sizes) = contentFiles(fingerprints)
            read = SiteContent.read(siteFolder: context.siteFolder, files: files, sizes: sizes, memo: { memo }) { relative in
                guard let previous, let kept, !kept.contains("content/" + relative), fingerprints.files["content/" + relative] != nil
                else { return nil }
                return previous.parsed["content/" + relative]
            }
        }
        do throws(BuildError) {
            context.content = try SiteContent.join(read, index: context.index, keepingParses: context.runsAgain)
            if read.memoIsStale { context.contentMemoIsStale = true }
        } catch {
            context.diagnostics += error.diagnostics
        }
    }

    /// The Markdown files under `content/`, relative to it, sorted: the input scan already walked
    /// it (readdir is far cheaper than FileManager's enumerator).
    /// With each its size as the scan saw it, for reading it without another `stat`.
    static func contentFiles(_ fingerprints: InputFingerprints) -> (files: [String], sizes: [Int]) {
        var files: [String] = [], sizes: [Int] = []
        files.reserveCapacity(fingerprints.files.count)
        sizes.reserveCapacity(fingerprints.files.count)
        for (path, stamp) in fingerprints.files where path.hasPrefix("content/") && path.hasSuffix(".md") {
            files.append(String(path.dropFirst("content/".count)))
            sizes.append(stamp.size)
        }
        // Positions sorted, not pairs of name and size: a stable sort of tuples moved each through
        // the runtime's generic tuple witnesses, half of this at 10,000 files (perf).
        let order = files.indices.sorted { files[$0] < files[$1] }
        return (order.map { files[$0] }, order.map { sizes[$0] })
    }
}
