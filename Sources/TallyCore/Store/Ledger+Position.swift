internal import LMDB

extension Ledger {
    /// The position of the log as of `time`: the seq just before the first event (by seq)
    /// whose `time` is later, or the last seq when none is; 0 when the first event is.
    ///
    /// The events up to it form the longest prefix of the log that happened at or before
    /// `time`: when events were appended in time order, exactly those of `time` and before.
    /// An event appended late with an earlier time is left out with everything after the
    /// first later event, as `--at` leaves out every event after its seq.
    ///
    /// Found through the day index: the first seq of the days after `time`'s, and the
    /// records of `time`'s own day.
    public func seq(asOf time: Timestamp) throws -> UInt64 {
        try read { txn in
            var firstLater = try seqsByDay(from: time.day + 1, through: nil, txn).first ?? .max
            for seq in try seqsByDay(from: time.day, through: time.day, txn) where seq < firstLater {
                guard let event = try schema.recordView(at: seq, txn) else { continue }
                if event.time > time {
                    firstLater = seq
                    break
                }
            }
            return firstLater == .max ? try Self.lastSeq(schema, txn) : firstLater - 1
        }
    }
}
