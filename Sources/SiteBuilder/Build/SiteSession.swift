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
    /// Which inputs were touched, when the file system tells (`InputWatcher`); nil: every look scans them all.
    private var watcher: InputWatcher?
    /// The config the watcher was started for (it watches the folders that config names).
    private var watchedConfig: SiteConfig?
    /// False for `sitegen serve --poll` (file systems that send no events: network and some container mounts).
    private let watches: Bool
    /// Wall time of each step of the last rebuild that ran, in order (`sitegen serve --timings`).
    public private(set) var timings: [(name: String, seconds: Double)] = []
    /// The inputs as the last failed build saw them, when it failed, and how long to wait before
    /// trying again though none changed (a failure may come from elsewhere: a locked database, a
    /// full disk): 1 s, doubling to 30 s.
    private var failed: (config: SiteConfig, fingerprints: InputFingerprints, at: DispatchTime, wait: Double)?
    /// What the session should tell the user (e.g. that it keeps a cache of its own); `takeNotes` empties it.
    private var notes: [String] = []

    /// The notes gathered since the last call.
    public func takeNotes() -> [String] {
        defer { notes = [] }
        return notes
    }

    /// - Parameter watches: learn which inputs changed from the file system's events (inotify) rather
    ///   than by looking at every input file at each `rebuild()`; it falls back to looking when the
    ///   events cannot be had.
    public init(siteFolder: String, outFolder: String? = nil, cache: SiteBuild.CacheLocation = .default, watches: Bool = true) {
        build = SiteBuild(siteFolder: siteFolder, outFolder: outFolder, cache: cache)
        self.watches = watches
    }

    /// True while the file system's events tell the session what changed (see `init`).
    public var isWatching: Bool { watcher != nil }

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
        // Not before the site folder is there: opening the cache would make it (as `SiteBuild` does).
        if !cacheOpened, let folder = build.cacheFolder, FileManager.default.fileExists(atPath: build.siteFolder) {
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
        if let kept = self.context {
            guard let changed = changes(since: kept.fingerprints, config: kept.config, into: &kept.fingerprints) else {
                // A scheduled price change that has come is a change too: the pages show other prices now.
                guard kept.schedule.map({ $0.instant <= clock() }) ?? false else { return .unchanged }
                return try rebuild(kept, changed: [], started: started)
            }
            // site.yaml may name other folders and files to watch.
            if changed.contains("site.yaml"), let config = try? SiteConfig.load(siteFolder: build.siteFolder) { watch(config) }
            return try rebuild(kept, changed: changed, started: started)
        }
        var wait = 1.0
        if let failed {
            var fingerprints = failed.fingerprints
            let changed = changes(since: failed.fingerprints, config: failed.config, into: &fingerprints) != nil
            let waited = Double(started.uptimeNanoseconds - failed.at.uptimeNanoseconds) / 1e9
            // Nothing changed since the build failed: it would most likely fail the same way.
            if !changed {
                guard waited >= failed.wait else { return .unchanged }
                wait = min(failed.wait * 2, 30)
            }
            self.failed = nil
        }
        // Started before the first build looks at the inputs, so no edit falls between the two.
        if let config = try? SiteConfig.load(siteFolder: build.siteFolder) { watch(config) }
        let context = BuildContext(siteFolder: build.siteFolder, outFolder: build.outFolder, now: clock(), cache: cache)
        context.runsAgain = true
        let summary: SiteBuild.Summary
        do {
            summary = try build.run(context)
        } catch {
            // The next rebuild starts over from the inputs, once one changed (or after a wait).
            if let config = context.config { failed = (config, context.fingerprints, DispatchTime.now(), wait) }
            throw error
        }
        self.context = context
        timings = summary.phases
        notes += summary.notes
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        return .full(pages: summary.pages, seconds: seconds)
    }

    /// Starts watching the inputs `config` names, unless the watcher already does (or the session polls).
    private func watch(_ config: SiteConfig) {
        guard watches, config != watchedConfig else { return }
        watchedConfig = config
        watcher = InputWatcher.start(siteFolder: build.siteFolder, config: config)
    }

    /// Runs the steps again over the kept context for the inputs that changed.
    private func rebuild(_ kept: BuildContext, changed: Set<String>, started: DispatchTime) throws(BuildError) -> Outcome {
        kept.changed = changed
        kept.now = clock()
        // The cache's index is written when the session ends (`finish`), not at every edit.
        kept.deferCacheIndex = true
        let summary: SiteBuild.Summary
        do {
            summary = try build.run(kept)
        } catch {
            self.context = nil
            failed = (kept.config, kept.fingerprints, DispatchTime.now(), 1)
            throw error
        }
        timings = summary.phases
        notes += summary.notes
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        return summary.rendered == summary.pages ? .full(pages: summary.pages, seconds: seconds) : .pages(count: summary.rendered, seconds: seconds)
    }

    /// The inputs changed since `fingerprints` (updated to now), or nil when none did: from the
    /// watcher's events when it has them, else by scanning every input.
    private func changes(since fingerprints: InputFingerprints, config: SiteConfig, into updated: inout InputFingerprints) -> Set<String>? {
        if let watcher, watcher.isBroken {
            // It can no longer tell what changed (a symbolic link appeared, say): the session polls.
            self.watcher = nil
        }
        if let watcher, let touched = watcher.drain() {
            guard !touched.isEmpty else { return nil }
            let (now, changed) = fingerprints.restamping(touched, siteFolder: build.siteFolder, config: config)
            updated = now
            return changed.isEmpty ? nil : changed
        }
        let now = InputFingerprints.scan(siteFolder: build.siteFolder, config: config)
        let changed = now.changes(since: fingerprints)
        updated = now
        return changed.isEmpty ? nil : changed
    }
}
