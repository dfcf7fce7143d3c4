import Crypto
import Foundation

/// Why a `Stripe-Signature` header was refused; none of these say which part of the secret matched.
public enum SignatureFailure: Error, Equatable, Sendable, CustomStringConvertible {
    case missingHeader
    case malformedHeader
    case noSignatureWithExpectedScheme
    case timestampOutsideTolerance
    case noMatchingSignature

    public var description: String {
        switch self {
        case .missingHeader: return "no Stripe-Signature header"
        case .malformedHeader: return "the Stripe-Signature header is malformed"
        case .noSignatureWithExpectedScheme: return "no v1 signature in the Stripe-Signature header"
        case .timestampOutsideTolerance: return "the signature's timestamp is outside the tolerance"
        case .noMatchingSignature: return "no signature matches the payload"
        }
    }
}

/// Stripe's webhook signature scheme: `Stripe-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "t.body">`.
///
/// Used to verify incoming events, to sign the test provider's events, and to sign the events this
/// service sends to operators' endpoints.
public struct StripeSignature: Sendable {
    public static let defaultTolerance: TimeInterval = 300
    private let key: SymmetricKey

    public init(secret: String) {
        key = SymmetricKey(data: Data(secret.utf8))
    }

    /// The header value for `payload` signed at `timestamp`.
    public func header(for payload: some DataProtocol, timestamp: Int) -> String {
        "t=\(timestamp),v1=\(signature(for: payload, timestamp: timestamp))"
    }

    /// The hex HMAC-SHA256 of `"{timestamp}.{payload}"`.
    public func signature(for payload: some DataProtocol, timestamp: Int) -> String {
        var authenticator = HMAC<SHA256>(key: key)
        authenticator.update(data: Data("\(timestamp).".utf8))
        authenticator.update(data: payload)
        return Data(authenticator.finalize()).hexString
    }

    /// Checks a `Stripe-Signature` header against the raw payload: the timestamp must be within
    /// `tolerance` of `now` (either side), and any one `v1` signature may match. Comparison is constant-time.
    /// - Returns: the signed timestamp.
    @discardableResult
    public func verify(
        header: String?, payload: some DataProtocol, now: Date, tolerance: TimeInterval = defaultTolerance
    ) throws(SignatureFailure) -> Int {
        guard let header, !header.isEmpty else { throw .missingHeader }
        var timestamp: Int?
        var candidates: [String] = []
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { throw .malformedHeader }
            let name = pair[0].trimmingCharacters(in: .whitespaces)
            let value = pair[1].trimmingCharacters(in: .whitespaces)
            switch name {
            case "t":
                guard timestamp == nil, let parsed = Int(value) else { throw .malformedHeader }
                timestamp = parsed
            case "v1":
                candidates.append(value)
            default:
                continue
            }
        }
        guard let timestamp else { throw .malformedHeader }
        guard !candidates.isEmpty else { throw .noSignatureWithExpectedScheme }
        guard abs(now.timeIntervalSince1970 - TimeInterval(timestamp)) <= tolerance else { throw .timestampOutsideTolerance }
        let expected = Array(signature(for: payload, timestamp: timestamp).utf8)
        var matched = false
        for candidate in candidates {
            // Compare every candidate in full, so timing reveals neither which one matched nor where.
            matched = Self.constantTimeEqual(expected, Array(candidate.lowercased().utf8)) || matched
        }
        guard matched else { throw .noMatchingSignature }
        return timestamp
    }

    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in 0..<lhs.count { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }
}

extension Data {
    /// Lower-case hexadecimal.
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count * 2)
        for byte in self {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
