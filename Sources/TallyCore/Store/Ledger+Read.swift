internal import LMDB
import Dispatch

/// A filter over the log for `tally query`. Every given condition must hold.
public struct EventQuery: Sendable {
    public var type: EventType?
    public var actor: String?
    /// The member a `points_award` is for.
    public var member: String?
    /// An id the event creates or names (see docs/cli.md).
    public var ref: String?
    /// Events whose time is at or after this.
    public var since: Timestamp?
    /// Events whose time is at or before this.
    public var until: Timestamp?
    /// Events at or after this `seq`.
    public var fromSeq: UInt64 = 1
    /// At most this many events.
    public var limit: Int?

    public init() {}

    /// Whether candidates from the indexes still need checking against the record: the
    /// actor, member and ref indexes are exact, the type index is used only alone, and the
    /// day index is coarser than `since`/`until`.
    var needsRecordCheck: Bool {
        since != nil || until != nil || (type != nil && (actor != nil || member != nil || ref != nil))
    }

    func matches(_ record: RecordView) -> Bool {
        if let type, record.type != type { return false }
        if let actor, !record.actor.elementsEqual(actor.utf8) { return false }
        if let member, record.type != .pointsAward || record.field("member")?.string.map({ $0.elementsEqual(member.utf8) }) != true { return false }
        if let since, record.time < since { return false }
        if let until, record.time > until { return false }
        return record.seq >= fromSeq
    }
}

extension Ledger {
    /// The seqs, up to `atSeq` (the head when nil), of the `points_award` events `actor`
    /// made, to `member`, on the UTC days `days` of their `time`, each condition only when
    /// given: the awards `tally audit --actor` and `--since`/`--until` check.
    public func awardSeqs(by actor: String?, to member: String? = nil, days: ClosedRange<Int64>? = nil, atSeq: UInt64? = nil) throws -> Set<UInt64> {
        Set(try read { txn in try seqs(of: .pointsAward, by: actor, to: member, days: days, atSeq: atSeq, txn) })
    }

    /// The seqs, ascending and up to `atSeq`, of the events of `type` that `actor` made, to
    /// `member` (a `points_award`'s), on the UTC days `days` of their `time`, each condition
    /// only when given. The type, actor, member and day indexes are exact for these
    /// conditions, so no record is read.
    func seqs(of type: EventType, by actor: String?, to member: String?, days: ClosedRange<Int64>?, atSeq: UInt64?,
              _ txn: borrowing Transaction) throws -> [UInt64] {
        var events = EventQuery()
        (events.type, events.actor, events.member) = (type, actor, member)
        var seqs = try candidates(for: events, intersectingType: true, txn) ?? []
        if let days {
            let onDays = Set(try seqsByDay(from: days.lowerBound, through: days.upperBound, txn))
            seqs.removeAll { !onDays.contains($0) }
        }
        if let atSeq { seqs.removeAll { $0 > atSeq } }
        return seqs
    }

    /// The `kpi` each of the improvement actions `ids` was opened with; an action opened
    /// without one, or not opened, has none.
    public func actionKPIs(_ ids: some Sequence<String>) throws -> TextByID {
        try openingTexts(.action, "kpi", of: ids)
    }

    /// The `category` each of the complaints `ids` was filed with; a complaint filed without
    /// one, or not filed, has none.
    public func complaintCategories(_ ids: some Sequence<String>) throws -> TextByID {
        try openingTexts(.complaint, "category", of: ids)
    }

    /// The text field `name` of the event that created each of the entities `ids` of `kind`,
    /// found through the entity registry. The pages read are dropped from memory every 2,048
    /// records (``PageReleaser``).
    private func openingTexts(_ kind: EntityRegistry.Kind, _ name: StaticString, of ids: some Sequence<String>) throws -> TextByID {
        try read { txn in
            var texts = TextByID()
            let pages = PageReleaser(pages: environment.mappedPages())
            for id in ids {
                pages.tick()
                guard let opened = try EntityRegistry.storedRecord(kind, id: id.utf8, in: schema.entities, txn),
                      let text = try schema.recordView(at: opened.seq, txn)?.string(name) else { continue }
                texts.byID[ExactString(id)] = text
            }
            return texts
        }
    }

