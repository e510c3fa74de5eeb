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

    func matches(_ event: StoredEvent) -> Bool {
        if let type, event.event.type != type { return false }
        if let actor, event.event.actor != actor { return false }
        if let member, event.event.type != .pointsAward || event.event.string("member") != member { return false }
        if let since, event.event.time < since { return false }
        if let until, event.event.time > until { return false }
        return event.seq >= fromSeq
    }
}

extension Ledger {
    /// Calls `body` with every stored event from `fromSeq` on, in `seq` order.
    public func export(fromSeq: UInt64 = 1, _ body: (StoredEvent) throws -> Void) throws {
        try read { txn in
            try txn.withCursor(schema.events) { cursor in
                var entry = try cursor.seek(ByteWriter.key(fromSeq))
                while let (key, value) = entry {
                    let seq = ByteReader.uint64(key) ?? 0
                    do { try body(try EventRecord.decode(value)) } catch let error as DecodeError {
                        throw LedgerError.corrupted(seq: seq, reason: "\(error)")
                    }
                    entry = try cursor.next()
                }
            }
        }
    }

    /// Calls `body` with the events matching `query`, in `seq` order, found through the
    /// indexes (a scan of the log only when no indexed condition is given).
    public func query(_ query: EventQuery, _ body: (StoredEvent) throws -> Void) throws {
        try read { txn in
            guard let candidates = try candidates(for: query, txn) else {
                var remaining = query.limit ?? Int.max
                guard remaining > 0 else { return }
                try txn.withCursor(schema.events) { cursor in
                    var entry = try cursor.seek(ByteWriter.key(query.fromSeq))
                    while let (_, value) = entry, remaining > 0 {
                        let event = try EventRecord.decode(value)
                        if query.matches(event) { try body(event); remaining -= 1 }
                        entry = try cursor.next()
                    }
                }
                return
            }
            var remaining = query.limit ?? Int.max
            for seq in candidates where seq >= query.fromSeq {
                guard remaining > 0 else { break }
                guard let event = try schema.storedEvent(at: seq, txn) else { continue }
                if query.matches(event) { try body(event); remaining -= 1 }
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
