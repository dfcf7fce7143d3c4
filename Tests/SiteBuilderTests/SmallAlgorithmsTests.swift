@testable import SiteBuilder
import Testing
import TestSupport

/// The home page's lists take the first eight products in an order without sorting all of them:
/// the result must be what sorting all and taking eight gives, ties included.
@Suite struct FirstByOrderTests {
    @Test(arguments: [0, 1, 7, 8, 9, 50, 500])
    func theFirstNAreThoseOfTheSortedWhole(count: Int) {
        var generator = SplitMix64(seed: UInt64(count) &+ 0x5EED)
        for _ in 0..<50 {
            // Few distinct keys, so many ties: each element's position tells them apart afterwards.
            let items = (0..<count).map { position in (key: Int.random(in: 0..<5, using: &generator), position: position) }
            for take in [0, 1, 3, 8, count] {
                let expected = items.sorted { $0.key < $1.key }.prefix(take).map(\.position)
                #expect(items.first(take) { $0.key < $1.key }.map(\.position) == Array(expected))
            }
        }
    }
}

/// The cache's index, the manifest and the build record write their numbers digit by digit: the same
/// text `String(_:radix:)` gives, which `TabSeparatedLines` reads back.
@Suite struct IndexDigitsTests {
    @Test func digitsAreWhatStringGives() {
        var generator = SplitMix64(seed: 0xD161)
        let edges: [Int64] = [0, 1, -1, 9, 10, 15, 16, .max, .min, .min + 1, 1_764_000_000_123_456_789]
        for value in edges + (0..<2_000).map({ _ in Int64.random(in: .min ... .max, using: &generator) }) {
            var decimal: [UInt8] = []
            TabSeparatedLines.appendInteger(value, to: &decimal)
            #expect(String(decoding: decimal, as: UTF8.self) == String(value), "\(value) in decimal")
            #expect(TabSeparatedLines.integer(decimal[...]) == value, "\(value) read back")
            var hexadecimal: [UInt8] = []
            TabSeparatedLines.appendHex(UInt64(bitPattern: value), to: &hexadecimal)
            #expect(String(decoding: hexadecimal, as: UTF8.self) == String(UInt64(bitPattern: value), radix: 16), "\(value) in hexadecimal")
            #expect(TabSeparatedLines.hex(hexadecimal[...]) == UInt64(bitPattern: value), "\(value) read back from hexadecimal")
        }
    }

    @Test func whatIsNotANumberThatFitsIsRefused() {
        for text in ["", "-", "12a", "+1", "1-", "9223372036854775808", "-9223372036854775809", "99999999999999999999"] {
            #expect(TabSeparatedLines.integer(Array(text.utf8)[...]) == nil, "\(text)")
        }
        for text in ["", "g", "A", "10000000000000000"] {
            #expect(TabSeparatedLines.hex(Array(text.utf8)[...]) == nil, "\(text)")
        }
    }
}

/// The cache's index, its content memo and the manifest split their lines with these.
@Suite struct TabSeparatedFieldsTests {
    @Test func fieldsSplitAtTabsTheLastKeepingTheRest() {
        let line = Array("p\tab\t\tc\td\te".utf8)
        var fields: [ArraySlice<UInt8>] = []
        TabSeparatedLines.split(line[...], into: &fields)
        #expect(fields.map(TabSeparatedLines.string) == ["p", "ab", "", "c", "d", "e"])
        TabSeparatedLines.split(line[2...], into: &fields, atMost: 3)
        #expect(fields.map(TabSeparatedLines.string) == ["ab", "", "c\td\te"])
        TabSeparatedLines.split(line[...0], into: &fields, atMost: 3)
        #expect(fields.map(TabSeparatedLines.string) == ["p"])
    }

    @Test func numberListsAreReadOrRefused() {
        #expect(TabSeparatedLines.numberList(Array("".utf8)[...]) == [])
        #expect(TabSeparatedLines.numberList(Array("0,12,345".utf8)[...]) == [0, 12, 345])
        #expect(TabSeparatedLines.numberList(Array("2147483647".utf8)[...]) == [Int32.max])
        for text in ["1,", ",1", "1,,2", "-1", "1a", "2147483648", "99999999999"] {
            #expect(TabSeparatedLines.numberList(Array(text.utf8)[...]) == nil, "\(text)")
        }
    }
}
