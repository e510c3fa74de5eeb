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
    /// Found through the day index: the least first seq of the blocks of the days after
    /// `time`'s (read from their keys), and the records of `time`'s own day.
    public func seq(asOf time: Timestamp) throws -> UInt64 {
        try read { txn in
            var firstLater = UInt64.max  // the least first seq of the later days' blocks
            try forEachDayBlock(from: time.day + 1, through: nil, txn) { key, _ in firstLater = min(firstLater, try PostingIndex.firstSeq(ofBlockKey: key)) }
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
