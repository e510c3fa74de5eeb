internal import LMDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Key-value pairs bound for one database, their bytes in one arena: adding a pair
/// allocates nothing, and ``write(_:_:append:)`` sorts them once and writes them in key
/// order, so that neighbouring keys share B-tree pages.
struct SortedWrites {
    private struct Entry {
        /// The key's first 8 bytes, big-endian and zero-padded: most comparisons stop here.
        var prefix: UInt64
        var start: Int
        var keyLength: Int
        var valueLength: Int
    }

    private var arena = ByteWriter(capacity: 1 << 16)
    private var entries: [Entry] = []

    /// Adds a pair whose key and value `encodeKey` and `encodeValue` append to the writer.
    mutating func add(key encodeKey: (inout ByteWriter) -> Void, value encodeValue: (inout ByteWriter) -> Void) {
        let start = arena.bytes.count
        encodeKey(&arena)
        let keyEnd = arena.bytes.count
        encodeValue(&arena)
        var prefix: UInt64 = 0
        for index in 0..<8 { prefix = prefix << 8 | UInt64(start + index < keyEnd ? arena.bytes[start + index] : 0) }
        entries.append(Entry(prefix: prefix, start: start, keyLength: keyEnd - start, valueLength: arena.bytes.count - keyEnd))
    }

    /// Writes every pair in key order; with `append`, each as an `MDB_APPEND` (the database
    /// must be empty, or hold only smaller keys). `pages` is ticked once per write.
    mutating func write(_ db: Database, _ txn: borrowing Transaction, append: Bool, pages: PageReleaser) throws {
        try arena.bytes.withUnsafeBytes { arena in
            entries.sort { a, b in
                if a.prefix != b.prefix { return a.prefix < b.prefix }
                let common = min(a.keyLength, b.keyLength)
                let order = common > 8 ? memcmp(arena.baseAddress! + a.start, arena.baseAddress! + b.start, common) : 0
                return order != 0 ? order < 0 : a.keyLength < b.keyLength
            }
            for entry in entries {
                pages.tick()
                let key = UnsafeRawBufferPointer(rebasing: arena[entry.start..<(entry.start + entry.keyLength)])
                let valueStart = entry.start + entry.keyLength
                let value = UnsafeRawBufferPointer(rebasing: arena[valueStart..<(valueStart + entry.valueLength)])
                try txn.put(db, key: key, value: value, flags: append ? .append : [])
            }
        }
        arena.bytes.removeAll()
        entries.removeAll()
    }
}
