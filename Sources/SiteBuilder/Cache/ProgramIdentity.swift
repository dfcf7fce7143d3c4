import Foundation

/// This sitegen's version, for `sitegen --version` and the build cache's header.
public enum SiteGenVersion {
    public static let current = "0.17.0"
}

/// Which build of sitegen is running: the GNU build ID the linker wrote into the executable (a hash
/// of its contents, the same for the same program wherever it is copied), or the executable's size
/// and time when it has none. The build cache trusts only pages the same program rendered: a new
/// sitegen may render the same inputs differently.
enum ProgramIdentity {
    static let current: String = {
        let path = "/proc/self/exe"
        if let handle = FileHandle(forReadingAtPath: path), let id = buildID(handle) { return "build-id " + id }
        if let program = BuildRecord.programStamp() { return "size \(program.size) time \(program.modified)" }
        return "unknown"
    }()

    /// The `NT_GNU_BUILD_ID` note of a 64-bit little-endian ELF file, as hex.
    static func buildID(_ file: FileHandle) -> String? {
        defer { try? file.close() }
        func read(_ offset: UInt64, _ count: Int) -> [UInt8]? {
            guard (try? file.seek(toOffset: offset)) != nil, let data = try? file.read(upToCount: count), data.count == count else { return nil }
            return [UInt8](data)
        }
        func integer(_ bytes: [UInt8], _ at: Int, _ width: Int) -> UInt64 {
            (0..<width).reduce(UInt64(0)) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) }
        }
        guard let header = read(0, 64), header[0..<4] == [0x7F, 0x45, 0x4C, 0x46], header[4] == 2, header[5] == 1 else { return nil }
        let tableOffset = integer(header, 32, 8), entrySize = Int(integer(header, 54, 2)), count = Int(integer(header, 56, 2))
        guard entrySize >= 56, count < 256, let table = read(tableOffset, entrySize * count) else { return nil }
        for entry in 0..<count where integer(table, entry * entrySize, 4) == 4 {
            let offset = integer(table, entry * entrySize + 8, 8), size = Int(integer(table, entry * entrySize + 32, 8))
            guard size < 1 << 16, let notes = read(offset, size) else { continue }
            var at = 0
            while at + 12 <= size {
                let nameSize = Int(integer(notes, at, 4)), descSize = Int(integer(notes, at + 4, 4)), type = integer(notes, at + 8, 4)
                let name = at + 12, desc = name + (nameSize + 3) / 4 * 4
                guard desc + descSize <= size else { break }
                if type == 3, nameSize == 4, notes[name..<name + 3] == [0x47, 0x4E, 0x55] {
                    return notes[desc..<desc + descSize].map { String(format: "%02x", $0) }.joined()
                }
                at = desc + (descSize + 3) / 4 * 4
            }
        }
        return nil
    }
}
