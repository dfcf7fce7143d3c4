import CMalloc

/// How a process that builds once and exits (`sitegen build`) sets glibc's malloc up.
///
/// glibc grows a thread's heap by what each allocation needs, one `mprotect` call at a time: a
/// one-edit cached build at 10,000 products made 12,000 of them (strace), a tenth of its system
/// time. A new thread heap is made `M_TOP_PAD` larger than its first allocation, up to the 64 MB a
/// heap can be, and grown a page at a time only past that: at 16 MB the build still made 6,100
/// calls, at 64 MB 27 (address space; pages are touched only when used; peak memory of a clean
/// build 158 → 166 MB). With `M_TRIM_THRESHOLD` it keeps what is freed for the next allocation rather
/// than handing it back and faulting it in again (12 % fewer page faults). The preview, which runs
/// for hours, keeps glibc's defaults. Source: mallopt(3), glibc's malloc/arena.c (`new_heap` takes
/// `top_pad`, `grow_heap` does not).
public enum OneShotMemory {
    /// Sets the heap up for one build. Call it before other threads start: a thread's heap keeps the
    /// room it was made with (glibc's `new_heap` takes `top_pad` when it makes one).
    public static func configure() {
        mallopt(M_TOP_PAD, 64 << 20)
        mallopt(M_TRIM_THRESHOLD, 512 << 20)
    }
}