    /// Calls `body` with every stored event from `fromSeq` on, in `seq` order.
    public func export(fromSeq: UInt64 = 1, _ body: (StoredEvent) throws -> Void) throws {
        try read { txn in
            let last = try Self.lastSeq(schema, txn)
            guard fromSeq <= last else { return }
            try forEachRecord(in: .range(fromSeq...last), matching: nil, txn) { seq, record in
                try body(try Self.decode(record, seq: seq))
                return true
            }
        }
    }

    /// Calls `body` with the NDJSON line (no newline) of every stored event from `fromSeq`
    /// on, in `seq` order, written straight from the stored record on both cores (see
    /// ``forEachLine(of:matching:limit:progress:_:)``). The bytes are valid only during the
    /// call. `progress`, if given, is called with the number of lines handed on so far.
    public func exportLines(fromSeq: UInt64 = 1, progress: ((UInt64) -> Void)? = nil, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let last = try lastSeq()
        guard fromSeq <= last else { return }
        try forEachLine(of: .range(fromSeq...last), matching: nil, limit: Int.max, progress: progress, body)
    }

    /// Calls `body` with the events matching `query`, in `seq` order, found through the
    /// indexes (a scan of the log only when no indexed condition is given).
    public func query(_ query: EventQuery, _ body: (StoredEvent) throws -> Void) throws {
        try read { txn in
            guard let (run, filter) = try plan(query, txn) else { return }
            var remaining = query.limit ?? Int.max
            try forEachRecord(in: run, matching: filter, txn) { seq, record in
                try body(try Self.decode(record, seq: seq))
                remaining -= 1
                return remaining > 0
            }
        }
    }

    /// Calls `body` with the NDJSON line (no newline) of each event matching `query`, as
    /// ``query(_:_:)`` finds them, written as ``exportLines(fromSeq:progress:_:)`` writes them.
    public func queryLines(_ query: EventQuery, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let (run, filter) = try read({ txn in try plan(query, txn) }) else { return }
        try forEachLine(of: run, matching: filter, limit: query.limit ?? Int.max, progress: nil, body)
    }

    private static func decode(_ record: UnsafeRawBufferPointer, seq: UInt64) throws -> StoredEvent {
        do { return try EventRecord.decode(record) } catch { throw LedgerError.corrupted(seq: seq, reason: "\(error)") }
    }

    /// The records to read for `query`, and the filter each must pass (nil when the
    /// indexes already select exactly); nil when nothing can match.
    private func plan(_ query: EventQuery, _ txn: borrowing Transaction) throws -> (RecordRun, EventQuery?)? {
        guard query.limit ?? 1 > 0 else { return nil }
        guard var seqs = try candidates(for: query, txn) else {
            let last = try Self.lastSeq(schema, txn)
            return query.fromSeq <= last ? (.range(query.fromSeq...last), nil) : nil
        }
        seqs.removeAll { $0 < query.fromSeq }
        guard !seqs.isEmpty else { return nil }
        guard query.needsRecordCheck else { return (.seqs(seqs.prefix(query.limit ?? Int.max)), nil) }
        return (.seqs(seqs[...]), query)
    }

    /// Calls `body` with the seq and stored record of each record of `run` that exists and
    /// passes `filter`, in order, until it returns false.
    func forEachRecord(
        in run: RecordRun, matching filter: EventQuery?, _ txn: borrowing Transaction, _ body: (UInt64, UnsafeRawBufferPointer) throws -> Bool
    ) throws {
        func offer(_ seq: UInt64, _ record: UnsafeRawBufferPointer) throws -> Bool {
            if let filter {
                let view: RecordView
                do { view = try RecordView(record: record) } catch { throw LedgerError.corrupted(seq: seq, reason: "\(error)") }
                guard filter.matches(view) else { return true }
            }
            return try body(seq, record)
        }
        switch run {
        case .range(let seqs):
            try txn.withCursor(schema.events) { cursor in
                var entry = try cursor.seek(ByteWriter.key(seqs.lowerBound))
                while let (key, value) = entry {
                    let seq = ByteReader.uint64(key) ?? 0
                    guard seq <= seqs.upperBound, try offer(seq, value) else { return }
                    entry = try cursor.next()
                }
            }
        case .seqs(let seqs):
            for seq in seqs {
                let proceed = try withUnsafeBytes(of: seq.bigEndian) { key in
                    try txn.withValue(schema.events, key: key) { value in try value.map { try offer(seq, $0) } ?? true }
                }
                guard proceed else { return }
            }
        }
    }

