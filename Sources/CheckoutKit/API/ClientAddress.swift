import Foundation
import HTTPTypes

/// Who a request comes from, as rate limits count it.
///
/// The socket peer, unless the peer is a trusted proxy (`--trusted-proxy`): then the address the
/// proxies recorded, read from the right of `Forwarded` (RFC 7239 §5.2) or, without it,
/// `X-Forwarded-For`, skipping every address that is itself a trusted proxy. The rightmost untrusted
/// address is the one a trusted proxy saw; addresses to its left were written by the client and
/// prove nothing. From any other peer both headers are ignored, so a client cannot choose its key.
///
/// An IPv6 client is counted by its /64 network, the block one subscriber is usually given
/// (RFC 6177), so that changing the last 64 bits does not make a new client.
enum ClientAddress {
    /// The key for `peer`; "unknown" when there is no socket (in-process tests) or no usable address.
    static func key(peer: IPAddress?, headers: HTTPFields, trusted: [IPRange]) -> String {
        guard let peer else { return "unknown" }
        var client = peer
        if trusted.contains(where: { $0.contains(peer) }) {
            let chain = forwardedChain(headers)
            if let found = chain.reversed().first(where: { address in !trusted.contains { $0.contains(address) } }) ?? chain.first {
                client = found
            }
        }
        return client.isIPv4 ? client.description : client.masked(to: 64).description + "/64"
    }

    /// The addresses the proxies recorded, client first; unparseable entries (`unknown`, obfuscated
    /// identifiers, garbage) end the chain where they stand, so nothing left of them is believed.
    static func forwardedChain(_ headers: HTTPFields) -> [IPAddress] {
        let forwarded = headers[values: .forwarded]
        let entries: [Substring]
        if !forwarded.isEmpty {
            // `Forwarded: for=192.0.2.60;proto=http, for="[2001:db8::1]:4711"`
            entries = forwarded.flatMap { $0.split(separator: ",") }.map { element in
                let pairs = element.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
                let value = pairs.first { $0.lowercased().hasPrefix("for=") }.map { $0.dropFirst(4) } ?? ""
                return Substring(value.trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
            }
        } else {
            entries = headers[values: .xForwardedFor].flatMap { $0.split(separator: ",") }.map { Substring($0.trimmingCharacters(in: .whitespaces)) }
        }
        var chain: [IPAddress] = []
        for entry in entries.reversed() {
            guard let address = IPAddress(hostPart(entry)) else { break }
            chain.insert(address, at: 0)
        }
        return chain
    }

    /// The address in `192.0.2.1:4711`, `[2001:db8::1]:4711`, `[2001:db8::1]` or a bare address.
    private static func hostPart(_ entry: Substring) -> Substring {
        if entry.hasPrefix("["), let close = entry.firstIndex(of: "]") { return entry[entry.index(after: entry.startIndex)..<close] }
        if entry.filter({ $0 == ":" }).count == 1, let colon = entry.firstIndex(of: ":") { return entry[..<colon] }
        return entry
    }
}

extension HTTPField.Name {
    static let forwarded = Self("Forwarded")!
    static let xForwardedFor = Self("X-Forwarded-For")!
}
