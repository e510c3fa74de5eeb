internal import LMDB

/// Each event's type, actor and UTC day up to a seq, read from the type, actor and day indexes
/// alone, no record: what `activity` and `retention` count. Arrays are indexed by seq.
struct IndexedEvents {
    /// The last seq held.
    var last: Int
    /// Each event's type code.
    var types: [UInt8]
    /// Each event's actor, numbered in the actor index's key order; -1 where it names none.
    var actors: [Int32]
    /// Each event's day; `Int64.min` where the day index names none.
    var days: [Int64]
    /// Each actor's first event: the least seq the actor index gives it.
    var firstSeqs: [UInt64]
}

extension Ledger {
    /// The ``IndexedEvents`` up to `atSeq` (the head when nil).
    /// - Throws: ``LedgerError/corrupted(seq:reason:)`` when the day index gives an event a
    ///   day no stored time can fall on.
    func indexedEvents(upTo atSeq: UInt64?, _ txn: borrowing Transaction) throws -> IndexedEvents {
        let last = min(atSeq ?? .max, try Self.lastSeq(schema, txn))
        var events = IndexedEvents(last: Int(last), types: .init(repeating: 0, count: Int(last) + 1), actors: .init(repeating: -1, count: Int(last) + 1),
                                   days: .init(repeating: .min, count: Int(last) + 1), firstSeqs: [])
        try forEachSeq(of: .type, upTo: last, txn) { name, seq in events.types[Int(seq)] = name.first ?? 0 }
        try forEachSeq(of: .day, upTo: last, txn) { name, seq in
            let day = IndexEntries.day(ofDayKey: name)
            guard Timestamp.possibleDays.contains(day) else { throw LedgerError.corrupted(seq: seq, reason: "the day index gives it no possible day") }
            events.days[Int(seq)] = day
        }
        // A key's blocks run in seq order, so its first seq is its least.
        var current: [UInt8] = []
        try forEachPostingBlock(of: .actor, txn) { name, key, value in
            if events.firstSeqs.isEmpty || !name.elementsEqual(current) {
                current = Array(name)
                events.firstSeqs.append(.max)
            }
            let actor = events.firstSeqs.count - 1
            try PostingIndex.decodeBlock(key: key, value: value) { seq in
                guard seq <= last else { return }
                events.actors[Int(seq)] = Int32(actor)
                events.firstSeqs[actor] = min(events.firstSeqs[actor], seq)
            }
        }
        return events
    }

    /// Calls `body` with each seq up to `last` of the posting index `kind` and the key it is
    /// stored under.
    private func forEachSeq(
        of kind: PostingIndex.Kind, upTo last: UInt64, _ txn: borrowing Transaction, _ body: (UnsafeRawBufferPointer, UInt64) throws -> Void
    ) throws {
        try forEachPostingBlock(of: kind, txn) { name, key, value in
            try PostingIndex.decodeBlock(key: key, value: value) { seq in if seq <= last { try body(name, seq) } }
        }
    }
}
