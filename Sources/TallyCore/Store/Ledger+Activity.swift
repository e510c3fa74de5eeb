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
            let events = try indexedEvents(upTo: atSeq, txn)
            var lines: [Int64: ActivityLine] = [:]
            var active = Set<ActiveMember>()
            for seq in stride(from: 1, through: events.last, by: 1) where events.days[seq] != .min && days?.contains(events.days[seq]) ?? true {
                let start = period.start(ofDay: events.days[seq])
                lines[start, default: ActivityLine(period: period, start: start)].add(type: events.types[seq])
                let actor = events.actors[seq]
                guard actor >= 0 else { continue }
                if active.insert(ActiveMember(start: start, actor: actor)).inserted { lines[start]!.activeMembers += 1 }
                if events.firstSeqs[Int(actor)] == UInt64(seq) { lines[start]!.newMembers += 1 }
            }
            guard let first = lines.keys.min(), let last = lines.keys.max() else { return [] }
            return period.starts(from: first, through: last).map { lines[$0] ?? ActivityLine(period: period, start: $0) }
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
