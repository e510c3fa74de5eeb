internal import LMDB
import Dispatch

/// The index entries of the events appended since the last write: event ids, with their
/// bytes in one arena and the entries as flat records, and one ``PostingBuffer`` per
/// posting index, so that buffering an entry allocates nothing.
/// ``write(_:_:pages:written:)`` sorts them on every core and writes the id entries and
/// one posting block per key, in key order, appending when a database is empty.
struct IndexBatch {
    private struct Entry {
        /// The key's first 8 bytes, big-endian and zero-padded: most comparisons stop here.
        var prefix: UInt64
        var offset: UInt32
        var length: UInt32
        var seq: UInt64
    }

    private var arena: [UInt8] = []
    private var idEntries: [Entry] = []
    /// One buffer per ``PostingIndex/Kind``, at its raw value minus one.
    private var postings = [PostingBuffer](repeating: PostingBuffer(), count: PostingIndex.Kind.allCases.count)
    /// Id fingerprint → index of its entry; ids whose fingerprint is taken go to `overflow`.
    private var ids = IntegerTable<Int32>()
    private var overflow: [ByteKey: UInt64] = [:]

    /// How many entries a batch of a long import holds before it is written: about 400,000 events of
    /// the standard mix (five entries each), 60 MB with the registry changes that go with
    /// them. Larger batches write fewer, larger posting blocks, but a 10M-event import then
    /// passes 1 GiB (6,000,000 entries peaked at 1,070,596 KB).
    static let capacity = 2_000_000

    /// The number of entries buffered.
    var count: Int { idEntries.count + postings.reduce(0) { $0 + $1.count } }

    /// Records that event `id` is at `seq`.
    mutating func add(id: UnsafeRawBufferPointer, seq: UInt64) {
        let fingerprint = Self.fingerprint(id)
        if ids[fingerprint] != nil {
            overflow[ByteKey(Array(id))] = seq
        } else {
            ids[fingerprint] = Int32(idEntries.count)
        }
        idEntries.append(Entry(prefix: id.keyPrefix, offset: UInt32(arena.count), length: UInt32(id.count), seq: seq))
        arena.append(contentsOf: id)
    }

    /// The seq of event `id` if it was added since the last write.
    func seq(ofID id: UnsafeRawBufferPointer) -> UInt64? {
        if let index = ids[Self.fingerprint(id)], bytes(of: idEntries[Int(index)]).hasSameBytes(as: id) {
            return idEntries[Int(index)].seq
        }
        return overflow.isEmpty ? nil : overflow[ByteKey(Array(id))]
    }

    /// Records a posting-index entry; seqs come in ascending order.
    mutating func add(_ kind: PostingIndex.Kind, key: UnsafeRawBufferPointer, seq: UInt64) {
        postings[Int(kind.rawValue) - 1].add(key, seq: seq)
    }

    private func bytes(of entry: Entry) -> UnsafeRawBufferPointer {
        arena.withUnsafeBytes { Self.key(of: entry, in: $0) }
    }

    /// Writes every buffered entry and empties the batch, ticking `pages` once per key and
    /// recording the event ids in `written`. A database that is empty is appended to.
    mutating func write(_ schema: Schema, _ txn: borrowing Transaction, pages: PageReleaser, written: WrittenKeys) throws {
        let blocks = sort()
        try arena.withUnsafeBytes { arena in
            try SortedWrites.writingInKeyOrder(to: schema.ids, txn) { cursor, flags in
                for (index, entry) in idEntries.enumerated() {
                    // The same id twice (only a damaged log, reindexed, has it): the later seq is kept.
                    if index + 1 < idEntries.count, Self.order(entry, idEntries[index + 1], arena) == 0 { continue }
                    pages.tick()
                    let key = Self.key(of: entry, in: arena)
                    try withUnsafeBytes(of: entry.seq.bigEndian) { try cursor.put(key: key, value: $0, flags: flags) }
                    written.insert(key, into: schema.ids)
                }
            }
        }
        var scratch = ByteWriter(capacity: 1 << 12)
        for kind in PostingIndex.Kind.allCases {
            try SortedWrites.writingInKeyOrder(to: schema.postings[kind]!, txn) { cursor, flags in
                try blocks[Int(kind.rawValue) - 1].forEach { key, seqs in
                    pages.tick()
                    try PostingIndex.writeBlock(key: key, seqs: seqs, through: cursor, flags: flags, scratch: &scratch)
                }
            }
        }
        arena.removeAll(keepingCapacity: true)
        idEntries.removeAll(keepingCapacity: true)
        for index in postings.indices { postings[index].removeAll() }
        ids.removeAll(keepingCapacity: true)
        overflow.removeAll()
    }

    /// Sorts the id entries by key bytes, their bytes too (see
    /// ``SortedWrites/sort()``), and groups each posting buffer into blocks, the six lists
    /// shared between the cores.
    private mutating func sort() -> [PostingBuffer.Blocks] {
        var blocks = [PostingBuffer.Blocks?](repeating: nil, count: postings.count)
        let postings = postings
        var sortedArena: [UInt8] = []
        arena.withUnsafeBytes { arena in
            idEntries.withUnsafeMutableBufferPointer { idEntries in
                blocks.withUnsafeMutableBufferPointer { blocks in
                    // Each worker writes its own list; the keys are only read.
                    nonisolated(unsafe) var idEntries = idEntries
                    nonisolated(unsafe) var gathered: [UInt8] = []
                    nonisolated(unsafe) let (blocks, arena) = (blocks, arena)
                    DispatchQueue.concurrentPerform(iterations: postings.count + 1) { list in
                        if list < postings.count {
                            blocks[list] = postings[list].blocks()
                        } else {
                            idEntries.sort { a, b in
                                let result = Self.order(a, b, arena)
                                return result != 0 ? result < 0 : a.seq < b.seq
                            }
                            gathered = Self.gather(idEntries, from: arena)
                        }
                    }
                    sortedArena = gathered
                }
            }
        }
        arena = sortedArena
        return blocks.map { $0! }
    }

    /// The bytes of `entries`' ids, copied in the entries' order, which point to them there.
    private static func gather(_ entries: UnsafeMutableBufferPointer<Entry>, from arena: UnsafeRawBufferPointer) -> [UInt8] {
        var gathered: [UInt8] = []
        gathered.reserveCapacity(arena.count)
        for index in entries.indices {
            let (offset, length) = (Int(entries[index].offset), Int(entries[index].length))
            entries[index].offset = UInt32(gathered.count)
            gathered.append(contentsOf: UnsafeRawBufferPointer(rebasing: arena[offset..<(offset + length)]))
        }
        return gathered
    }

    /// How the keys of `a` and `b` compare, as LMDB orders keys.
    private static func order(_ a: Entry, _ b: Entry, _ arena: UnsafeRawBufferPointer) -> Int {
        if a.prefix != b.prefix { return a.prefix < b.prefix ? -1 : 1 }
        return key(of: a, in: arena).keyOrder(comparedTo: key(of: b, in: arena))
    }

    private static func key(of entry: Entry, in arena: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: arena[Int(entry.offset)..<Int(entry.offset + entry.length)])
    }

    private static func fingerprint(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        Fingerprint.of(index: 0, key: bytes, seq: 0)
    }
}
