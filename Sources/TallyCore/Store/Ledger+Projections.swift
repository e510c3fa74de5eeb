internal import LMDB
import Dispatch

/// One member whose score or tier a rule change would change.
public struct DiffRow: Sendable, Equatable {
    public var member: String
    public var scoreBefore: Int64
    public var scoreAfter: Int64
    public var tierBefore: String
    public var tierAfter: String
}

extension Ledger {
    /// Replays the log up to `atSeq` (the whole log when nil) into projections under each
    /// of `rules`. Several rule sets replay in parallel, each in its own read transaction, up
    /// to the same head.
    /// - Parameter progress: called with the seq every 65,536 events.
    public func replay(rules: [Rules], atSeq: UInt64? = nil, progress: ((UInt64) -> Void)? = nil) throws -> [Projector] {
        try replay(rules: rules, atSeq: atSeq, scoresOnly: false, progress: progress)
    }

    /// ``replay(rules:atSeq:progress:)``; with `scoresOnly`, the projections hold only
    /// engagement scores and tiers (see ``Projector/scoresOnly``).
    func replay(rules: [Rules], atSeq: UInt64?, scoresOnly: Bool, progress: ((UInt64) -> Void)? = nil) throws -> [Projector] {
        let last = try atSeq.map { min($0, try lastSeq()) } ?? lastSeq()
        nonisolated(unsafe) let progress = progress  // called from one worker only
        @Sendable func replayOne(_ index: Int) throws -> Projector {
            try replay(rules[index], through: last, scoresOnly: scoresOnly, inTwoStages: rules.count == 1,
                       progress: index == 0 ? progress : nil)
        }
        guard rules.count > 1 else { return try rules.indices.map(replayOne) }
        var results = [Result<Projector, any Error>?](repeating: nil, count: rules.count)
        results.withUnsafeMutableBufferPointer { results in
            nonisolated(unsafe) let results = results  // each worker writes its own slot
            DispatchQueue.concurrentPerform(iterations: rules.count) { index in results[index] = Result { try replayOne(index) } }
        }
        return try results.map { try $0!.get() }
    }

    /// Replays events `1...last` under `rules` in one read transaction; when `inTwoStages`
    /// (the other core is free), on both cores.
    private func replay(
        _ rules: Rules, through last: UInt64, scoresOnly: Bool, inTwoStages: Bool,
        progress: ((UInt64) -> Void)?
    ) throws -> Projector {
        try read { txn in
            let projector = Projector(rules: rules, expectedEvents: Int(clamping: last), scoresOnly: scoresOnly)
            if inTwoStages {
                try feedInTwoStages(projector, through: last, txn, progress: progress)
            } else {
                try feed(projector, through: last, txn, progress: progress)
            }
            return projector
        }
    }

    /// Applies events `1...last` of the log to `projector` in order, each `points_award`
    /// with the event its `ref` names (unless the projector keeps scores only). Every
    /// 65,536 events the pages read are dropped from memory (``PageReleaser``), so that
    /// reading a long log does not pile them up in the resident set.
    /// - Parameters:
    ///   - progress: called with the seq every 65,536 events.
    ///   - afterEach: called with each event's seq once it is applied.
    func feed(
        _ projector: Projector, from first: UInt64 = 1, through last: UInt64, _ txn: borrowing Transaction, progress: ((UInt64) -> Void)?,
        afterEach: (UInt64) throws -> Void = { _ in }
    ) throws {
        try forEachRecord(from: first, through: last, txn) { seq, record in
            let referenced = projector.scoresOnly ? nil : try referencedEvent(of: record, txn)
            try projector.apply(record, referenced: referenced, txn)
            if seq & 0xFFFF == 0 { progress?(seq) }
            try afterEach(seq)
        }
    }

    /// The stored event a `points_award`'s `ref` names, if any (for its audit).
    func referencedEvent(of record: RecordView, _ txn: borrowing Transaction) throws -> RecordView? {
        guard record.type == .pointsAward, let ref = record.string("ref") else { return nil }
        return try schema.recordView(withID: ref, txn)
    }

    /// Calls `body` with the seq and record of events `first...last`, in order. Every 65,536
    /// events the pages read are dropped from memory (``PageReleaser``).
    /// - Parameter checkingStructure: false leaves the check of each record's binary JSON
    ///   to the caller (``RecordView/checkStructure()``).
    /// - Throws: ``LedgerError/corrupted(seq:reason:)`` for a record that does not decode,
    ///   or that gives another seq than the one it is stored under.
    func forEachRecord(
        from first: UInt64 = 1, through last: UInt64, checkingStructure: Bool = true, _ txn: borrowing Transaction,
        _ body: (UInt64, RecordView) throws -> Void
    ) throws {
        let pages = PageReleaser(interval: 1 << 16, pages: environment.mappedPages())
        try txn.withCursor(schema.events) { cursor in
            var entry = try cursor.seek(ByteWriter.key(first))
            while let (key, value) = entry {
                let seq = ByteReader.uint64(key) ?? 0
                guard seq <= last else { break }
                let record: RecordView
                do { record = try RecordView(record: value, checkingStructure: checkingStructure) } catch {
                    throw LedgerError.corrupted(seq: seq, reason: "\(error)")
                }
                guard record.seq == seq else { throw LedgerError.corrupted(seq: seq, reason: "the record gives seq \(record.seq)") }
                try body(seq, record)
                pages.tick()
                entry = try cursor.next()
            }
        }
    }

