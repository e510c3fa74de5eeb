internal import LMDB

extension Ledger {
    /// Rebuilds everything the ledger derives from the log (the id and posting indexes,
    /// the entity registries, the points balances and the stored projections under the
    /// built-in rules) by replaying it, in one transaction: a crash leaves the previous
    /// state. The log itself is never changed.
    /// - Returns: the number of events replayed.
    @discardableResult
    public func rebuild(progress: ((UInt64) -> Void)? = nil) throws -> UInt64 {
        try write { txn in
            for db in [schema.ids, schema.entities, schema.balances] + PostingIndex.Kind.allCases.map({ schema.postings[$0]! }) {
                try txn.clear(db)
            }
            try schema.projection.clear(schema.meta, txn)
            let session = try AppendSession(schema: schema, txn, storedRules: storedRules, rebuilding: true,
                                            pages: PageReleaser(release: environment.releaseMappedPages))
            var count: UInt64 = 0
            try txn.withCursor(schema.events) { cursor in
                var entry = try cursor.first()
                while let (key, value) = entry {
                    let seq = ByteReader.uint64(key) ?? 0
                    do { try session.reindex(value, txn) } catch let error as DecodeError {
                        throw LedgerError.corrupted(seq: seq, reason: "\(error)")
                    }
                    count += 1
                    if count & 0xFFFF == 0 { progress?(count) }
                    entry = try cursor.next()
                }
            }
            try session.flush(txn)
            return count
        }
    }
}
