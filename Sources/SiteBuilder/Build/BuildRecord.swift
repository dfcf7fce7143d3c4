import Foundation

/// What the last full build read and made, kept beside the output folder (`.public.sitegen-inputs`),
/// so `sitegen build` with every input, the program and the output as they were can stop after a
/// scan of file times instead of rendering the same site again.
struct BuildRecord: Equatable {
    /// Size and time of the `sitegen` program itself: a new version may render differently.
    var program: InputFingerprints.Stamp?
    var siteFolder: String
    var pages: Int
    var files: Int
    var inputs: InputFingerprints

    static func path(outFolder: String) -> String {
        let target = (outFolder as NSString).standardizingPath
        return (target as NSString).deletingLastPathComponent + "/." + (target as NSString).lastPathComponent + ".sitegen-inputs"
    }

    static func programStamp() -> InputFingerprints.Stamp? {
        guard let program = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"),
              let stamp = OutputManifest.stat(program)
        else { return nil }
        return InputFingerprints.Stamp(size: stamp.size, modified: stamp.modified)
    }

    /// Whether the output folder still holds exactly what the last build recorded in its manifest.
    static func outputIsIntact(outFolder: String) -> Bool {
        let target = (outFolder as NSString).standardizingPath
        let manifestPath = (target as NSString).deletingLastPathComponent + "/." + (target as NSString).lastPathComponent + ".sitegen-manifest"
        let manifest = OutputManifest(path: manifestPath)
        guard !manifest.entries.isEmpty else { return false }
        for (file, entry) in manifest.entries {
            guard let current = OutputManifest.stat(target + "/" + file), current.size == entry.size, current.modified == entry.modified
            else { return false }
        }
        return true
    }

    func write(to path: String) throws {
        var text = "sitegen-inputs 1\n"
        text += "program\t\(program?.size ?? -1)\t\(program?.modified ?? -1)\n"
        text += "site\t\(siteFolder)\n"
        text += "counts\t\(pages)\t\(files)\n"
        for (file, stamp) in inputs.files.sorted(by: { $0.key < $1.key }) {
            text += "\(stamp.size)\t\(stamp.modified)\t\(file)\n"
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Reads a record; nil when it is missing or not one this version wrote.
    static func read(from path: String) -> BuildRecord? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 4, lines[0] == "sitegen-inputs 1" else { return nil }
        let program = lines[1].split(separator: "\t"), site = lines[2].split(separator: "\t", maxSplits: 1)
        let counts = lines[3].split(separator: "\t")
        guard program.count == 3, program[0] == "program", let size = Int(program[1]), let modified = Int64(program[2]),
              site.count == 2, site[0] == "site", counts.count == 3, let pages = Int(counts[1]), let files = Int(counts[2])
        else { return nil }
        var inputs = InputFingerprints()
        for line in lines.dropFirst(4) where !line.isEmpty {
            let fields = line.split(separator: "\t", maxSplits: 2)
            guard fields.count == 3, let size = Int(fields[0]), let modified = Int64(fields[1]) else { return nil }
            inputs.files[String(fields[2])] = InputFingerprints.Stamp(size: size, modified: modified)
        }
        return BuildRecord(
            program: size < 0 ? nil : InputFingerprints.Stamp(size: size, modified: modified), siteFolder: String(site[1]), pages: pages,
            files: files, inputs: inputs)
    }
}
