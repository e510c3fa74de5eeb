internal import LMDB

/// What ``Ledger/verifyProjections(progress:)`` found.
public enum ProjectionCheck: Sendable, Equatable {
    /// The stored projections equal a replay of the whole log under their rules.
    case ok
    /// They are not kept in step (written by an older build, or computed under other rules
    /// than the ones the ledger keeps them under): reports replay the log until `tally rebuild`.
    case stale
    /// They differ from a replay: the table, the first key where they do (hex), and how.
    case differs(table: String, key: String, problem: String)
}

extension Ledger {
    /// Replays the whole log under the rules of the stored projections, in memory, and
    /// compares the result with the stored projections entry by entry. Nothing is written: `tally rebuild`
    /// repairs what this finds.
    ///
    /// Memory grows with the log, as for any replay (about 230 MB for a million events of
    /// the standard mix, 1.7 GB for ten million).
    /// - Parameter progress: called with the seq every 65,536 events.
    public func verifyProjections(progress: ((UInt64) -> Void)? = nil) throws -> ProjectionCheck {
        try read { txn in
            guard let storedRules = try storedRules(txn) else { return .stale }
            let last = try Self.lastSeq(schema, txn)
            let checkpoint = try ProjectionTables.checkpoint(schema.meta, txn)
            guard checkpoint?.isCurrent(for: storedRules, last: last) ?? (last == 0) else { return .stale }
            let store = ProjectionStore(schema: schema, rules: storedRules)
            let projector = Projector(rules: storedRules, store: store, checkpoint: 0, expectedEvents: Int(clamping: last))
            try feedInTwoStages(projector, through: last, txn, progress: progress)
            // The stored tables are walked whole: their pages are dropped as it goes.
            let pages = PageReleaser(interval: 1 << 16, pages: environment.mappedPages())
            guard let (table, key, problem) = try projector.firstDifference(from: store.tables, txn, pages: pages) else { return .ok }
            return .differs(table: table, key: Hex.encode(key), problem: problem)
        }
    }
}
