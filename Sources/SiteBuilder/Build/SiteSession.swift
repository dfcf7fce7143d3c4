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

    /// Rebuilds what changed since the last successful build (everything the first time, or after a failure).
    @discardableResult
    public func rebuild() throws(BuildError) -> Outcome {
        if !cacheOpened, let folder = build.cacheFolder {
            cacheOpened = true
            cache = BuildCache.open(folder: folder).cache
        }
        let started = DispatchTime.now()
        let context: BuildContext
        if let kept = self.context {
            let now = InputFingerprints.scan(siteFolder: build.siteFolder, config: kept.config)
            let changed = now.changes(since: kept.fingerprints)
            if changed.isEmpty { return .unchanged }
            kept.fingerprints = now
            kept.changed = changed
            kept.now = Int(Date().timeIntervalSince1970)
            context = kept
        } else {
            context = BuildContext(siteFolder: build.siteFolder, outFolder: build.outFolder, now: Int(Date().timeIntervalSince1970), cache: cache)
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
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        return first || summary.rendered == summary.pages ? .full(pages: summary.pages, seconds: seconds) : .pages(count: summary.rendered, seconds: seconds)
    }
}
