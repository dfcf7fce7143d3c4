import Glibc

/// A file's bytes read with `open`/`fstat`/`read`: reading 10,000 content files through Foundation's
/// `FileManager.contents(atPath:)` spent about as long in Foundation's wrapping (its `Data`, its
/// attribute reads) as in the `read` calls themselves (perf, a one-edit cached build at 10,000
/// products).
enum FileBytes {
    /// The bytes of the file at `path` (relative to the open folder `folder`, when given): as many as
    /// `fstat` says it holds, or all of them when it has grown by the time it is read; nil when it
    /// cannot be opened or read (`errno` says why).
    /// Opening 10,000 files by a short path relative to their open folder rather than by their full
    /// path took a third of the time (the kernel walks each part of a path).
    /// `sizeHint`: the size a `stat` just gave (the input scan's), so this one makes none; the bytes
    /// read are the file's whatever its size is now.
    static func read(_ path: String, in folder: Int32 = AT_FDCWD, sizeHint: Int? = nil) -> [UInt8]? {
        let descriptor = path.withCString { openat(folder, $0, O_RDONLY | O_CLOEXEC) }
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        let size: Int
        if let sizeHint, sizeHint >= 0 {
            size = sizeHint
        } else {
            var status = stat()
            guard fstat(descriptor, &status) == 0 else { return nil }
            size = Int(status.st_size)
        }
        // One byte more than its size: a read that fills it says the file grew, and it is read on.
        // A read that stops at the size `fstat` gave is the whole file: asking again for the end of
        // it was a second system call for each of 10,000 files (perf). A file that shrank since its
        // size was taken reads short, then to its end.
        var bytes = [UInt8](repeating: 0, count: size + 1)
        var filled = 0
        while true {
            if filled == bytes.count { bytes += repeatElement(0, count: bytes.count) }
            let count = bytes.withUnsafeMutableBytes { buffer in Glibc.read(descriptor, buffer.baseAddress! + filled, buffer.count - filled) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { return nil }
            if count == 0 { break }
            filled += count
            if filled == size, size > 0 { break }
        }
        bytes.removeLast(bytes.count - filled)
        return bytes
    }
}
