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
        OutputTree.beside(outFolder, "sitegen-inputs")
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
        let manifest = OutputManifest(path: OutputTree.beside(target, "sitegen-manifest"))
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
        var bytes = Array(text.utf8)
        bytes.reserveCapacity(bytes.count + inputs.files.count * 64)
        // In the dictionary's order, as bytes: sorting and interpolating 10,000 lines was most of writing them.
        for (file, stamp) in inputs.files {
            TabSeparatedLines.appendInteger(Int64(stamp.size), to: &bytes)
            bytes.append(UInt8(ascii: "\t"))
            TabSeparatedLines.appendInteger(stamp.modified, to: &bytes)
            bytes.append(UInt8(ascii: "\t"))
            bytes.append(contentsOf: file.utf8)
            bytes.append(UInt8(ascii: "\n"))
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Reads a record; nil when it is missing or not one this version wrote.
    static func read(from path: String) -> BuildRecord? {
        guard let lines = TabSeparatedLines(path: path) else { return nil }
        var header: [[ArraySlice<UInt8>]] = []
        var inputs = InputFingerprints()
        var valid = true
        lines.forEach(fields: 3) { fields in
            if header.count < 4 {
                header.append(fields)
                return true
            }
            guard fields.count == 3, let size = TabSeparatedLines.integer(fields[0]), let modified = TabSeparatedLines.integer(fields[1])
            else {
                valid = false
                return false
            }
            inputs.files[TabSeparatedLines.string(fields[2])] = InputFingerprints.Stamp(size: Int(size), modified: modified)
            return true
        }
        guard valid, header.count == 4, header[0].map(TabSeparatedLines.string) == ["sitegen-inputs 1"] else { return nil }
        let program = header[1], site = header[2], counts = header[3]
        guard program.count == 3, TabSeparatedLines.string(program[0]) == "program",
              let size = TabSeparatedLines.integer(program[1]), let modified = TabSeparatedLines.integer(program[2]),
              site.count >= 2, TabSeparatedLines.string(site[0]) == "site",
              counts.count == 3, TabSeparatedLines.string(counts[0]) == "counts",
              let pages = TabSeparatedLines.integer(counts[1]), let files = TabSeparatedLines.integer(counts[2])
        else { return nil }
        // The site path is the rest of its line, tabs and all.
        let sitePath = TabSeparatedLines.string(site[1]) + (site.count > 2 ? "\t" + TabSeparatedLines.string(site[2]) : "")
        return BuildRecord(
            program: size < 0 ? nil : InputFingerprints.Stamp(size: Int(size), modified: modified), siteFolder: sitePath,
            pages: Int(pages), files: Int(files), inputs: inputs)
    }
}
