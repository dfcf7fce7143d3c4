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

/// The cache's index writes its numbers digit by digit: the same text `String(_:radix:)` gives.
@Suite struct IndexDigitsTests {
    @Test func digitsAreWhatStringGives() {
        var generator = SplitMix64(seed: 0xD161)
        let edges: [Int64] = [0, 1, -1, 9, 10, 15, 16, .max, .min, .min + 1, 1_764_000_000_123_456_789]
        for value in edges + (0..<2_000).map({ _ in Int64.random(in: .min ... .max, using: &generator) }) {
            for (radix, unsigned) in [(10, false), (16, true)] {
                var bytes: [UInt8] = []
                BuildCache.appendDigits(value, radix: radix, unsigned: unsigned, to: &bytes)
                let expected = unsigned ? String(UInt64(bitPattern: value), radix: radix) : String(value, radix: radix)
                #expect(String(decoding: bytes, as: UTF8.self) == expected, "\(value) in radix \(radix)")
            }
        }
    }
}
