/// "Did you mean" hints: the known names nearest to a misspelt one.
public enum Suggestions {
    /// Up to `count` of `known` closest to `name` by edit distance, ties in name order, so the hint is
    /// the same on every run (`known` often comes from a dictionary, whose order changes each run).
    public static func nearest(_ name: String, among known: some Sequence<String>, count: Int = 3) -> [String] {
        known.map { (distance: editDistance($0, name), name: $0) }
            .sorted { ($0.distance, $0.name) < ($1.distance, $1.name) }
            .prefix(count).map(\.name)
    }

    /// The hint: `did you mean 'A', 'B', 'C'?`, or nil when nothing is known.
    public static func hint(_ name: String, among known: some Sequence<String>) -> String? {
        let near = nearest(name, among: known)
        return near.isEmpty ? nil : "did you mean \(near.map { "'\($0)'" }.joined(separator: ", "))?"
    }

    /// Levenshtein distance over UTF-8 bytes.
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8), b = Array(b.utf8)
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
