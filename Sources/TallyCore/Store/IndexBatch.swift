internal import LMDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// The index entries of the events appended since the last flush: event ids and posting
/// keys, with their bytes in one arena and the entries as flat records, one list per
/// index, so that buffering an entry allocates nothing. ``write(_:_:pages:written:)``
/// sorts the lists on every core and writes the id entries and one posting block per
/// key, in key order.
struct IndexBatch {
    private struct Entry {
        /// The key's first 8 bytes, big-endian and zero-padded: most comparisons stop here.
        var prefix: UInt64
        var offset: UInt32
        var length: UInt32
        var seq: UInt64
    }

    private var arena: [UInt8] = []
    /// Index 0: event ids; then one list per ``PostingIndex/Kind``, at its raw value.
    private var entries = [[Entry]](repeating: [], count: PostingIndex.Kind.allCases.count + 1)
    /// Id fingerprint → index of its entry; ids whose fingerprint is taken go to `overflow`.
    private var ids: [UInt64: Int32] = [:]
    private var overflow: [ByteKey: UInt64] = [:]

    /// Records that event `id` is at `seq`.
    mutating func add(id: UnsafeRawBufferPointer, seq: UInt64) {
        let fingerprint = Self.fingerprint(id)
        if ids[fingerprint] != nil {
            overflow[ByteKey(Array(id))] = seq
        } else {
            ids[fingerprint] = Int32(entries[0].count)
        }
        append(to: 0, key: id, seq: seq)
    }

    /// The seq of event `id` if it was added since the last write.
    func seq(ofID id: UnsafeRawBufferPointer) -> UInt64? {
        if let index = ids[Self.fingerprint(id)], bytes(of: entries[0][Int(index)]).hasSameBytes(as: id) {
            return entries[0][Int(index)].seq
        }
        return overflow.isEmpty ? nil : overflow[ByteKey(Array(id))]
    }

    /// Records a posting-index entry.
    mutating func add(_ kind: PostingIndex.Kind, key: UnsafeRawBufferPointer, seq: UInt64) {
        append(to: Int(kind.rawValue), key: key, seq: seq)
    }

    private mutating func append(to list: Int, key: UnsafeRawBufferPointer, seq: UInt64) {
        var prefix: UInt64 = 0
        for index in 0..<min(8, key.count) { prefix |= UInt64(key[index]) << (56 - 8 * UInt64(index)) }
        entries[list].append(Entry(prefix: prefix, offset: UInt32(arena.count), length: UInt32(key.count), seq: seq))
        arena.append(contentsOf: key)
    }

    private func bytes(of entry: Entry) -> UnsafeRawBufferPointer {
        arena.withUnsafeBytes { UnsafeRawBufferPointer(rebasing: $0[Int(entry.offset)..<Int(entry.offset + entry.length)]) }
    }

    /// Writes every buffered entry and empties the batch, ticking `pages` once per key and
    /// recording the event ids in `written`.
    mutating func write(_ schema: Schema, _ txn: borrowing Transaction, pages: PageReleaser, written: WrittenKeys) throws {
        try arena.withUnsafeBytes { arena in
            func key(_ entry: Entry) -> UnsafeRawBufferPointer {
                UnsafeRawBufferPointer(rebasing: arena[Int(entry.offset)..<Int(entry.offset + entry.length)])
            }
            Self.sort(&entries, keysIn: arena)
            for entry in entries[0] {
                pages.tick()
                try withUnsafeBytes(of: entry.seq.bigEndian) { try txn.put(schema.ids, key: key(entry), value: $0) }
                written.insert(key(entry), into: schema.ids)
            }
            var seqs: [UInt64] = [], scratch = ByteWriter(capacity: 1 << 12)
            for kind in PostingIndex.Kind.allCases {
                let list = entries[Int(kind.rawValue)], db = schema.postings[kind]!
                var start = 0
                while start < list.count {
                    pages.tick()
                    seqs.removeAll(keepingCapacity: true)
                    var end = start
                    while end < list.count, Self.order(list[start], list[end], arena) == 0 {
                        seqs.append(list[end].seq)
                        end += 1
                    }
                    try PostingIndex.writeBlock(key: key(list[start]), seqs: seqs, to: db, txn, scratch: &scratch)
                    start = end
                }
            }
        }
        arena.removeAll(keepingCapacity: true)
        for list in entries.indices { entries[list].removeAll(keepingCapacity: true) }
        ids.removeAll(keepingCapacity: true)
        overflow.removeAll()
    }

    /// Sorts each list by key bytes, then `seq`, the lists shared between the cores.
    private static func sort(_ entries: inout [[Entry]], keysIn arena: UnsafeRawBufferPointer) {
        entries.withUnsafeMutableBufferPointer { lists in
            nonisolated(unsafe) let lists = lists  // each worker sorts its own list
            nonisolated(unsafe) let arena = arena  // and only reads the keys
            DispatchQueue.concurrentPerform(iterations: lists.count) { list in
                lists[list].sort { a, b in
                    let result = order(a, b, arena)
                    return result != 0 ? result < 0 : a.seq < b.seq
                }
            }
        }
    }

    /// How the keys of `a` and `b` compare, as `memcmp` does.
    private static func order(_ a: Entry, _ b: Entry, _ arena: UnsafeRawBufferPointer) -> Int32 {
        if a.prefix != b.prefix { return a.prefix < b.prefix ? -1 : 1 }
        let common = Int(min(a.length, b.length))
        if common > 8 {
            let result = memcmp(arena.baseAddress! + Int(a.offset), arena.baseAddress! + Int(b.offset), common)
            if result != 0 { return result }
        }
        return a.length == b.length ? 0 : (a.length < b.length ? -1 : 1)
    }

    private static func fingerprint(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        Fingerprint.of(index: 0, key: bytes, seq: 0)
    }
}
