import Foundation
import ShopCore
import Testing

@Suite struct StripeSignatureTests {
    let signer = StripeSignature(secret: "whsec_abc")
    let payload = Data(#"{"id":"evt_1","type":"checkout.session.completed"}"#.utf8)
    let now = Date(timeIntervalSince1970: 1_700_000_000)

    @Test func signsHMACSHA256OfTimestampDotPayload() {
        // Python: hmac.new(b"whsec_abc", b"1700000000." + payload, hashlib.sha256).hexdigest()
        let expected = "63d2c86cbfcb03f9d010c29a5961218126f62bdee46b827133b72904c1efad6c"
        #expect(signer.signature(for: payload, timestamp: 1_700_000_000) == expected)
        #expect(signer.header(for: payload, timestamp: 1_700_000_000) == "t=1700000000,v1=\(expected)")
    }

    @Test func verifiesItsOwnHeader() throws {
        let header = signer.header(for: payload, timestamp: 1_700_000_000)
        #expect(try signer.verify(header: header, payload: payload, now: now) == 1_700_000_000)
    }

    @Test func refusesEachKindOfBadSignature() {
        let good = signer.header(for: payload, timestamp: 1_700_000_000)
        let cases: [(String?, Data, SignatureFailure)] = [
            (nil, payload, .missingHeader),
            ("", payload, .missingHeader),
            ("garbage", payload, .malformedHeader),
            ("v1=abc", payload, .malformedHeader),
            ("t=1700000000,v0=abc", payload, .noSignatureWithExpectedScheme),
            (good, Data(payload.dropLast()), .noMatchingSignature),
            (StripeSignature(secret: "other").header(for: payload, timestamp: 1_700_000_000), payload, .noMatchingSignature),
            (signer.header(for: payload, timestamp: 1_700_000_000 - 301), payload, .timestampOutsideTolerance),
            (signer.header(for: payload, timestamp: 1_700_000_000 + 301), payload, .timestampOutsideTolerance),
        ]
        for (header, body, failure) in cases {
            #expect(throws: failure) { try signer.verify(header: header, payload: body, now: now) }
        }
    }

    @Test func anyV1MayMatchAndUpperCaseHexIsAccepted() throws {
        let signature = signer.signature(for: payload, timestamp: 1_700_000_000)
        let header = "t=1700000000, v1=deadbeef, v1=\(signature.uppercased()), v0=\(signature)"
        #expect(try signer.verify(header: header, payload: payload, now: now) == 1_700_000_000)
    }
}
