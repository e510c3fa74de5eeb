internal import LMDB

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
    /// Calls `body` with every stored event from `fromSeq` on, in `seq` order.
    public func export(fromSeq: UInt64 = 1, _ body: (StoredEvent) throws -> Void) throws {
        try forEachRecord(fromSeq: fromSeq) { seq, record in try body(try Self.decode(record, seq: seq)) }
    }

    /// Calls `body` with the NDJSON line (no newline) of every stored event from `fromSeq`
    /// on, written straight from the stored record. The bytes are valid only during the call.
    public func exportLines(fromSeq: UInt64 = 1, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let writer = JSONWriter()
        try forEachRecord(fromSeq: fromSeq) { seq, record in try Self.writeLine(record, seq: seq, writer, body) }
    }

    /// Calls `body` with the events matching `query`, in `seq` order, found through the
    /// indexes (a scan of the log only when no indexed condition is given).
    public func query(_ query: EventQuery, _ body: (StoredEvent) throws -> Void) throws {
        try forEachRecord(matching: query) { seq, record in try body(try Self.decode(record, seq: seq)) }
    }

    /// Calls `body` with the NDJSON line (no newline) of each event matching `query`.
    public func queryLines(_ query: EventQuery, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        let writer = JSONWriter()
        try forEachRecord(matching: query) { seq, record in try Self.writeLine(record, seq: seq, writer, body) }
    }

    private static func decode(_ record: UnsafeRawBufferPointer, seq: UInt64) throws -> StoredEvent {
        do { return try EventRecord.decode(record) } catch { throw LedgerError.corrupted(seq: seq, reason: "\(error)") }
    }

    private static func writeLine(_ record: UnsafeRawBufferPointer, seq: UInt64, _ writer: JSONWriter, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        writer.removeAll()
        do { try EventRecord.writeJSONLine(record, into: writer) } catch { throw LedgerError.corrupted(seq: seq, reason: "\(error)") }
        try writer.withUnsafeBytes(body)
    }

    /// Every stored record from `fromSeq` on, in order.
    private func forEachRecord(fromSeq: UInt64, _ body: (UInt64, UnsafeRawBufferPointer) throws -> Void) throws {
        try read { txn in
            try txn.withCursor(schema.events) { cursor in
                var entry = try cursor.seek(ByteWriter.key(fromSeq))
                while let (key, value) = entry {
                    try body(ByteReader.uint64(key) ?? 0, value)
                    entry = try cursor.next()
                }
            }
        }
    }

    /// The stored records matching `query`, in order, up to its limit.
    private func forEachRecord(matching query: EventQuery, _ body: (UInt64, UnsafeRawBufferPointer) throws -> Void) throws {
        try read { txn in
            var remaining = query.limit ?? Int.max
            guard remaining > 0 else { return }
            func offer(_ seq: UInt64, _ record: UnsafeRawBufferPointer, check: Bool = true) throws {
                if check {
                    let view: RecordView
                    do { view = try RecordView(record: record) } catch { throw LedgerError.corrupted(seq: seq, reason: "\(error)") }
                    guard query.matches(view) else { return }
                }
                try body(seq, record)
                remaining -= 1
            }
            guard let candidates = try candidates(for: query, txn) else {
                try txn.withCursor(schema.events) { cursor in
                    var entry = try cursor.seek(ByteWriter.key(query.fromSeq))
                    while let (key, value) = entry, remaining > 0 {
                        try offer(ByteReader.uint64(key) ?? 0, value)
                        entry = try cursor.next()
                    }
                }
                return
            }
            for seq in candidates where seq >= query.fromSeq {
                guard remaining > 0 else { break }
                try withUnsafeBytes(of: seq.bigEndian) { key in
                    try txn.withValue(schema.events, key: key) { value in if let value { try offer(seq, value, check: query.needsRecordCheck) } }
                }
            }
        }
    }

    /// The seqs of the most selective indexed conditions, intersected; nil when none is given.
    private func candidates(for query: EventQuery, _ txn: borrowing Transaction) throws -> [UInt64]? {
        var lists: [[UInt64]] = []
        if let actor = query.actor { lists.append(try PostingIndex.seqs(for: Array(actor.utf8), in: schema.postings[.actor]!, txn)) }
        if let member = query.member { lists.append(try PostingIndex.seqs(for: Array(member.utf8), in: schema.postings[.member]!, txn)) }
        if let ref = query.ref { lists.append(try PostingIndex.seqs(for: Array(ref.utf8), in: schema.postings[.ref]!, txn)) }
        if lists.isEmpty, let type = query.type { lists.append(try PostingIndex.seqs(for: [type.code], in: schema.postings[.type]!, txn)) }
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

    private func seqsByDay(from first: Int64?, through last: Int64?, _ txn: borrowing Transaction) throws -> [UInt64] {
        var seqs: [UInt64] = []
        let db = schema.postings[.day]!
        let start = PostingIndex.blockKey(ByteWriter.key(UInt64(bigEndian: IndexEntries.dayKey(first ?? Int64.min))), firstSeq: 0)
        let end = last.map { ByteWriter.key(UInt64(bigEndian: IndexEntries.dayKey($0))) }
        try txn.withCursor(db) { cursor in
            var entry = try cursor.seek(start)
            while let (key, value) = entry {
                let day = try PostingIndex.indexKey(ofBlockKey: key)
                if let end, !(day.lexicographicallyPrecedes(end) || day.elementsEqual(end)) { break }
                try PostingIndex.decodeBlock(key: key, value: value) { seqs.append($0) }
                entry = try cursor.next()
            }
        }
        return seqs.sorted()
    }
}
