import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import CheckoutKit

/// Which address a request counts against (`ClientAddress`): the peer, or what trusted proxies say.
@Suite struct ClientAddressTests {
    let proxies = [IPRange("10.0.0.0/8")!, IPRange("2001:db8:ffff::/48")!]

    private func key(_ peer: String, _ fields: [(String, String)] = [], header: ForwardedHeader = .xForwardedFor) -> String {
        var headers = HTTPFields()
        for (name, value) in fields { headers.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
        return ClientAddress.key(peer: IPAddress(peer), headers: headers, trusted: proxies, header: header)
    }

    @Test func anUntrustedPeerIsTheClientWhateverItsHeadersSay() {
        #expect(key("203.0.113.7", [("X-Forwarded-For", "198.51.100.1")]) == "203.0.113.7")
        #expect(key("203.0.113.7", [("Forwarded", "for=198.51.100.1")]) == "203.0.113.7")
    }

    @Test func behindATrustedProxyTheRightmostUntrustedAddressIsTheClient() {
        // The client wrote the first entry itself; only what the proxy appended is believed.
        #expect(key("10.0.0.5", [("X-Forwarded-For", "1.2.3.4, 198.51.100.9")]) == "198.51.100.9")
        #expect(key("10.0.0.5", [("X-Forwarded-For", "198.51.100.9, 10.1.1.1")]) == "198.51.100.9", "a second trusted hop is skipped")
        #expect(key("10.0.0.5", [("X-Forwarded-For", "198.51.100.9"), ("X-Forwarded-For", "10.2.2.2")]) == "198.51.100.9")
        #expect(key("10.0.0.5") == "10.0.0.5", "no header: the proxy itself")
    }

    @Test func forwardedIsReadAsRFC7239WritesIt() {
        #expect(key("10.0.0.5", [("Forwarded", #"for=192.0.2.60;proto=http;by=203.0.113.43"#)], header: .forwarded) == "192.0.2.60")
        #expect(key("10.0.0.5", [("Forwarded", #"for="[2001:db8:cafe::17]:4711""#)], header: .forwarded) == "2001:db8:cafe::/64")
        #expect(key("10.0.0.5", [("Forwarded", "for=192.0.2.43:80, for=198.51.100.17")], header: .forwarded) == "198.51.100.17")
    }

    /// A proxy that appends to X-Forwarded-For passes the client's own `Forwarded` through: read, it
    /// would give each request a new bucket. Only the configured header counts.
    @Test func onlyTheHeaderTheProxyWritesIsRead() {
        let spoofed = [("Forwarded", "for=6.6.6.6"), ("X-Forwarded-For", "198.51.100.17")]
        #expect(key("10.0.0.5", spoofed) == "198.51.100.17")
        #expect(key("10.0.0.5", [("Forwarded", "for=6.6.6.6")]) == "10.0.0.5")
        #expect(key("10.0.0.5", [("X-Forwarded-For", "6.6.6.6"), ("Forwarded", "for=198.51.100.17")], header: .forwarded) == "198.51.100.17")
    }

    @Test func anUnparseableEntryStopsTheChainSoNothingLeftOfItIsBelieved() {
        #expect(key("10.0.0.5", [("X-Forwarded-For", "198.51.100.9, unknown")]) == "10.0.0.5")
        #expect(key("10.0.0.5", [("Forwarded", "for=_hidden")], header: .forwarded) == "10.0.0.5")
        #expect(key("10.0.0.5", [("X-Forwarded-For", "1.2.3.4, garbage, 198.51.100.9")]) == "198.51.100.9")
    }

    @Test func anIPv6ClientIsCountedByItsSlash64() {
        #expect(key("2001:db8:1:2:aaaa::1") == key("2001:db8:1:2:bbbb::2"))
        #expect(key("2001:db8:1:2::1") != key("2001:db8:1:3::1"))
        #expect(key("::ffff:192.0.2.1") == "192.0.2.1", "an IPv4 peer on a dual-stack socket")
    }

    @Test(arguments: ["10.0.0.0/8", "192.0.2.1", "::1", "2001:db8::/32", "0.0.0.0/0"])
    func rangesParse(_ text: String) {
        #expect(IPRange(text) != nil)
    }

    @Test(arguments: ["10.0.0.0/33", "10.0.0/8", "example.com", "10.0.0.0/", "::1/129", "10.0.0.0/-1", ""])
    func nonRangesAreRefused(_ text: String) {
        #expect(IPRange(text) == nil)
    }

    @Test func aRangeHoldsItsAddressesOnly() throws {
        let range = try #require(IPRange("192.168.4.0/22"))
        #expect(range.contains(IPAddress("192.168.7.255")!))
        #expect(!range.contains(IPAddress("192.168.8.0")!))
        #expect(!range.contains(IPAddress("::1")!))
        #expect(range.description == "192.168.4.0/22")
    }

    /// Over a real socket (peer 127.0.0.1): trusted, each forwarded client has its own bucket and a
    /// forged first entry does not get a new one; untrusted, the header is ignored and all share one.
    @Test(arguments: [true, false])
    func behindATrustedProxyEachClientHasItsOwnLimit(trusted: Bool) async throws {
        var checkout = try TestCheckout()
        checkout.configuration.loginLimitPerIP = RateLimit(limit: 2, window: 3600)
        checkout.configuration.trustedProxies = trusted ? [IPRange("127.0.0.1")!] : []
        try await checkout.live { client in
            var statuses: [HTTPResponse.Status] = []
            for (forwarded, email) in [
                ("198.51.100.1", "a1@example.com"), ("198.51.100.1", "a2@example.com"),
                // A forged first entry changes nothing: the proxy appended the real address.
                ("6.6.6.6, 198.51.100.1", "a3@example.com"), ("198.51.100.2", "b1@example.com"),
            ] {
                let headers: HTTPFields = [.xForwardedFor: forwarded]
                statuses.append(try await client.json(.post, "/api/account/login", ["email": email], headers: headers).status)
            }
            #expect(statuses == [.accepted, .accepted, .tooManyRequests, trusted ? .accepted : .tooManyRequests])
        }
    }
}