    /// Calls `body` with the line of each record of `run` that exists and passes `filter`,
    /// in order, up to `limit` lines.
    ///
    /// The run is cut into rounds of ``RecordRun/jobsAtOnce`` jobs and
    /// ``RecordRun/recordsPerRound`` records at most. A job has no more records than the lines still wanted, and 64 at
    /// least; a run of no more than ``linesAlone`` records is one job. Each round is written
    /// by `concurrentPerform`, the calling thread taking jobs as well as the other, each job
    /// in a read transaction of its own (the records are immutable, so every transaction reads
    /// the same ones); then the caller hands on their lines. A job stops at about 4 MB of
    /// lines (large events): the caller writes the rest of its records itself before it hands
    /// on the next job's lines. A long read drops the log's pages from the resident set as it
    /// goes: every ``RecordRun/recordsBetweenReleases`` records, or 16 MB of lines (large
    /// events, whose records fill pages of their own).
    private func forEachLine(
        of run: RecordRun, matching filter: EventQuery?, limit: Int, progress: ((UInt64) -> Void)?, _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        let jobsAtOnce = run.jobsAtOnce
        let perJob = run.count <= Self.linesAlone
            ? run.count : min(run.recordsPerRound / jobsAtOnce, max(Self.linesAlone / 4, (run.count + jobsAtOnce - 1) / jobsAtOnce))
        var unreleased = (records: 0, bytes: 0)
        /// Counts `count` lines of `lines` as read, and releases the pages read once there are
        /// enough. Not a ``PageReleaser``, which finds the map once, in an open transaction:
        /// between rounds none is open, so the map is found afresh each time (a tenth of a
        /// millisecond, every 16,384 records at most), and a short read never looks for it.
        func releasePagesIfDue(after count: Int, of lines: RecordLines) {
            unreleased = (unreleased.records + count, unreleased.bytes + lines.byteCount)
            guard unreleased.records >= run.recordsBetweenReleases || unreleased.bytes >= Self.lineBytesBetweenReleases else { return }
            environment.mappedPages()?.release()
            unreleased = (0, 0)
        }
        var rest: RecordRun? = run, remaining = limit, handed: UInt64 = 0
        while rest != nil, remaining > 0 {
            var round: [RecordRun] = []
            while round.count < jobsAtOnce, let next = rest {
                let (job, tail) = next.split(first: min(perJob, remaining))
                round.append(job)
                rest = tail
            }
            var lines = [RecordLines?](repeating: nil, count: round.count)
            lines.withUnsafeMutableBufferPointer { lines in
                nonisolated(unsafe) let lines = lines  // each iteration writes its own element
                let jobs = round
                DispatchQueue.concurrentPerform(iterations: jobs.count) { index in
                    lines[index] = self.recordLines(of: jobs[index], matching: filter)
                }
            }
            for case var lines? in lines {
                while true {
                    let count = try lines.forEach(limit: remaining, body)
                    remaining -= count
                    handed += UInt64(count)
                    progress?(handed)
                    releasePagesIfDue(after: count, of: lines)
                    guard remaining > 0 else { return }
                    guard let unread = lines.unread else { break }
                    lines = recordLines(of: unread, matching: filter)
                }
            }
        }
    }

    /// A long read releases the pages it read at least once per this many bytes of lines.
    private static let lineBytesBetweenReleases = 16 << 20

    /// Runs of at most this many records are written by one thread: the caller's.
    private static let linesAlone = 256
    /// A job stops once its lines pass this many bytes, leaving the rest of its records unread.
    static let lineBytesPerJob = 4 << 20

