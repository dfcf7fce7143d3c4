@testable import CheckoutKit
import Crypto
import NIOCore
import NIOEmbedded
import Foundation
import ShopCore
import Testing
import TestSupport

/// The checkout's parsers of what clients and peers send, over thousands of generated inputs
/// (seeded, so any failure reproduces). None may trap; each answers or refuses with its own error.
/// Inputs that once crashed the service come first and stay as regression cases.
@Suite struct RequestParserFuzzTests {
    /// `=` alone killed the process (issue 18: the old decoder indexed an empty split).
    static let crashedBefore = ["=", "=&=", "&=", "=x", "a=&=b"]

    @Test func formBodiesDecodeOrAreRefusedAs400Or422() {
        let inputs = FuzzInputs(
            seeds: Self.crashedBefore + FuzzInputs.regressions("form") + ["sku=KB-NOAH-COLORING&quantity=2&return_to=%2Fproducts%2Fnoah%2F", "email=a%40b.co&magnet=x",
                                         "quantity=2647282229755897512250572800&sku=A", "sku[]=a&sku[]=b", "sku[0]=a", "a[b][c]=d"],
            dictionary: ["=", "&", "%", "+", "[", "]", "[]", "[0]", "sku", "quantity", "return_to", "%E2%82", "%FF"], count: 5_000)
        for text in inputs.strings {
            do {
                let form = try RequestBody.form(FormCartController.AddForm.self, from: text)
                if let quantity = form.quantity?.value { #expect(text.contains(String(quantity.magnitude))) }
            } catch let error as CheckoutError {
                #expect([400, 422].contains(error.status.code), "\(text.debugDescription): \(error)")
            } catch {
                Issue.record("\(text.debugDescription) threw \(error), not a CheckoutError")
            }
        }
        for text in Self.crashedBefore {
            #expect(throws: CheckoutError.malformedBody("the form has a field without a name")) {
                try RequestBody.form(FormCartController.AddForm.self, from: text)
            }
        }
    }

