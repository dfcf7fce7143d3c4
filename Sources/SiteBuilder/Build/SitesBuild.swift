import Foundation
import ShopCore
import SiteCore

/// Builds every site under one folder in one run (`sitegen build --sites DIR`): what a platform's
/// CI runs for its shops. Each site is built exactly as `sitegen build --site` would build it, into
/// `OUT/NAME` (or its own `public/`), and one site's errors never stop the others. Done once for all
/// of them rather than once a site: the process start, the built-in theme and Markdown extensions,
/// and the cores, which take whole sites at once (a small site's pages are too few to keep them busy).
public struct SitesBuild {
    public let sitesFolder: String
    public let outFolder: String?
    /// `.default` (each site's own `.sitegen-cache`) or `.none`.
    public let cache: SiteBuild.CacheLocation

    /// - Parameters:
    ///   - sitesFolder: a folder whose subfolders holding a `site.yaml` are the sites.
    ///   - outFolder: where each site's output goes, as `OUT/NAME`; each site's `public/` when nil.
    ///   - cache: `.default` keeps each site's build cache in its own folder; `.none` builds without.
    public init(sitesFolder: String, outFolder: String? = nil, cache: SiteBuild.CacheLocation = .default) {
        self.sitesFolder = absolutePath(sitesFolder)
        self.outFolder = outFolder.map(absolutePath)
        self.cache = cache == .none ? .none : .default
    }

    /// One site's build: its folder's name and its summary or errors.
    public struct Outcome: Sendable {
        public let name: String
        public let result: Result<SiteBuild.Summary, BuildError>
    }

    /// The names of the sites under the folder, sorted.
    /// - Throws: `BuildError` naming the folder when it does not exist or holds no site.
    public func sites() throws(BuildError) -> [String] {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: sitesFolder) else {
            throw BuildError(file: sitesFolder, message: "the sites folder does not exist", hint: "pass --sites with a folder of site folders")
        }
        let sites = names.filter { manager.fileExists(atPath: sitesFolder + "/" + $0 + "/site.yaml") }.sorted()
        guard !sites.isEmpty else {
            throw BuildError(file: sitesFolder, message: "no site here: no subfolder holds a site.yaml", hint: "each site is a folder of its own")
        }
        return sites
    }

    /// Builds every site; the outcomes are in the order of `sites()`.
    public func run() throws(BuildError) -> [Outcome] {
        let (sitesFolder, outFolder, cache) = (self.sitesFolder, self.outFolder, self.cache)
        return parallelMap(try sites()) { name in
            let build = SiteBuild(siteFolder: sitesFolder + "/" + name, outFolder: outFolder.map { $0 + "/" + name }, cache: cache)
            do throws(BuildError) {
                return Outcome(name: name, result: .success(try build.run()))
            } catch {
                return Outcome(name: name, result: .failure(error))
            }
        }
    }
}
