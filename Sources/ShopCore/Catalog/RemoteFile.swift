import Foundation

/// A file the shop sells that lives on another server: a catalog `files:` entry that is an
/// `https://` (or `http://`) URL, as WooCommerce lists files kept on a CDN or another site.
///
/// The checkout checks the entitlement and the download limit exactly as for a local file, then
/// streams the file from its URL; the customer's link names the file by a hash, never the URL.
public enum RemoteFile {
    /// Whether a catalog file entry names a URL (`https://…` or `http://…`) rather than a file in `files/`.
    public static func isRemote(_ file: String) -> Bool {
        file.hasPrefix("https://") || file.hasPrefix("http://")
    }

    /// Why `file` cannot be fetched as written, or nil when it is a usable URL.
    public static func problem(_ file: String) -> String? {
        guard !file.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }) else {
            return "'\(file)' has spaces or control characters; percent-encode them (%20)"
        }
        guard let components = URLComponents(string: file), let host = components.host, !host.isEmpty else {
            return "'\(file)' is not a valid URL"
        }
        if components.user != nil || components.password != nil {
            return "'\(file)' carries a user name or password; use a signed URL or a token in the query"
        }
        return nil
    }

    /// The name the customer's download is saved under: the URL's last path segment, decoded.
    public static func name(_ url: String) -> String {
        let path = URLComponents(string: url)?.path ?? ""
        let last = path.split(separator: "/").last.map(String.init) ?? ""
        let decoded = last.removingPercentEncoding ?? last
        return decoded.isEmpty || decoded.contains("/") ? "download" : decoded
    }
}
