internal import LMDB

/// Key-value pairs bound for one database, their bytes in one arena: adding a pair
/// allocates nothing, and ``sort()`` orders them once so that ``KeyOrderedPairs/write(_:pages:written:)``
/// puts them in key order and neighbouring keys share B-tree pages.
///
/// Each pair has a 64-bit order. Pairs added with ``add(key:value:)`` take their key's first
/// 8 bytes and fall back to comparing whole keys; pairs added with
/// ``add(order:key:value:)`` give an order that alone sorts them as their keys' bytes would,
/// so sorting compares integers only. One batch uses one kind.
struct SortedWrites: KeyOrderedPairs, @unchecked Sendable {  // sorted on a worker thread, then written by its owner
    private struct Entry {
        var order: UInt64
        var start: Int
        var keyLength: Int
        var valueLength: Int
    }

    let database: Database
    private var arena = ByteWriter(capacity: 1 << 16)
    private var entries: [Entry] = []
    /// Whether every order was given by the caller.
    private var ordersAreExact = false

    /// Pairs for `database`, with room for `pairs` pairs of `bytes` bytes in all: adding up
    /// to that many never moves the arena or the entries (a copy, and in a fresh allocation
    /// every page faulted twice).
    init(_ database: Database, pairs: Int = 0, bytes: Int = 1 << 16) {
        self.database = database
        arena = ByteWriter(capacity: bytes)
        entries.reserveCapacity(pairs)
    }

    /// Adds a pair whose key and value `encodeKey` and `encodeValue` append to the writer.
    mutating func add(key encodeKey: (inout ByteWriter) -> Void, value encodeValue: (inout ByteWriter) -> Void) {
        let start = arena.bytes.count
        encodeKey(&arena)
        let keyEnd = arena.bytes.count
        encodeValue(&arena)
        let prefix = arena.bytes.withUnsafeBytes { UnsafeRawBufferPointer(rebasing: $0[start..<keyEnd]).keyPrefix }
        entries.append(Entry(order: prefix, start: start, keyLength: keyEnd - start, valueLength: arena.bytes.count - keyEnd))
    }

    /// Adds a pair whose place is `order`: distinct per key, and ordered as the keys' bytes are.
    mutating func add(order: UInt64, key encodeKey: (inout ByteWriter) -> Void, value encodeValue: (inout ByteWriter) -> Void) {
        ordersAreExact = true
        let start = arena.bytes.count
        encodeKey(&arena)
        let keyEnd = arena.bytes.count
        encodeValue(&arena)
        entries.append(Entry(order: order, start: start, keyLength: keyEnd - start, valueLength: arena.bytes.count - keyEnd))
    }

    /// Puts the pairs in key order, their bytes too.
    mutating func sort() {
        if ordersAreExact {
            entries.sortByRadix { $0.order }
        } else {
            arena.bytes.withUnsafeBytes { arena in
                entries.sort { a, b in
                    a.order != b.order ? a.order < b.order : Self.pair(a, in: arena).key.keyOrder(comparedTo: Self.pair(b, in: arena).key) < 0
                }
            }
        }
        gatherInOrder()
    }

    /// Copies the pairs' bytes into a new arena in their sorted order. Added in the order of
    /// a hash table, they lie all over the arena: read in key order while writing, each pair
    /// would miss the cache (and, in an arena of tens of megabytes, the TLB) inside LMDB's
    /// put. Gathered in one loop, whose reads do not wait on each other, the misses overlap.
    private mutating func gatherInOrder() {
        var sorted = ByteWriter(capacity: arena.bytes.count)
        arena.bytes.withUnsafeBytes { arena in
            for index in entries.indices {
                let length = entries[index].keyLength + entries[index].valueLength
                let start = sorted.bytes.count
                sorted.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: arena[entries[index].start..<(entries[index].start + length)]))
                entries[index].start = start
            }
        }
        arena = sorted
    }

    func forEachPair(_ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> Void) rethrows {
        try arena.bytes.withUnsafeBytes { arena in
            for entry in entries {
                let (key, value) = Self.pair(entry, in: arena)
                try body(key, value)
            }
        }
    }

    /// Calls `body` with a cursor on `db` and the flags for writes in key order through it,
    /// which every batch of writes in key order uses. Through one cursor, LMDB looks for a
    /// key's place on the cursor's page before descending from the root. The flags are
    /// `MDB_APPEND` while `db` is empty, which fills each page before starting the next.
    static func writingInKeyOrder<R>(
        to db: Database, _ txn: borrowing Transaction, _ body: (borrowing Cursor, PutFlags) throws -> R
    ) throws -> R {
        let flags: PutFlags = try txn.count(db) == 0 ? .append : []
        return try txn.withCursor(db) { try body($0, flags) }
    }

    /// The key and value bytes of `entry`.
    private static func pair(_ entry: Entry, in arena: UnsafeRawBufferPointer) -> (key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer) {
        let valueStart = entry.start + entry.keyLength
        return (UnsafeRawBufferPointer(rebasing: arena[entry.start..<valueStart]),
                UnsafeRawBufferPointer(rebasing: arena[valueStart..<(valueStart + entry.valueLength)]))
    }
}
