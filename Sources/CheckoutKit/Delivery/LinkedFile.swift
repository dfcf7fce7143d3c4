import Crypto
import Foundation
import ShopCore

/// How a download link names a catalog file: a local file by its name in the files folder, a remote
/// one by `remote-` and 16 hex digits of its URL's SHA-256, so a link never reveals (or can be turned
/// into) the origin URL.
enum LinkedFile {
    static func id(_ file: String) -> String {
        guard RemoteFile.isRemote(file) else { return file }
        return "remote-" + SHA256.hash(data: Data(file.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    /// The catalog file a link's id names, among the files the entitlement grants.
    static func resolve(_ id: String, among files: [String]) -> String? {
        files.first { self.id($0) == id }
    }
}
