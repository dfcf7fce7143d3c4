import CMalloc
import Glibc

/// How a process that builds once and exits (`sitegen build`) sets glibc's malloc up.
///
/// glibc grows a thread's heap by what each allocation needs, one `mprotect` call at a time: a
/// one-edit cached build at 10,000 products made 12,000 of them (strace), a tenth of its system
/// time. A new thread heap is made `M_TOP_PAD` larger than its first allocation, up to the 64 MB a
/// heap can be, and grown a page at a time only past that: at 16 MB the build still made 6,100
/// calls, at 64 MB 27 (address space; pages are touched only when used; peak memory of a clean
/// build 158 → 168 MB). With `M_TRIM_THRESHOLD` it keeps what is freed for the next allocation rather
/// than handing it back and faulting it in again (12 % fewer page faults). The preview, which runs
/// for hours, keeps glibc's defaults. Source: mallopt(3), glibc's malloc/arena.c (`new_heap` takes
/// `top_pad`, `grow_heap` does not).
///
/// And its heaps in transparent huge pages (glibc's tunable `glibc.malloc.hugetlb=1`, which has
/// malloc `madvise(MADV_HUGEPAGE)` what it maps): the same build touched 26,000 pages one fault at a
/// time, 12,000 with it, and took a tenth less time (interleaved runs; a clean build barely
/// changes). glibc reads its tunables only as a process starts, from `GLIBC_TUNABLES`, so the process
/// runs itself again once with it set. Source: glibc's manual, "Memory Allocation Tunables".
public enum OneShotMemory {
    /// The tunable the process asks glibc for.
    static let hugePages = "glibc.malloc.hugetlb=1"

    /// Sets the heap up for one build. Call it first, before other threads start: a thread's heap
    /// keeps the room it was made with (glibc's `new_heap` takes `top_pad` when it makes one). It may
    /// replace the process with the same program and arguments (`execv`), returning only in the new one.
    public static func configure() {
        askForHugePages()
        mallopt(M_TOP_PAD, 64 << 20)
        mallopt(M_TRIM_THRESHOLD, 512 << 20)
    }

    /// Runs the program again with `hugePages` in `GLIBC_TUNABLES`, unless it is there (this is the
    /// second run, or the user set it), the kernel gives no huge pages, or `SITEGEN_HUGE_PAGES=0`.
    /// When the program cannot be run again this returns and the build goes on without.
    private static func askForHugePages() {
        let tunables = getenv("GLIBC_TUNABLES").map { String(cString: $0) }
        guard tunables?.contains("glibc.malloc.hugetlb") != true,
              getenv("SITEGEN_HUGE_PAGES").map({ String(cString: $0) }) != "0",
              transparentHugePagesAvailable()
        else { return }
        setenv("GLIBC_TUNABLES", tunables.map { $0.isEmpty ? hugePages : $0 + ":" + hugePages } ?? hugePages, 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // Still here: the program could not be run again. Nothing is asked of the rest of the process.
        if let tunables { setenv("GLIBC_TUNABLES", tunables, 1) } else { unsetenv("GLIBC_TUNABLES") }
    }

    /// Whether the kernel hands out transparent huge pages to a process that asks (`always` or `madvise`).
    private static func transparentHugePagesAvailable() -> Bool {
        guard let file = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r") else { return false }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 128)
        guard fgets(&line, Int32(line.count), file) != nil else { return false }
        let setting = String(cString: line)
        return setting.contains("[always]") || setting.contains("[madvise]")
    }
}
