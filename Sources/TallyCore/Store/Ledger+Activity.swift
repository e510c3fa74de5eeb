internal import LMDB

extension Ledger {
    /// The log's activity per `period`, up to `atSeq` (the head when nil), counting only the
    /// events whose `time` falls on the UTC days `days` (any day when nil): a line for every
    /// period from the first with events to the last, those without events included (zero
    /// lines, so that a chart of them has no gaps), in time order.
    ///
    /// Read from the type, actor and day indexes alone: no record is read.
    public func activity(by period: ActivityPeriod, days: ClosedRange<Int64>? = nil, atSeq: UInt64? = nil) throws -> [ActivityLine] {
        try read { txn in
            let last = min(atSeq ?? .max, try Self.lastSeq(schema, txn))
            guard last > 0 else { return [] }
            // Each seq's type code, actor (numbered in key order) and day, from the indexes.
            var types = [UInt8](repeating: 0, count: Int(last) + 1)
            var actors = [Int32](repeating: -1, count: Int(last) + 1)
            var eventDays = [Int64](repeating: .min, count: Int(last) + 1)
            var firstSeqs: [UInt64] = []
            try forEachSeq(of: .type, upTo: last, txn) { name, seq in types[Int(seq)] = name.first ?? 0 }
            try forEachSeq(of: .day, upTo: last, txn) { name, seq in
                let day = IndexEntries.day(ofDayKey: name)
                guard Timestamp.possibleDays.contains(day) else { throw LedgerError.corrupted(seq: seq, reason: "the day index gives it no possible day") }
                eventDays[Int(seq)] = day
            }
            // Actors are numbered in key order; a key's blocks run in seq order, so its first
            // seq is its least.
            var current: [UInt8] = []
            try forEachPostingBlock(of: .actor, txn) { name, key, value in
                if firstSeqs.isEmpty || !name.elementsEqual(current) {
                    current = Array(name)
                    firstSeqs.append(.max)
                }
                let actor = Int32(firstSeqs.count - 1)
                try PostingIndex.decodeBlock(key: key, value: value) { seq in
                    guard seq <= last else { return }
                    actors[Int(seq)] = actor
                    firstSeqs[Int(actor)] = min(firstSeqs[Int(actor)], seq)
                }
            }
            var lines: [Int64: ActivityLine] = [:]
            var active = Set<ActiveMember>()
            for seq in 1...Int(last) where eventDays[seq] != .min && days?.contains(eventDays[seq]) ?? true {
                let start = period.start(ofDay: eventDays[seq])
                lines[start, default: ActivityLine(period: period, start: start)].add(type: types[seq])
                guard actors[seq] >= 0 else { continue }
                if active.insert(ActiveMember(start: start, actor: actors[seq])).inserted { lines[start]!.activeMembers += 1 }
                if firstSeqs[Int(actors[seq])] == UInt64(seq) { lines[start]!.newMembers += 1 }
            }
            guard let first = lines.keys.min(), let end = lines.keys.max() else { return [] }
            return sequence(first: first) { period.next(after: $0) }.prefix { $0 <= end }.map { start in
                lines[start] ?? ActivityLine(period: period, start: start)
            }
        }
    }
}

extension Ledger {
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

/// A member active in a period: counted once per period.
private struct ActiveMember: Hashable {
    var start: Int64
    var actor: Int32
}

extension ActivityLine {
    fileprivate mutating func add(type code: UInt8) {
        events += 1
        if code >= 1, Int(code) <= byType.count { byType[Int(code) - 1] += 1 }
    }
}
