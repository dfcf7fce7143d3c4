import Foundation
import ShopCore
import Testing
import TestSupport

/// ShopCore's parsers of outside input, run over thousands of generated inputs (seeded, so any
/// failure reproduces): each must answer or throw its documented error, never trap, and what it
/// accepts must mean what it says.
@Suite struct ParserFuzzTests {
    @Test func stripeSignatureHeadersNeverTrapAndOnlyTheRightSignaturePasses() {
        let signer = StripeSignature(secret: "whsec_fuzz")
        let payload = Data(#"{"id":"evt_1"}"#.utf8)
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let good = signer.header(for: payload, timestamp: 1_700_000_000)
        let signature = signer.signature(for: payload, timestamp: 1_700_000_000)
        let inputs = FuzzInputs(
            seeds: FuzzInputs.regressions("stripe-signature") + [good, "t=1700000000,v1=\(signature),v1=00", "t=,v1=", "=", ",", "t=9223372036854775808,v1=\(signature)",
                    "t=-9223372036854775808,v1=\(signature)", "t=1700000000,t=1700000000,v1=\(signature)"],
            dictionary: ["t=", "v1=", "v0=", ",", "=", " ", signature, "1700000000"], count: 5_000)
        for header in inputs.strings {
            do {
                let timestamp = try signer.verify(header: header, payload: payload, now: now)
                #expect(timestamp == 1_700_000_000 && header.lowercased().contains(signature), "accepted \(header.debugDescription)")
            } catch {
                #expect(!error.description.isEmpty)
            }
        }
    }

    @Test func catalogTextNeverTrapsAndErrorsPointIntoTheFile() throws {
        let example = try exampleCatalogText()
        let records = example.components(separatedBy: "\n\n")
        let inputs = FuzzInputs(
            seeds: FuzzInputs.regressions("catalog-text") + [example, String(example.prefix(2_000)), records.prefix(12).joined(separator: "\n\n")],
            dictionary: ["product ", "variant ", "bundle ", "plan ", "coupon ", "  price: ", " USD", "  sku: ", "  discount: ", "%",
                         "  niche: ", "\n\n", "  files: ", "  percent-off: ", "  released: ", "2025-13-45", "  interval: "],
            count: 1_500, seed: 7)
        for text in inputs.strings {
            do {
                let (catalog, map) = try CatalogText.parse(text, file: "fuzz.txt")
                // The checks and the index the checkout prices from take any parsed catalog.
                var check = CatalogCheck(catalog: catalog, source: map)
                let issues = check.run()
                let index = CatalogIndex(catalog)
                for bundle in catalog.bundles { _ = index.pricing(of: bundle) }
                // A catalog that passes its checks dumps to text that parses to the same catalog.
                if issues.isEmpty {
                    #expect(try CatalogText.parse(CatalogText.dump(catalog), file: "dump").0 == catalog, "\(text.debugDescription)")
                }
            } catch {
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
                #expect(error.file == "fuzz.txt" && (1...max(lines, 1) + 1).contains(error.line), "\(error)")
            }
        }
    }

    @Test func amountsParseExactlyOrNotAtAll() {
        let inputs = FuzzInputs(
            seeds: ["4.99 USD", "0.5 JPY", "1000 JPY", "1.234 KWD", "-3.00 EUR", "999999999999.99 USD", "9999999999999 USD"],
            dictionary: [".", " ", "USD", "JPY", "KWD", "-", "0", "9"], count: 5_000, seed: 11)
        for text in inputs.strings {
            guard let money = Money(Substring(text)) else { continue }
            #expect(Money(Substring(money.description)) == money, "\(text.debugDescription) → \(money)")
        }
    }

    @Test func base64URLDecodesWhatItEncodesAndRefusesTheRest() {
        var random = SplitMix64(seed: 3)
        for length in 0..<200 {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            #expect(Base64URL.decode(Base64URL.encode(bytes)) == bytes)
        }
        for text in FuzzInputs(seeds: ["AAAA", "_-_-", "abc=", "a"], dictionary: ["=", "+", "/"], count: 3_000, seed: 4).strings {
            if let bytes = Base64URL.decode(text) { #expect(bytes.count <= text.utf8.count) }
        }
    }

    /// Money arithmetic saturates instead of trapping, and within range it is exact.
    @Test func moneyArithmeticNeverTraps() {
        var random = SplitMix64(seed: 9)
        let edges: [Int64] = [0, 1, -1, 99, 100, 101, .max, .min, .max - 1, .min + 1, 99_999_999, 4_611_686_018_427_387_904]
        func amount() -> Int64 { random.next(below: 3) == 0 ? edges[random.next(below: edges.count)] : Int64(bitPattern: random.next()) >> random.next(below: 64) }
        for _ in 0..<20_000 {
            let a = Money(amount: amount(), currency: .usd), b = Money(amount: amount(), currency: .usd)
            let sum = a + b, difference = a - b
            let (exactSum, sumOverflows) = a.amount.addingReportingOverflow(b.amount)
            #expect(sumOverflows ? (sum.amount == .max || sum.amount == .min) : sum.amount == exactSum)
            let (exactDifference, differenceOverflows) = a.amount.subtractingReportingOverflow(b.amount)
            #expect(differenceOverflows ? (difference.amount == .max || difference.amount == .min) : difference.amount == exactDifference)
            _ = a * Int(truncatingIfNeeded: b.amount)
            let percent = random.next(below: 101)
            let share = a.percentage(percent)
            #expect(share.amount.magnitude <= a.amount.magnitude)
            let weights = (0..<random.next(below: 6)).map { _ in Money(amount: amount(), currency: .usd) }
            let shares = CartPricing.allocate(a, over: weights)
            #expect(shares.count == weights.count)
            #expect(shares.allSatisfy { $0.amount >= 0 })
            if a.amount > 0 && weights.contains(where: { $0.amount > 0 }) {
                #expect(shares.reduce(Int64(0)) { $0 + $1.amount } == a.amount, "the shares sum to the amount, whatever the weights")
            }
        }
    }

    /// Within amounts a shop charges, the allocation is exact: the shares sum to the discount.
    @Test func allocationIsExactForRealAmounts() {
        var random = SplitMix64(seed: 10)
        for _ in 0..<5_000 {
            let weights = (0..<(1 + random.next(below: 50))).map { _ in Money(amount: Int64(random.next(below: 10_000_000)), currency: .usd) }
            let total = weights.reduce(Int64(0)) { $0 + $1.amount }
            let amount = Money(amount: Int64(random.next(below: Int(total) + 1)), currency: .usd)
            let shares = CartPricing.allocate(amount, over: weights)
            #expect(shares.reduce(Int64(0)) { $0 + $1.amount } == (total > 0 ? amount.amount : 0))
            #expect(zip(shares, weights).allSatisfy { $0.amount <= $1.amount })
        }
    }
}