    @Test func jsonBodiesDecodeOrAreRefusedAs400Or422() {
        let inputs = FuzzInputs(
            seeds: FuzzInputs.regressions("json") + [#"{"sku":"KB-NOAH-COLORING","quantity":2}"#, #"{"lines":[{"sku":"A","quantity":1e400}]}"#, "[]", "null", "1",
                    #"{"quantity":2647282229755897512250572800}"#, #"{"sku":null}"#, String(repeating: "[", count: 10_000)],
            dictionary: ["{", "}", "[", "]", ":", ",", "\"", "\"sku\"", "\"quantity\"", "\"lines\"", "null", "true", "-", "e", "."],
            count: 5_000, seed: 2)
        for bytes in inputs {
            for decode in [
                { _ = try RequestBody.json(CartController.NewLine.self, from: Data(bytes)) },
                { _ = try RequestBody.json(CartController.NewCart.self, from: Data(bytes)) },
            ] as [() throws -> Void] {
                do {
                    try decode()
                } catch let error as CheckoutError {
                    #expect([400, 422].contains(error.status.code))
                    #expect(error.message.count < 400, "messages stay short whatever was sent")
                } catch {
                    Issue.record("\(String(decoding: bytes, as: UTF8.self).prefix(80).debugDescription) threw \(error)")
                }
            }
        }
    }

    @Test func rangeHeadersGiveARangeInsideTheFileOrNone() {
        let inputs = FuzzInputs(
            seeds: FuzzInputs.regressions("range") + ["bytes=0-99", "bytes=-5", "bytes=5-", "bytes=0-99999999999999999999999", "bytes=-99999999999999999999",
                    "bytes=9223372036854775807-", "bytes=1-0", "bytes=0-0,5-6", "items=0-1", "bytes=--5", "bytes=+1-2"],
            dictionary: ["bytes=", "-", ",", "0", "9223372036854775808"], count: 5_000, seed: 3)
        var random = SplitMix64(seed: 30)
        for header in inputs.strings {
            let size = [0, 1, 100, Int.max][random.next(below: 4)]
            guard case let .part(range) = ByteRange.parse(header, size: size) else { continue }
            #expect(range.lowerBound >= 0 && range.upperBound < size, "\(header) on \(size) bytes gave \(range)")
        }
        // RFC 9110 §14.1.2 and §14.2, case by case.
        let cases: [(String?, ByteRange)] = [
            (nil, .whole), ("bytes=0-99999999999999999999999", .part(0...99)), ("bytes=-99999999999999999999", .part(0...99)),
            ("bytes=-5", .part(95...99)), ("bytes=90-", .part(90...99)), ("bytes=100-", .unsatisfiable), ("bytes=-0", .unsatisfiable),
            ("bytes=10-5", .whole), ("items=0-5", .whole), ("bytes=0-1,5-6", .whole), ("bytes=+1-2", .whole), ("bytes=x", .whole),
        ]
        for (header, expected) in cases {
            #expect(ByteRange.parse(header, size: 100) == expected, "\(header ?? "no Range")")
        }
    }

    @Test func downloadTokensVerifyOnlyAsSigned() throws {
        let key = SymmetricKey(size: .bits256)
        let link = DownloadLink(
            email: "a@example.com", entitlement: Entitlement(item: "product:X", cause: "order:o:l"), file: "x.pdf", expires: 1_000)
        let token = link.token(secret: key)
        let inputs = FuzzInputs(seeds: FuzzInputs.regressions("download-token") + [token, ".", "..", "a.b", String(token.prefix(10))], dictionary: [".", "=", "-", "_"], count: 5_000, seed: 4)
        for candidate in inputs.strings {
            do {
                let verified = try DownloadLink.verify(candidate, secret: key, now: 0)
                #expect(candidate == token && verified == link, "a changed token verified: \(candidate)")
            } catch {
                #expect([.malformed, .badSignature, .expired].contains(error))
            }
        }
    }

    @Test func smtpURLsParseOrNameThePartAtFaultWithoutThePassword() {
        let inputs = FuzzInputs(
            seeds: FuzzInputs.regressions("smtp-url") + ["smtp://user:s3cret-pass@mail.example.com:587", "smtps://[::1]:465", "smtp+starttls://mail.example.com", "smtp://",
                    "smtp://u:p@h:99999999999999999999", "smtp://@", "smtp://[", "smtp://u:%ZZ@h"],
            dictionary: ["://", ":", "@", "[", "]", "/", "%", "s3cret-pass", "65536", "smtp", "smtps"], count: 5_000, seed: 5)
        for url in inputs.strings {
            do {
                let configuration = try SMTPConfiguration.parse(url)
                #expect((1...65_535).contains(configuration.port) && !configuration.host.isEmpty)
            } catch {
                // The password is what stands between the first `:` after `://` and the last `@`.
                guard let schemeEnd = url.range(of: "://"), let at = url.lastIndex(of: "@"), schemeEnd.upperBound < at,
                      let colon = url[schemeEnd.upperBound..<at].firstIndex(of: ":")
                else { continue }
                let password = String(url[url.index(after: colon)..<at])
                guard password.count >= 4, url.components(separatedBy: password).count == 2 else { continue }
                #expect(!error.description.contains(password), "the password leaked: \(error)")
            }
        }
    }

    @Test func stripeEventsDecodeOrAreRefused() {
        let event = #"{"id":"evt_1","type":"customer.subscription.updated","created":1700000000,"data":{"object":{"id":"sub_1","status":"active","current_period_end":1700000000,"lines":{"data":[{"period":{"end":1}}]}}}}"#
        let inputs = FuzzInputs(
            seeds: FuzzInputs.regressions("stripe-event") + [event, event.replacingOccurrences(of: "1700000000", with: "9223372036854775807"),
                    event.replacingOccurrences(of: "1700000000", with: "-9223372036854775808")],
            dictionary: ["{", "}", "\"", ":", ",", "null", "9223372036854775807", "-1", "1e30"], count: 3_000, seed: 6)
        for bytes in inputs {
            guard let decoded = try? StripeEvent.decode(Data(bytes)) else { continue }
            #expect(StripeEvent.validTimes.contains(decoded.created))
            #expect(decoded.data.object.currentPeriodEnd.map(StripeEvent.validTimes.contains) ?? true)
            _ = isoTime(decoded.created)
        }
    }

    @Test func emailAddressesNormalizeOrAreRefused() {
        let inputs = FuzzInputs(
            seeds: FuzzInputs.regressions("email") + ["a@b.co", " A@Example.COM ", "a@b", "@b.co", "a@.b", "a@b.", "a b@c.d", "a@@b.c", "a\u{0}@b.co", "a@\u{301}b.co", "a@b.\u{301}co"],
            dictionary: ["@", ".", " ", "\r\n", "\u{0}", "\u{301}", "\u{85}", "\u{A0}"], count: 5_000, seed: 8)
        for raw in inputs.strings {
            guard let email = EmailAddress.normalized(raw) else { continue }
            let scalars = email.unicodeScalars
            #expect(scalars.count <= EmailAddress.maxLength && !scalars.contains(where: \.properties.isWhitespace))
            #expect(scalars.filter { $0 == "@" }.count == 1)
            #expect(!email.unicodeScalars.contains { $0.properties.generalCategory == .control }, "no control characters reach an email header")
        }
    }

    /// The `Email` pattern in `/openapi.yaml` and the service accept exactly the same addresses, read
    /// as Python's `re` reads it (schemathesis, Python clients) and as ECMA-262 does (JSON Schema's own
    /// dialect, and JavaScript clients: node with the `u` flag, as ajv uses).
    @Test func theDocumentsEmailPatternIsWhatTheServiceAccepts() async throws {
        let document = try String(contentsOfFile: repositoryRoot + "/Sources/CheckoutKit/Resources/openapi.yaml", encoding: .utf8)
        let patternLine = try #require(document.split(separator: "\n").first { $0.contains("pattern: '^[^@") })
        let pattern = String(patternLine.split(separator: "'")[1])
        let inputs = FuzzInputs(
            seeds: ["a@b.co", "a@b", "a@b..co", "a b@c.d", "a@@b.c", "a\u{0}@b.co", "a@\u{301}b.co", "é@ü.de", "a@b.c\u{85}", "a<b>@c.de"],
            dictionary: ["@", ".", " ", "<", ">", "\u{0}", "\u{301}", "\u{85}", "\u{A0}", "\u{AD}", "\u{2028}", "\u{1C}", "\u{180E}", "\u{200B}",
                         "\u{202E}", "\u{2066}", "\u{FEFF}", "\u{FFFD}", "\u{3000}", "😀"], count: 6_000, seed: 12)
        // Leading and trailing white space is trimmed by the service and refused by the pattern.
        let addresses = inputs.strings.filter { $0 == $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("emails-\(UUID().uuidString).json")
        try JSONSerialization.data(withJSONObject: addresses).write(to: input)
        let python = "import json, re, sys; p = re.compile(sys.argv[1]); print(json.dumps([bool(p.search(a)) and len(a) <= 254 for a in json.load(open(sys.argv[2]))]))"
        let ecma = "const p = new RegExp(process.argv[1], 'u'); const a = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8')); console.log(JSON.stringify(a.map(s => p.test(s) && [...s].length <= 254)))"
        for (name, arguments) in [("python", ["python3", "-c", python]), ("ecma", ["node", "-e", ecma])] {
            let (status, output) = try await runProgram("/usr/bin/env", arguments + [pattern, input.path])
            #expect(status == 0, "\(name): \(output)")
            let matches = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [Bool], "\(name): \(output)")
            #expect(matches.count == addresses.count)
            for (address, matched) in zip(addresses, matches) where (EmailAddress.normalized(address) != nil) != matched {
                Issue.record("\(name): \(address.debugDescription): the service says \(!matched), the pattern \(matched)")
            }
        }
    }

    @Test func extremeTimesFormatWithoutTrapping() {
        for seconds in [Int.min, Int.min + 1, -1, 0, 1, 253_402_300_799, 253_402_300_800, Int.max] {
            #expect(isoTime(seconds).count == 20, "\(seconds)")
        }
        #expect(isoTime(Int.max) == "9999-12-31T23:59:59Z")
        #expect(isoTime(Int.min) == "0001-01-01T00:00:00Z")
    }
}

/// The SMTP reply reader over what a broken or hostile relay could send, cut into random reads.
@Suite struct SMTPReplyFuzzTests {
    @Test func replyBytesBecomeRepliesOrACodecErrorNeverATrap() throws {
        let inputs = FuzzInputs(
            seeds: ["220 mail.example.com ESMTP\r\n", "250-mail.example.com\r\n250-SIZE 1000\r\n250 AUTH PLAIN\r\n", "354 go\n",
                    "999 x\r\n", "25\r\n", "250\r\n", "250-\r\n251 x\r\n", "\r\n", String(repeating: "250-x\r\n", count: 600) + "250 x\r\n"],
            dictionary: ["\r\n", "\n", "\r", "-", " ", "250", "220", "000", "599", "600"], count: 3_000, seed: 40)
        var random = SplitMix64(seed: 41)
        for bytes in inputs {
            let channel = EmbeddedChannel(handler: SMTPClientCodec())
            var replies: [SMTPReply] = []
            var rest = bytes[...]
            do {
                while !rest.isEmpty, channel.isActive {
                    let chunk = rest.prefix(1 + random.next(below: 40))
                    rest = rest.dropFirst(chunk.count)
                    try channel.writeInbound(ByteBuffer(bytes: chunk))
                    while let reply = try channel.readInbound(as: SMTPReply.self) { replies.append(reply) }
                }
            } catch {
                #expect(error is SMTPCodecError, "\(error)")
            }
            #expect(replies.allSatisfy { (100..<600).contains($0.code) && $0.lines.count <= SMTPClientCodec.maxReplyLines })
            _ = try? channel.finish()
        }
    }
}
