/// A block of addresses in CIDR notation (RFC 4632): `10.0.0.0/8`, `2001:db8::/32`, or one address.
public struct IPRange: Sendable, Hashable, CustomStringConvertible {
    /// The first address of the block (the given address with its host bits cleared).
    public let network: IPAddress
    /// Leading bits that every address of the block shares: 0–32 for IPv4, 0–128 for IPv6.
    public let prefixLength: Int

    /// Parses `ADDRESS[/BITS]`; nil when either part is not valid.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(parts[0]) else { return nil }
        let maximum = address.bytes.count * 8
        var bits = maximum
        if parts.count == 2 {
            guard let given = Int(parts[1]), parts[1].allSatisfy(\.isASCII), (0...maximum).contains(given) else { return nil }
            bits = given
        }
        network = address.masked(to: bits)
        prefixLength = bits
    }

    /// Whether `address` is in the block (an IPv4 address is never in an IPv6 block, nor the reverse).
    public func contains(_ address: IPAddress) -> Bool {
        address.bytes.count == network.bytes.count && address.masked(to: prefixLength) == network
    }

    /// `network/prefixLength`.
    public var description: String { "\(network)/\(prefixLength)" }
}
