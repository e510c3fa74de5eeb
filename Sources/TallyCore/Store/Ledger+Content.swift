internal import LMDB

extension Ledger {
    /// Every post up to `atSeq` (the head when nil), in seq order, with the replies of its
    /// thread and the votes on it (``ContentTally``).
    ///
    /// Read in one pass over the log's records (the posts, replies and votes are most of a
    /// community's events, so the type index would save little), no rules involved.
    public func content(atSeq: UInt64? = nil) throws -> [ContentLine] {
        try read { txn in
            var tally = ContentTally()
            try forEachRecord(through: min(atSeq ?? .max, try Self.lastSeq(schema, txn)), txn) { _, record in tally.add(record) }
            return tally.results()
        }
    }
}
