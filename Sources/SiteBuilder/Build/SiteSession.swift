import Foundation
import SiteCore

/// Builds a site again and again (for `sitegen serve`): a change to one page's copy re-renders just
/// that page; anything else rebuilds the whole site.
public final class SiteSession {
    let build: SiteBuild
    private var last: SiteBuild.Built?

    public init(siteFolder: String, outFolder: String? = nil) {
        build = SiteBuild(siteFolder: siteFolder, outFolder: outFolder)
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
        guard let last else { return try full() }
        let started = DispatchTime.now()
        let config = last.model.config
        let now = InputFingerprints.scan(siteFolder: build.siteFolder, config: config)
        let changed = now.changes(since: last.fingerprints)
        if changed.isEmpty { return .unchanged }
        if let pages = try partial(changed, fingerprints: now, from: last, started: started) { return pages }
        return try full()
    }

    private func full() throws(BuildError) -> Outcome {
        let built: SiteBuild.Built
        do {
            built = try build.build()
        } catch {
            last = nil
            throw error
        }
        last = built
        return .full(pages: built.summary.pages, seconds: built.summary.seconds)
    }

    /// Re-renders only the pages whose copy changed, when every change is an edit of an existing copy
    /// file that feeds one page; nil when the change needs a full build.
    /// `started` is when the rebuild began looking at the inputs, so the time reported covers the scan.
    private func partial(
        _ changed: Set<String>, fingerprints: InputFingerprints, from last: SiteBuild.Built, started: DispatchTime
    ) throws(BuildError) -> Outcome? {
        var content = last.model.content
        var jobs: [PageJob] = []
        for path in changed.sorted() {
            guard path.hasPrefix("content/"), last.fingerprints.files[path] != nil, fingerprints.files[path] != nil else { return nil }
            let relative = String(path.dropFirst("content/".count))
            guard let kind = ContentKind.of(relativePath: relative), kind != .page else { return nil }
            guard let (_, copy) = try SiteContent.parse(relative: relative, root: build.siteFolder + "/content") else { return nil }
            let index = last.model.index
            switch kind {
            case .product:
                guard content.products[copy.key]?.path == path, index.productsBySKU[copy.key] != nil else { return nil }
                content.products[copy.key] = copy
                jobs.append(.product(copy.key))
            case .niche:
                guard content.niches[copy.key]?.path == path else { return nil }
                content.niches[copy.key] = copy
                jobs.append(.niche(copy.key, page: 1))
            case .bundle:
                guard content.bundles[copy.key]?.path == path else { return nil }
                content.bundles[copy.key] = copy
                jobs.append(.bundle(copy.key))
            case .magnet:
                guard content.magnets[copy.key]?.path == path else { return nil }
                content.magnets[copy.key] = copy
                jobs.append(.magnet(copy.key))
            case .page:
                return nil
            default:
                guard content.singles[kind]?.path == path, let job = Self.job(for: kind) else { return nil }
                content.singles[kind] = copy
                jobs.append(job)
            }
        }
        let model = last.model.replacing(content: content)
        let tree = try OutputTree(target: build.outFolder)
        let diagnostics = SiteBuild.render(jobs.map { ($0, $0.path(in: model)) }, model: model, rewriter: last.rewriter, into: tree)
        guard diagnostics.isEmpty else {
            tree.discard()
            self.last = nil
            throw BuildError(diagnostics)
        }
        try tree.commit(partial: true)
        self.last = SiteBuild.Built(summary: last.summary, model: model, rewriter: last.rewriter, fingerprints: fingerprints)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        return .pages(count: jobs.count, seconds: seconds)
    }

    private static func job(for kind: ContentKind) -> PageJob? {
        switch kind {
        case .home: return .home
        case .plans: return .plans
        case .cart: return .cart
        case .thankYou: return .thankYou
        case .account: return .account
        case .search: return .search
        case .notFound: return .notFound
        default: return nil
        }
    }
}
