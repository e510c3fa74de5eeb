#if canImport(Glibc)
import Glibc
#endif

/// Asks the kernel to back large tables that are probed at random with huge pages.
///
/// A replay probes its hash tables (tens of megabytes for a million events) all over: with
/// 4 KiB pages nearly every probe also misses the TLB, and in a virtual machine each such
/// miss walks two page tables. Linux backs 2 MiB-aligned ranges with huge pages when a
/// region is marked `MADV_HUGEPAGE`, which is what its usual `transparent_hugepage` mode
/// ("madvise") waits for. The marking must come before the memory is first touched; it
/// changes no contents, and elsewhere it is a no-op.
enum HugePages {
    /// The huge page size of x86-64 and of most arm64 kernels.
    static let size = 2 << 20

    /// Regions smaller than this are left alone: they hold at most one huge page.
    static let threshold = 4 << 20

    /// Marks the 2 MiB-aligned part of `region` for huge pages, if it is large enough.
    static func advise(_ region: UnsafeMutableRawBufferPointer) {
        #if os(Linux)
        guard region.count >= threshold, let base = region.baseAddress else { return }
        let mask = UInt(size - 1)
        let start = (UInt(bitPattern: base) + mask) & ~mask
        let end = (UInt(bitPattern: base) + UInt(region.count)) & ~mask
        guard end > start else { return }
        _ = madvise(UnsafeMutableRawPointer(bitPattern: start), Int(end - start), MADV_HUGEPAGE)
        #endif
    }
}

extension Array {
    /// `count` elements whose bytes are all zero, in storage marked for huge pages (see
    /// ``HugePages``): for elements valid as zero bytes.
    init(hugePagesZeroed count: Int) where Element: BitwiseCopyable {
        self.init(unsafeUninitializedCapacity: count) { buffer, initialized in
            let bytes = UnsafeMutableRawBufferPointer(buffer)
            HugePages.advise(bytes)
            bytes.initializeMemory(as: UInt8.self, repeating: 0)
            initialized = count
        }
    }

    /// An empty array with room for `capacity` elements, in storage marked for huge pages
    /// (see ``HugePages``).
    init(hugePagesCapacity capacity: Int) {
        self.init(unsafeUninitializedCapacity: capacity) { buffer, initialized in
            HugePages.advise(UnsafeMutableRawBufferPointer(buffer))
            initialized = 0
        }
    }
}
