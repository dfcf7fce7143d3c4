import Crypto
import Foundation
import ShopCore

/// What delivery needs: the ledger, the link maker, the files folder and the limits.
struct Delivery: Sendable {
    let ledger: EntitlementLedger
    let links: DownloadLinks
    /// Downloads allowed per file per entitlement (range requests not counted).
    let limit: Int
    /// The folder the files the shop sells live in (absolute, resolved).
    let filesFolder: String

    /// The absolute path of a catalog file name, or nil when it would leave the files folder
    /// (`..`, absolute paths, encoded or symlinked escapes).
    func filePath(_ file: String) -> String? {
        guard !file.isEmpty, !file.hasPrefix("/"), !file.contains("\\"), !file.contains("\0") else { return nil }
        let parts = file.split(separator: "/", omittingEmptySubsequences: false)
        guard !parts.contains(where: { $0 == ".." || $0 == "." || $0.isEmpty }) else { return nil }
        let resolved = (URL(fileURLWithPath: filesFolder + "/" + file).resolvingSymlinksInPath().path as NSString).standardizingPath
        guard resolved.hasPrefix(filesFolder + "/") else { return nil }
        return resolved
    }
}
