/// Drops the read-only pages of the ledger's map from the process's resident set every
/// `interval` ticks (events appended, entries written), so that a long write transaction,
/// which reads pages all over the map, keeps few of them resident (see
/// `Environment.releaseMappedPages()` and docs/architecture.md, "Memory of long writes").
final class PageReleaser {
    private let release: () -> Void
    private let interval: Int
    private var ticks = 0

    /// A releaser calling `release` every `interval` ticks; without `release`, it does nothing.
    init(interval: Int = 2_048, release: @escaping () -> Void = {}) {
        self.release = release
        self.interval = interval
    }

    /// Counts one event or write.
    func tick() {
        ticks += 1
        if ticks == interval {
            ticks = 0
            release()
        }
    }
}
