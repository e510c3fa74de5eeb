internal import LMDB

/// Key-value pairs bound for one database, in key order once sorted (each kind has its
/// `sort()`): what a flush writes, and what `verify --projections` compares with the stored
/// tables.
protocol KeyOrderedPairs: Sendable {
    /// The database the pairs are bound for.
    var database: Database { get }

    /// Calls `body` with each pair, key then value, in their order. The buffers are valid
    /// only during the call.
    func forEachPair(_ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Void) rethrows
}

extension KeyOrderedPairs {
    /// Writes every pair in their order (see
    /// ``SortedWrites/writingInKeyOrder(to:_:_:)``). `pages` is ticked once per write, and
    /// `written` records each key.
    func write(_ txn: borrowing Transaction, pages: PageReleaser, written: WrittenKeys) throws {
        try SortedWrites.writingInKeyOrder(to: database, txn) { cursor, flags in
            try written.recording(into: database) { record in
                try forEachPair { key, value in
                    pages.tick()
                    try cursor.put(key: key, value: value, flags: flags)
                    record(key)
                }
            }
        }
    }

    /// Where the pairs, sorted, and the database's entries first differ, if they do: the key
    /// and what differs there. `pages` is ticked once per pair.
    func firstDifference(_ txn: borrowing Transaction, pages: PageReleaser) throws -> (key: [UInt8], problem: String)? {
        try txn.withCursor(database) { cursor in
            var difference: (key: [UInt8], problem: String)?
            var stored = try cursor.first()
            try forEachPair { key, value in
                guard difference == nil else { return }
                pages.tick()
                guard let (storedKey, storedValue) = stored else { return difference = (Array(key), "in a replay of the log, but not stored") }
                if storedKey.lexicographicallyPrecedes(key) { return difference = (Array(storedKey), "stored, but not in a replay of the log") }
                guard storedKey.elementsEqual(key) else { return difference = (Array(key), "in a replay of the log, but not stored") }
                guard storedValue.elementsEqual(value) else { return difference = (Array(key), "stored with a value other than a replay's") }
                stored = try cursor.next()
            }
            if difference == nil, let (storedKey, _) = stored { difference = (Array(storedKey), "stored, but not in a replay of the log") }
            return difference
        }
    }
}
