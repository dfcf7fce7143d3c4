import Foundation
import SiteCore

/// Builds a site again and again (for `sitegen serve`): keeps the last successful build's context
/// and runs the same steps over it, telling them which input files changed, so each step redoes only
/// what those files feed and the render step renders only the pages whose inputs changed.
public final class SiteSession {
    let build: SiteBuild
    private var context: BuildContext?
    private var cache: BuildCache?
    private var cacheOpened = false
    /// The moment pages show prices for, seconds since 1970 (tests move it).
    var clock: () -> Int = { Int(Date().timeIntervalSince1970) }
    /// What the session should tell the user (e.g. that it keeps a cache of its own); `takeNotes` empties it.
    private var notes: [String] = []

    /// The notes gathered since the last call.
    public func takeNotes() -> [String] {
        defer { notes = [] }
        return notes
    }

    public init(siteFolder: String, outFolder: String? = nil, cache: SiteBuild.CacheLocation = .default) {
        build = SiteBuild(siteFolder: siteFolder, outFolder: outFolder, cache: cache)
    }

    public var outFolder: String { build.outFolder }
    public var siteFolder: String { build.siteFolder }

    /// What a rebuild did: nothing (no input changed), some pages, or everything.
    public enum Outcome: Sendable, Equatable {
        case unchanged
        case pages(count: Int, seconds: Double)
        case full(pages: Int, seconds: Double)
    }

    /// Writes what the build cache learnt during the session (the preview calls it when it stops).
    public func finish() { _ = cache?.flush() }

    /// Rebuilds what changed since the last successful build (everything the first time, or after a failure).
    @discardableResult
    public func rebuild() throws(BuildError) -> Outcome {
        if !cacheOpened, let folder = build.cacheFolder {
            cacheOpened = true
            let (opened, note) = BuildCache.open(folder: folder)
            if let opened {
                cache = opened
            } else {
                // Another build holds the site's cache: the session keeps a private one, so an
                // edit still renders only the pages that show it.
                let own = NSTemporaryDirectory() + "/sitegen-preview-\(getpid())-\(UUID().uuidString)"
                cache = BuildCache.open(folder: own).cache
                notes.append((note ?? "the build cache is in use") + "; this session keeps its own in " + own)
            }
        }
        let started = DispatchTime.now()
        let context: BuildContext
        if let kept = self.context {
            let now = InputFingerprints.scan(siteFolder: build.siteFolder, config: kept.config)
            let changed = now.changes(since: kept.fingerprints)
            // A scheduled price change that has come is a change too: the pages show other prices now.
            let priceChangeCame = kept.schedule.map { $0.instant <= clock() } ?? false
            if changed.isEmpty && !priceChangeCame { return .unchanged }
            kept.fingerprints = now
            kept.changed = changed
            kept.now = clock()
            // The cache's index is written when the session ends (`finish`), not at every edit.
            kept.deferCacheIndex = true
            context = kept
        } else {
            context = BuildContext(siteFolder: build.siteFolder, outFolder: build.outFolder, now: clock(), cache: cache)
        }
        let first = self.context == nil
        let summary: SiteBuild.Summary
        do {
            summary = try build.run(context)
        } catch {
            // The next rebuild starts over from the inputs.
            self.context = nil
            throw error
        }
        self.context = context
        notes += summary.notes
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        return first || summary.rendered == summary.pages ? .full(pages: summary.pages, seconds: seconds) : .pages(count: summary.rendered, seconds: seconds)
    }
}
