import Foundation
import HTTPTypes

/// Who a request comes from, as rate limits count it.
///
/// The socket peer, unless the peer is a trusted proxy (`--trusted-proxy`): then the address the
/// proxies recorded in the one header they write (`--forwarded-header`: `X-Forwarded-For`, or
/// `Forwarded` of RFC 7239 §5.2), read from the right, skipping every address that is itself a
/// trusted proxy. The rightmost untrusted address is the one a trusted proxy saw; addresses to its
/// left were written by the client and prove nothing. The other header is never read: a proxy that
/// appends to `X-Forwarded-For` passes a client's own `Forwarded` through untouched. From any other
/// peer neither is read, so a client cannot choose its key.
///
/// An IPv6 client is counted by its /64 network, the block one subscriber is usually given
/// (RFC 6177), so that changing the last 64 bits does not make a new client.
enum ClientAddress {
    /// The key for `peer`; "unknown" when there is no socket (in-process tests) or no usable address.
    static func key(peer: IPAddress?, headers: HTTPFields, trusted: [IPRange], header: ForwardedHeader = .xForwardedFor) -> String {
        guard let peer else { return "unknown" }
        var client = peer
        if trusted.contains(where: { $0.contains(peer) }) {
            let chain = forwardedChain(headers, header: header)
            if let found = chain.reversed().first(where: { address in !trusted.contains { $0.contains(address) } }) ?? chain.first {
                client = found
            }
        }
        return client.isIPv4 ? client.description : client.masked(to: 64).description + "/64"
    }

    /// The addresses the proxies recorded, client first; unparseable entries (`unknown`, obfuscated
    /// identifiers, garbage) end the chain where they stand, so nothing left of them is believed.
    static func forwardedChain(_ headers: HTTPFields, header: ForwardedHeader) -> [IPAddress] {
        let entries: [Substring]
        switch header {
        case .forwarded:
            // `Forwarded: for=192.0.2.60;proto=http, for="[2001:db8::1]:4711"`
            entries = headers[values: .forwarded].flatMap { $0.split(separator: ",") }.map { element in
                let pairs = element.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
                let value = pairs.first { $0.lowercased().hasPrefix("for=") }.map { $0.dropFirst(4) } ?? ""
                return Substring(value.trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
            }
        case .xForwardedFor:
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

/// The header a trusted proxy writes the client's address into.
public enum ForwardedHeader: String, Sendable, CaseIterable {
    /// `X-Forwarded-For: client, proxy1` (nginx, HAProxy, AWS and Google load balancers).
    case xForwardedFor = "x-forwarded-for"
    /// `Forwarded: for=client` (RFC 7239).
    case forwarded
}

extension HTTPField.Name {
    static let forwarded = Self("Forwarded")!
    static let xForwardedFor = Self("X-Forwarded-For")!
}