    /// The lines of the records of `run` that pass `filter`, written in a read transaction of
    /// its own, up to about ``lineBytesPerJob`` bytes; an error ends them early, as their failure.
    private func recordLines(of run: RecordRun, matching filter: EventQuery?) -> RecordLines {
        var lines = RecordLines()
        do {
            try read { txn in
                try forEachRecord(in: run, matching: filter, txn) { seq, record in
                    try lines.append(record, seq: seq)
                    guard lines.byteCount < Self.lineBytesPerJob else {
                        lines.unread = run.after(seq)
                        return false
                    }
                    return true
                }
            }
        } catch {
            lines.failure = error
        }
        return lines
    }

    /// The seqs of the most selective indexed conditions, intersected; nil when none is given.
    /// The type index, whose lists are long, is used only alone (the records are checked
    /// against the type anyway), unless `intersectingType`.
    private func candidates(for query: EventQuery, intersectingType: Bool = false, _ txn: borrowing Transaction) throws -> [UInt64]? {
        var lists: [[UInt64]] = []
        if let actor = query.actor { lists.append(try PostingIndex.seqs(for: Array(actor.utf8), in: schema.postings[.actor]!, txn)) }
        if let member = query.member { lists.append(try PostingIndex.seqs(for: Array(member.utf8), in: schema.postings[.member]!, txn)) }
        if let ref = query.ref { lists.append(try PostingIndex.seqs(for: Array(ref.utf8), in: schema.postings[.ref]!, txn)) }
        if lists.isEmpty || intersectingType, let type = query.type { lists.append(try PostingIndex.seqs(for: [type.code], in: schema.postings[.type]!, txn)) }
        if lists.isEmpty, query.since != nil || query.until != nil {
            lists.append(try seqsByDay(from: query.since?.day, through: query.until?.day, txn))
        }
        guard var result = lists.first else { return nil }
        for other in lists.dropFirst() {
            let keep = Set(other)
            result = result.filter(keep.contains)
        }
        return result
    }

    func seqsByDay(from first: Int64?, through last: Int64?, _ txn: borrowing Transaction) throws -> [UInt64] {
        var seqs: [UInt64] = []
        try forEachDayBlock(from: first, through: last, txn) { key, value in try PostingIndex.decodeBlock(key: key, value: value) { seqs.append($0) } }
        return seqs.sorted()
    }

    /// Calls `body` with each block of the posting index `kind`, in key order (a key's blocks
    /// in seq order): the key it is stored under, and the block's own key and value, which
    /// ``PostingIndex/decodeBlock(key:value:_:)`` reads.
    func forEachPostingBlock(
        of kind: PostingIndex.Kind, _ txn: borrowing Transaction,
        _ body: (_ name: UnsafeRawBufferPointer, _ key: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) throws -> Void
    ) throws {
        try txn.withCursor(schema.postings[kind]!) { cursor in
            var entry = try cursor.first()
            while let (key, value) = entry {
                try body(try PostingIndex.indexKey(ofBlockKey: key), key, value)
                entry = try cursor.next()
            }
        }
    }

    /// Calls `body` with the key and value of each block of the day index for the days
    /// `first` through `last` (from the first day, or to the last, when nil), in key order.
    func forEachDayBlock(
        from first: Int64?, through last: Int64?, _ txn: borrowing Transaction, _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Void
    ) throws {
        let start = PostingIndex.blockKey(ByteWriter.key(UInt64(bigEndian: IndexEntries.dayKey(first ?? Int64.min))), firstSeq: 0)
        let end = last.map { ByteWriter.key(UInt64(bigEndian: IndexEntries.dayKey($0))) }
        try txn.withCursor(schema.postings[.day]!) { cursor in
            var entry = try cursor.seek(start)
            while let (key, value) = entry {
                let day = try PostingIndex.indexKey(ofBlockKey: key)
                if let end, !(day.lexicographicallyPrecedes(end) || day.elementsEqual(end)) { break }
                try body(key, value)
                entry = try cursor.next()
            }
        }
    }
}
