internal import LMDB

/// Drops the read-only pages of the ledger's map from the process's resident set every
/// `interval` ticks (events appended, entries written), so that a long write transaction,
/// which reads pages all over the map, keeps few of them resident (see
/// `MappedPages.release()` and docs/architecture.md, "Memory of long transactions").
final class PageReleaser {
    private let pages: MappedPages?
    private let interval: Int
    private var ticks = 0

    /// A releaser of `pages` every `interval` ticks; without `pages`, it does nothing.
    init(interval: Int = 2_048, pages: MappedPages? = nil) {
        self.pages = pages
        self.interval = interval
    }

    /// Counts one event or write.
    func tick() {
        ticks += 1
        if ticks == interval {
            ticks = 0
            pages?.release()
        }
    }
}
