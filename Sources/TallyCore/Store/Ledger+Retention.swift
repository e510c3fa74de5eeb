internal import LMDB

extension Ledger {
    /// The members' retention per `period`, up to `atSeq` (the head when nil): a cohort for
    /// every period from the first in which members made their first event to the last (those
    /// with none included), of the members first seen on the UTC days `days` (any day when
    /// nil), in time order, each with how many of its members were active in each period since.
    /// An event dated before its member's first (appended late) counts in no period.
    ///
    /// Read from the type, actor and day indexes alone: no record is read.
    public func retention(by period: ActivityPeriod, days: ClosedRange<Int64>? = nil, atSeq: UInt64? = nil) throws -> [RetentionCohort] {
        try read { txn in
            let events = try indexedEvents(upTo: atSeq, txn)
            var lastOrdinal = Int64.min
            for seq in stride(from: 1, through: events.last, by: 1) where events.days[seq] != .min {
                lastOrdinal = max(lastOrdinal, period.ordinal(ofStart: period.start(ofDay: events.days[seq])))
            }
            func cohort(starting start: Int64) -> RetentionCohort {
                RetentionCohort(period: period, start: start, members: 0,
                                active: Array(repeating: 0, count: Int(lastOrdinal - period.ordinal(ofStart: start)) + 1))
            }
            var cohorts: [Int64: RetentionCohort] = [:]
            var counted = Set<UInt64>()  // actor ‖ periods since its first: counted once
            for seq in stride(from: 1, through: events.last, by: 1) where events.actors[seq] >= 0 && events.days[seq] != .min {
                let actor = Int(events.actors[seq])
                let firstDay = events.days[Int(events.firstSeqs[actor])]
                guard firstDay != .min, days?.contains(firstDay) ?? true else { continue }
                let start = period.start(ofDay: firstDay)
                let since = period.ordinal(ofStart: period.start(ofDay: events.days[seq])) - period.ordinal(ofStart: start)
                guard since >= 0, counted.insert(UInt64(actor) << 32 | UInt64(since)).inserted else { continue }
                cohorts[start, default: cohort(starting: start)].active[Int(since)] += 1
            }
            guard let first = cohorts.keys.min(), let last = cohorts.keys.max() else { return [] }
            return period.starts(from: first, through: last).map { start in
                var found = cohorts[start] ?? cohort(starting: start)
                found.members = found.active[0]
                return found
            }
        }
    }
}
