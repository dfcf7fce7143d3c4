import Crypto
import Foundation
import ShopCore

/// A signed, expiring download link: `/downloads/{payload}.{signature}`, where the payload names the
/// customer, the entitlement (item and cause), the file and the expiry, and the signature is an
/// HMAC-SHA256 over the link's path, expiry included.
struct DownloadLink: Sendable, Equatable {
    let email: String
    let entitlement: Entitlement
    let file: String
    /// Unix time after which the link no longer works.
    let expires: Int

    /// Why a link was refused.
    enum Problem: Error, Equatable {
        case malformed
        case badSignature
        case expired
    }

    /// The token that follows `/downloads/`.
    func token(secret: SymmetricKey) -> String {
        let payload = Base64URL.encode(Data(
            ["1", email, entitlement.item, entitlement.cause, file, String(expires)].joined(separator: "\n").utf8))
        return payload + "." + Self.signature(payload, secret: secret)
    }

    /// Reads and checks a token: the signature first, then the expiry.
    static func verify(_ token: String, secret: SymmetricKey, now: Int) throws(Problem) -> DownloadLink {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payload = Base64URL.decode(String(parts[0])) else { throw .malformed }
        let expected = Array(signature(String(parts[0]), secret: secret).utf8)
        let given = Array(parts[1].utf8)
        guard expected.count == given.count, zip(expected, given).reduce(UInt8(0), { $0 | ($1.0 ^ $1.1) }) == 0 else {
            throw .badSignature
        }
        let fields = String(decoding: payload, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 6, fields[0] == "1", let expires = Int(fields[5]) else { throw .malformed }
        let link = DownloadLink(
            email: fields[1], entitlement: Entitlement(item: fields[2], cause: fields[3]), file: fields[4], expires: expires)
        guard now <= expires else { throw .expired }
        return link
    }

    private static func signature(_ payload: String, secret: SymmetricKey) -> String {
        Base64URL.encode(Data(HMAC<SHA256>.authenticationCode(for: Data(("/downloads/" + payload).utf8), using: secret)))
    }
}

/// Makes download links for entitlements.
struct DownloadLinks: Sendable {
    let secret: SymmetricKey
    let publicURL: @Sendable () -> String
    /// How long a link works, in seconds (default 24 h).
    let lifetime: Int
    let catalog: @Sendable () -> CatalogIndex

    /// A link per file of `entitlement`, valid from `now` for `lifetime`.
    func links(email: String, entitlement: Entitlement, now: Int) -> [(file: String, name: String, url: String)] {
        EntitlementRules.files(of: entitlement.item, catalog: catalog()).map { file in
            let link = DownloadLink(email: email, entitlement: entitlement, file: LinkedFile.id(file), expires: now + lifetime)
            let name = RemoteFile.isRemote(file) ? RemoteFile.name(file) : (file as NSString).lastPathComponent
            return (file, name, publicURL() + "/downloads/" + link.token(secret: secret))
        }
    }
}
