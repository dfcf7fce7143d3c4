import Glibc

extension Array where Element == UInt8 {
    /// The position of the first `byte` at or after `start`, or nil: glibc's `memchr`, which looks at
    /// 16 bytes or more at a time. `firstIndex(of:)` looks at each byte; the build cache's files
    /// (megabytes of lines at 10,000 pages) are split on newlines with this.
    func firstPosition(of byte: UInt8, from start: Int) -> Int? {
        guard start < count else { return nil }
        return withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, let found = memchr(base + start, Int32(byte), count - start) else { return nil }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }
}
