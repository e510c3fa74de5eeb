internal import LMDB
import Dispatch

/// The index entries of the events appended since the last write: event ids, interned,
/// with their seqs, and one ``PostingBuffer`` per posting index, so that buffering an entry
/// allocates nothing. ``write(_:_:pages:written:)`` sorts them on every core and writes the
/// id entries and one posting block per key, in key order, appending when a database is
/// empty.
struct IndexBatch {
    /// The event ids; `seqs[id]` is where the event with interned id `id` is.
    private var ids = Interner()
    private var seqs: [UInt64] = []
    /// One buffer per ``PostingIndex/Kind``, at its raw value minus one.
    private var postings = [PostingBuffer](repeating: PostingBuffer(), count: PostingIndex.Kind.allCases.count)

    /// How many entries a batch of a long import holds before it is written: about 400,000 events of
    /// the standard mix (five entries each), 60 MB with the registry changes that go with
    /// them. Larger batches write fewer, larger posting blocks, but a 10M-event import then
    /// passes 1 GiB (6,000,000 entries peaked at 1,070,596 KB).
    static let capacity = 2_000_000

    /// The number of entries buffered.
    var count: Int { ids.count + postings.reduce(0) { $0 + $1.count } }

    /// Records that event `id` is at `seq`. The same id again (only a damaged log,
    /// reindexed, has it) keeps the later seq.
    mutating func add(id: UnsafeRawBufferPointer, seq: UInt64) {
        let (interned, isNew) = ids.intern(id)
        if isNew { seqs.append(seq) } else { seqs[Int(interned)] = seq }
    }

    /// The seq of event `id` if it was added since the last write.
    func seq(ofID id: UnsafeRawBufferPointer) -> UInt64? {
        ids.id(of: id).map { seqs[Int($0)] }
    }

    /// Records a posting-index entry; seqs come in ascending order.
    mutating func add(_ kind: PostingIndex.Kind, key: UnsafeRawBufferPointer, seq: UInt64) {
        postings[Int(kind.rawValue) - 1].add(key, seq: seq)
    }

    /// Writes every buffered entry and empties the batch, ticking `pages` once per key and
    /// recording the event ids in `written`. A database that is empty is appended to.
    mutating func write(_ schema: Schema, _ txn: borrowing Transaction, pages: PageReleaser, written: WrittenKeys) throws {
        let (idWrites, blocks) = sort(schema)
        try idWrites.write(txn, pages: pages, written: written)
        var scratch = ByteWriter(capacity: 1 << 12)
        for kind in PostingIndex.Kind.allCases {
            try SortedWrites.writingInKeyOrder(to: schema.postings[kind]!, txn) { cursor, flags in
                try blocks[Int(kind.rawValue) - 1].forEach { key, seqs in
                    pages.tick()
                    try PostingIndex.writeBlock(key: key, seqs: seqs, through: cursor, flags: flags, scratch: &scratch)
                }
            }
        }
        ids.removeAll(keepingCapacity: true)
        seqs.removeAll(keepingCapacity: true)
        for index in postings.indices { postings[index].removeAll() }
    }

    /// The id entries, sorted (``SortedWrites``), and each posting buffer grouped into
    /// blocks: seven lists made on every core.
    private func sort(_ schema: Schema) -> (ids: SortedWrites, blocks: [PostingBuffer.Blocks]) {
        var blocks = [PostingBuffer.Blocks?](repeating: nil, count: postings.count)
        let (postings, ids, seqs) = (postings, ids, seqs)
        nonisolated(unsafe) var idWrites = SortedWrites(schema.ids, pairs: ids.count, bytes: ids.byteCount + 8 * ids.count)
        blocks.withUnsafeMutableBufferPointer { blocks in
            nonisolated(unsafe) let blocks = blocks  // each worker writes its own list
            DispatchQueue.concurrentPerform(iterations: postings.count + 1) { list in
                if list < postings.count {
                    blocks[list] = postings[list].blocks()
                } else {
                    for id in 0..<Int32(ids.count) {
                        ids.withBytes(id) { key in
                            idWrites.add(key: { $0.append(contentsOf: key) }, value: { $0.append(bigEndian: seqs[Int(id)]) })
                        }
                    }
                    idWrites.sort()
                }
            }
        }
        return (idWrites, blocks.map { $0! })
    }
}
