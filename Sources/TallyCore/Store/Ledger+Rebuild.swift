internal import LMDB

/// What ``Ledger/rebuild(_:adopting:progress:)`` recomputes from the log.
public enum RebuildScope: Sendable {
    /// The stored projections: the state of the reports, which a rule change alters.
    case projections
    /// The projections, and also the id and posting indexes, the entity registries and the
    /// points balances, which no rule change alters (to repair an index `verify` reports).
    case everything
}

extension Ledger {
    /// Rebuilds what the ledger derives from the log by replaying it, in one transaction: a
    /// crash leaves the previous state. The log itself is never changed.
    /// - Parameters:
    ///   - rules: rules to keep the stored projections under from now on (adopted: every
    ///     later write keeps them in step, and reports under these rules read them); the
    ///     built-in rules go back to them. Nil keeps the rules in force.
    ///   - progress: called with the number of events replayed every 65,536 (for
    ///     `.everything`, in two passes: the indexes, then the projections).
    /// - Returns: the number of events replayed.
    @discardableResult
    public func rebuild(_ scope: RebuildScope = .projections, adopting rules: Rules? = nil, progress: ((UInt64) -> Void)? = nil) throws -> UInt64 {
        try rebuild(scope, adopting: rules, limits: .forRebuild, progress: progress)
    }

    /// ``rebuild(_:adopting:progress:)``, writing what it holds in memory as `limits` say.
    func rebuild(
        _ scope: RebuildScope, adopting rules: Rules? = nil, limits: AppendSession.MemoryLimits, progress: ((UInt64) -> Void)? = nil
    ) throws -> UInt64 {
        switch scope {
        case .projections:
            try write { txn in
                try adopt(rules, txn)
                return try replayProjections(txn, limits: limits, indexesAreCommitted: true, progress: progress)
            }
        case .everything: try rebuildEverything(adopting: rules, limits: limits, progress: progress)
        }
    }

    /// Records `rules`, when given, as the rules of the stored projections.
    private func adopt(_ rules: Rules?, _ txn: borrowing Transaction) throws {
        guard let rules, builtInRules != nil else { return }
        try ProjectionTables.setAdoptedRules(rules == builtInRules ? nil : rules, schema.meta, txn)
    }

    /// Empties every derived table, re-appends each stored record to the indexes, registries
    /// and balances, then replays the stored projections.
    private func rebuildEverything(adopting rules: Rules?, limits: AppendSession.MemoryLimits, progress: ((UInt64) -> Void)?) throws -> UInt64 {
        try write { txn in
            try adopt(rules, txn)
            for db in [schema.ids, schema.entities, schema.balances] + PostingIndex.Kind.allCases.map({ schema.postings[$0]! }) {
                try txn.clear(db)
            }
            let last = try Self.lastSeq(schema, txn)
            let session = try AppendSession(
                schema: schema, txn, storedRules: nil, pages: PageReleaser(pages: environment.mappedPages()),
                expectedEvents: Int(clamping: last), limits: limits)
            try forEachRecord(through: last, txn) { seq, record in
                try session.index(record, txn)
                if seq & 0xFFFF == 0 { progress?(seq) }
            }
            try session.finish(txn)
            return try replayProjections(txn, limits: limits, indexesAreCommitted: false, progress: progress)
        }
    }

    /// Empties the stored projections and replays the whole log into them, in `txn`. Their
    /// state is held in memory and appended to the empty tables at the end; past
    /// `limits.projectionEntries` entries it is written early, to bound memory. Until then
    /// the replay runs in two stages (``feedInTwoStages(_:through:_:progress:stoppingAfter:)``);
    /// after, the projector reads what it dropped back from the tables, by name, in one.
    /// - Parameter indexesAreCommitted: whether `txn` left the id index as committed. The
    ///   reader of two stages finds an award's `ref` in a read transaction of its own, which
    ///   sees only that: after a reindexing in `txn`, the replay runs in one stage.
    /// - Returns: the number of events replayed.
    private func replayProjections(
        _ txn: borrowing Transaction, limits: AppendSession.MemoryLimits, indexesAreCommitted: Bool, progress: ((UInt64) -> Void)?
    ) throws -> UInt64 {
        try schema.projection.clear(schema.meta, txn)
        let last = try Self.lastSeq(schema, txn)
        guard let storedRules = try storedRules(txn) else { return last }
        let pages = PageReleaser(interval: 1 << 16, pages: environment.mappedPages())  // for the writes
        // Sized for the log, but no larger than what it holds before writing early.
        let expected = min(Int(clamping: last), limits.projectionEntries)
        // Should it write early, later look-ups of keys not yet written search no B-tree.
        let written = try WrittenKeys(tracking: schema.projection.all, txn, expectedKeys: Int(clamping: last) * 2)
        let projector = Projector(rules: storedRules, store: ProjectionStore(schema: schema, rules: storedRules, written: written),
                                  checkpoint: 0, expectedEvents: expected)
        let isFull = { (seq: UInt64) in limits.projectionsAreFull(projector.entriesInMemory, after: seq) }
        var replayedThrough: UInt64 = 0
        if indexesAreCommitted {
            let stoppedAfter = try feedInTwoStages(projector, through: last, txn, progress: progress, stoppingAfter: isFull)
            if stoppedAfter != nil { try projector.flush(txn, pages: pages) }
            replayedThrough = stoppedAfter ?? last
        }
        try feed(projector, from: replayedThrough + 1, through: last, txn, progress: progress) { seq in
            if isFull(seq) { try projector.flush(txn, pages: pages) }
        }
        progress?(last)  // all replayed; the tables are written next, and nothing is looked up after
        written.stopTracking()
        try projector.flush(txn, pages: pages)
        return last
    }
}
