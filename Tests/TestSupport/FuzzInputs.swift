/// Generated inputs for the parsers' fuzz tests: seeded, so a failure names a seed and an index that
/// reproduce it on any machine, and mostly mutations of real inputs, so they get past the first
/// check a parser makes and reach the code behind it.
public struct FuzzInputs: Sequence {
    /// Inputs the parser should see: real files, valid headers, known crashers.
    public let seeds: [[UInt8]]
    /// Tokens the format uses (`=`, `&`, `t=`, `---`, `"`), spliced in by mutations.
    public let dictionary: [[UInt8]]
    public let count: Int
    public let seed: UInt64

    /// `count` inputs: the seeds first, then mutations of them made by a generator seeded with `seed`.
    public init(seeds: [String], dictionary: [String] = [], count: Int, seed: UInt64 = 0x5EED) {
        self.seeds = seeds.map { Array($0.utf8) }
        self.dictionary = (dictionary + Self.interesting).map { Array($0.utf8) }
        self.count = count
        self.seed = seed
    }

    /// Numbers and characters that break parsers: integer edges, huge digit runs, control and
    /// non-ASCII characters, line endings, a byte-order mark.
    public static let interesting = [
        "0", "-1", "1", "-0", "+1", "2147483648", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
        "18446744073709551616", "2647282229755897512250572800", String(repeating: "9", count: 40), "1e400", "NaN", "0x10",
        "\r\n", "\n", "\r", "\0", "\u{1}", "\u{7F}", "\u{85}", "\u{FEFF}", "\u{202E}", "é", "😀", "%", "%00", "%FF", "%zz", "\\",
        "\"", "'", " ", "\t", "..", "/", "", String(repeating: "A", count: 300),
    ]

    /// The inputs as bytes, the same sequence on every run.
    public func makeIterator() -> AnyIterator<[UInt8]> {
        var random = SplitMix64(seed: seed)
        var produced = 0
        return AnyIterator {
            guard produced < count else { return nil }
            defer { produced += 1 }
            if produced < seeds.count { return seeds[produced] }
            return mutate(&random)
        }
    }

    /// The inputs as text, invalid UTF-8 replaced as `String(decoding:as:)` does on a request body.
    public var strings: [String] { map { String(decoding: $0, as: UTF8.self) } }

    private func mutate(_ random: inout SplitMix64) -> [UInt8] {
        var bytes: [UInt8]
        if seeds.isEmpty || random.next(below: 8) == 0 {
            bytes = (0..<random.next(below: 64)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        } else {
            bytes = seeds[random.next(below: seeds.count)]
        }
        for _ in 0...random.next(below: 4) {
            let position = bytes.isEmpty ? 0 : random.next(below: bytes.count + 1)
            switch random.next(below: 8) {
            case 0 where !bytes.isEmpty:
                bytes[Swift.min(position, bytes.count - 1)] ^= UInt8(1 << random.next(below: 8))
            case 1:
                bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: position)
            case 2 where !dictionary.isEmpty, 3 where !dictionary.isEmpty:
                bytes.insert(contentsOf: dictionary[random.next(below: dictionary.count)], at: position)
            case 4 where !bytes.isEmpty:
                let end = Swift.min(bytes.count, position + 1 + random.next(below: 16))
                bytes.removeSubrange(Swift.min(position, bytes.count - 1)..<end)
            case 5 where !bytes.isEmpty:
                let start = Swift.min(position, bytes.count - 1)
                let chunk = Array(bytes[start..<Swift.min(bytes.count, start + 1 + random.next(below: 32))])
                bytes.insert(contentsOf: chunk, at: random.next(below: bytes.count + 1))
            case 6 where !seeds.isEmpty:
                let other = seeds[random.next(below: seeds.count)]
                bytes = Array(bytes.prefix(position)) + other.suffix(random.next(below: other.count + 1))
            default:
                bytes = Array(bytes.prefix(position))
            }
        }
        return bytes
    }
}
