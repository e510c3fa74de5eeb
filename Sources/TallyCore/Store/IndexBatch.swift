internal import LMDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The index entries of the events appended since the last flush: event ids and posting
/// keys, with their bytes in one arena and the entries as flat records, so that buffering
/// an entry allocates nothing. ``write(_:_:)`` sorts them once and writes the id entries and
/// one posting block per key, in key order.
struct IndexBatch {
    private struct Entry {
        /// 0 for an event id, else a ``PostingIndex/Kind``.
        var kind: UInt8
        /// The key's first 8 bytes, big-endian and zero-padded: most comparisons stop here.
        var prefix: UInt64
        var offset: UInt32
        var length: UInt32
        var seq: UInt64
    }

    private var arena: [UInt8] = []
    private var entries: [Entry] = []
    /// Id fingerprint → index of its entry; ids whose fingerprint is taken go to `overflow`.
    private var ids: [UInt64: Int32] = [:]
    private var overflow: [ByteKey: UInt64] = [:]

    var isEmpty: Bool { entries.isEmpty }

    /// Records that event `id` is at `seq`.
    mutating func add(id: UnsafeRawBufferPointer, seq: UInt64) {
        let fingerprint = Self.fingerprint(id)
        if ids[fingerprint] != nil {
            overflow[ByteKey(Array(id))] = seq
        } else {
            ids[fingerprint] = Int32(entries.count)
        }
        append(kind: 0, key: id, seq: seq)
    }

    /// The seq of event `id` if it was added since the last write.
    func seq(ofID id: UnsafeRawBufferPointer) -> UInt64? {
        if let index = ids[Self.fingerprint(id)], bytes(of: entries[Int(index)]).hasSameBytes(as: id) {
            return entries[Int(index)].seq
        }
        return overflow.isEmpty ? nil : overflow[ByteKey(Array(id))]
    }

    /// Records a posting-index entry.
    mutating func add(_ kind: PostingIndex.Kind, key: UnsafeRawBufferPointer, seq: UInt64) {
        append(kind: kind.rawValue, key: key, seq: seq)
    }

    private mutating func append(kind: UInt8, key: UnsafeRawBufferPointer, seq: UInt64) {
        var prefix: UInt64 = 0
        for index in 0..<min(8, key.count) { prefix |= UInt64(key[index]) << (56 - 8 * UInt64(index)) }
        entries.append(Entry(kind: kind, prefix: prefix, offset: UInt32(arena.count), length: UInt32(key.count), seq: seq))
        arena.append(contentsOf: key)
    }

    private func bytes(of entry: Entry) -> UnsafeRawBufferPointer {
        arena.withUnsafeBytes { UnsafeRawBufferPointer(rebasing: $0[Int(entry.offset)..<Int(entry.offset + entry.length)]) }
    }

    /// Writes every buffered entry and empties the batch, ticking `pages` once per key.
    mutating func write(_ schema: Schema, _ txn: borrowing Transaction, pages: PageReleaser) throws {
        try arena.withUnsafeBytes { arena in
            func key(_ entry: Entry) -> UnsafeRawBufferPointer {
                UnsafeRawBufferPointer(rebasing: arena[Int(entry.offset)..<Int(entry.offset + entry.length)])
            }
            func order(_ a: Entry, _ b: Entry) -> Int32 {
                if a.kind != b.kind { return a.kind < b.kind ? -1 : 1 }
                if a.prefix != b.prefix { return a.prefix < b.prefix ? -1 : 1 }
                let common = Int(min(a.length, b.length))
                if common > 8 {
                    let result = memcmp(arena.baseAddress! + Int(a.offset), arena.baseAddress! + Int(b.offset), common)
                    if result != 0 { return result }
                }
                return a.length == b.length ? 0 : (a.length < b.length ? -1 : 1)
            }
            entries.sort { a, b in
                let result = order(a, b)
                return result != 0 ? result < 0 : a.seq < b.seq
            }
            var seqs: [UInt64] = []
            var start = 0
            while start < entries.count {
                pages.tick()
                var end = start + 1
                while end < entries.count, order(entries[start], entries[end]) == 0 { end += 1 }
                let first = entries[start]
                if first.kind == 0 {
                    for entry in entries[start..<end] {
                        try withUnsafeBytes(of: entry.seq.bigEndian) { try txn.put(schema.ids, key: key(entry), value: $0) }
                    }
                } else {
                    seqs.removeAll(keepingCapacity: true)
                    for entry in entries[start..<end] { seqs.append(entry.seq) }
                    let kind = PostingIndex.Kind(rawValue: first.kind)!
                    try PostingIndex.writeBlock(key: key(first), seqs: seqs, to: schema.postings[kind]!, txn)
                }
                start = end
            }
        }
        arena.removeAll(keepingCapacity: true)
        entries.removeAll(keepingCapacity: true)
        ids.removeAll(keepingCapacity: true)
        overflow.removeAll()
    }

    private static func fingerprint(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        Fingerprint.of(index: 0, key: bytes, seq: 0)
    }
}