    /// The projection under `rules` as of `atSeq`, holding at least `parts`.
    ///
    /// It is read from the stored projections when they are current and were computed under
    /// `rules`, and `atSeq` is not before the head; otherwise it is replayed from the log.
    /// - Parameter member: the one member the projection is for, if any: its score, tier,
    ///   points, tier history and audit findings are right, and a replay replays only the
    ///   events that bear on them (``memberProjection(_:rules:atSeq:)``).
    /// - Parameter progress: called with the seq every 65,536 events when the whole log is replayed.
    public func projection(rules: Rules = .builtIn, atSeq: UInt64? = nil, parts: Projector.Parts = .all,
                           for member: String? = nil, progress: ((UInt64) -> Void)? = nil) throws -> Projector {
        if let stored = try storedProjection(rules: rules, atSeq: atSeq, parts: parts, historyOf: member) { return stored.projector }
        if let member { return try memberProjection(member, rules: rules, atSeq: atSeq) }
        return try replay(rules: [rules], atSeq: atSeq, progress: progress)[0]
    }

    /// The stored projection and the seq it is as of, if it answers for `rules` and `atSeq`.
    private func storedProjection(rules: Rules, atSeq: UInt64?, parts: Projector.Parts, historyOf member: String?) throws
        -> (projector: Projector, seq: UInt64)?
    {
        try read { txn in
            let last = try Self.lastSeq(schema, txn)
            guard let checkpoint = try ProjectionTables.checkpoint(schema.meta, txn), checkpoint.isCurrent(for: rules, last: last),
                  atSeq.map({ $0 >= last }) ?? true else { return nil }
            let store = ProjectionStore(schema: schema, rules: rules)
            return (try Projector.loading(parts, historyOf: member, from: store, rules: rules, txn), last)
        }
    }

    /// Whether reports under the rules of the stored projections (``projectionRules()``)
    /// are read from stored state rather than replayed: the projections are current and
    /// were computed under those rules. When not, ``rebuild(_:adopting:progress:)`` makes them so.
    public func projectionsAreCurrent() throws -> Bool {
        try read { txn in
            let last = try Self.lastSeq(schema, txn)
            guard let checkpoint = try ProjectionTables.checkpoint(schema.meta, txn) else { return last == 0 }
            return checkpoint.isCurrent(for: try storedRules(txn), last: last)
        }
    }

    /// The rules the stored projections are kept under: those the ledger adopted
    /// (``rebuild(_:adopting:progress:)``), else the built-in ones.
    public func projectionRules() throws -> Rules {
        try read { txn in try storedRules(txn) ?? .builtIn }
    }

    /// The rules every write keeps the stored projections under, as of `txn`: those the
    /// ledger adopted, else the built-in ones; nil when this build keeps none (tests).
    func storedRules(_ txn: borrowing Transaction) throws -> Rules? {
        guard let builtInRules else { return nil }
        return try ProjectionTables.adoptedRules(schema.meta, txn) ?? builtInRules
    }

    /// What `rules` would change against `base`, member by member, sorted by member. The
    /// base is read from the stored projections when they answer for it; otherwise both
    /// rule sets are replayed, side by side.
    /// - Parameter progress: called with the seq every 65,536 events replayed.
    public func diff(rules: Rules, base: Rules = .builtIn, atSeq: UInt64? = nil, progress: ((UInt64) -> Void)? = nil) throws -> [DiffRow] {
        let (before, after) = try projections(base, rules, atSeq: atSeq, parts: .members, progress: progress)
        return (0..<Int32(before.members.count)).map(before.members.string).compactMap { member -> DiffRow? in
            guard let old = before.score(of: member), let new = after.score(of: member),
                  old.score != new.score || old.tier != new.tier else { return nil }
            return DiffRow(member: member, scoreBefore: old.score, scoreAfter: new.score, tierBefore: old.tier, tierAfter: new.tier)
        }.sorted(byBytesOf: \.member)
    }

    /// The complaints whose SLA verdicts as of `now` `rules` would change against `base`, by id.
    /// - Parameter progress: called with the seq every 65,536 events replayed.
    public func complaintsDiff(rules: Rules, base: Rules = .builtIn, atSeq: UInt64? = nil, now: Timestamp,
                               progress: ((UInt64) -> Void)? = nil) throws -> [ComplaintDiffRow] {
        let (before, after) = try projections(base, rules, atSeq: atSeq, parts: .complaints, progress: progress)
        return ComplaintDiffRow.changes(from: before.complaintRows(now: now), to: after.complaintRows(now: now))
    }

    /// The points awards whose audit findings `rules` would change against `base`, by seq.
    /// - Parameter progress: called with the seq every 65,536 events replayed.
    public func auditDiff(rules: Rules, base: Rules = .builtIn, atSeq: UInt64? = nil,
                          progress: ((UInt64) -> Void)? = nil) throws -> [AuditDiffRow] {
        let (before, after) = try projections(base, rules, atSeq: atSeq, parts: .findings, progress: progress)
        return AuditDiffRow.changes(from: before.audit().findings, to: after.audit().findings)
    }

    /// The projections under `base` and `rules` as of `atSeq`, holding `parts`: the base read
    /// from the stored projections when they answer for it and only the new rules replayed,
    /// else both replayed side by side. Scores alone need only the engagement rules' state.
    private func projections(_ base: Rules, _ rules: Rules, atSeq: UInt64?, parts: Projector.Parts,
                             progress: ((UInt64) -> Void)?) throws -> (before: Projector, after: Projector) {
        let scoresOnly = parts == .members
        if let (stored, seq) = try storedProjection(rules: base, atSeq: atSeq, parts: parts, historyOf: nil) {
            return (stored, try replay(rules: [rules], atSeq: seq, scoresOnly: scoresOnly, progress: progress)[0])
        }
        let both = try replay(rules: [base, rules], atSeq: atSeq, scoresOnly: scoresOnly, progress: progress)
        return (both[0], both[1])
    }
}
