import Foundation

extension FuzzInputs {
    /// The inputs that once crashed `target`, kept as files in `Tests/Fuzz/Regressions/TARGET/`
    /// (libFuzzer's crash files, from `scripts/fuzz`), so the seeded fuzz tests replay each one first.
    public static func regressions(_ target: String) -> [String] {
        var folder = URL(fileURLWithPath: #filePath)
        folder.deleteLastPathComponent()
        folder.deleteLastPathComponent()
        folder.appendPathComponent("Fuzz/Regressions/\(target)")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().compactMap { name in
            (try? Data(contentsOf: folder.appendingPathComponent(name))).map { String(decoding: $0, as: UTF8.self) }
        }
    }
}
