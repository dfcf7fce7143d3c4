import Foundation
import ShopCore
import Testing

@Suite struct Base64URLTests {
    @Test func matchesFoundationWithoutPadding() {
        var generator = SystemRandomNumberGenerator()
        for length in 0...40 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let expected = Data(bytes).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
            #expect(Base64URL.encode(bytes) == expected, "length \(length)")
            #expect(Base64URL.decode(expected) == bytes, "length \(length)")
        }
    }

    @Test func refusesOtherCharactersAndImpossibleLengths() {
        #expect(Base64URL.decode("ab+c") == nil)
        #expect(Base64URL.decode("ab/c") == nil)
        #expect(Base64URL.decode("abcde") == nil)
        #expect(Base64URL.decode("YWJj") == Array("abc".utf8))
    }

    @Test func randomTokensAreURLSafeAndDistinct() {
        let tokens = (0..<100).map { _ in RandomToken.make(prefix: "ord_") }
        #expect(Set(tokens).count == 100)
        #expect(tokens.allSatisfy { $0.count == 26 && $0.utf8.allSatisfy { $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "/") } })
    }

    @Test func sortableEncodingKeepsTheOrderOfTheBytes() {
        var generator = SystemRandomNumberGenerator()
        let inputs = (0..<200).map { _ in (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) } }
        let byBytes = inputs.sorted { $0.lexicographicallyPrecedes($1) }.map(Base64URL.encodeSortable)
        #expect(inputs.map(Base64URL.encodeSortable).sorted() == byBytes)
    }

    @Test func orderedIdsSortByTimeAndStayUnique() {
        let ids = (0..<50).map { RandomToken.makeOrdered(prefix: "ord_", milliseconds: 1_795_000_000_000 + UInt64($0 / 5)) }
        let later = RandomToken.makeOrdered(prefix: "ord_", milliseconds: 1_795_000_000_010)
        #expect(Set(ids).count == 50)
        #expect(ids.allSatisfy { $0 < later && $0.count == 26 })
        #expect(zip(ids, ids.dropFirst(5)).allSatisfy { $0 < $1 })
    }
}
