/// The entries of one posting index buffered by a write transaction: each key interned
/// once, and each entry 8 bytes (key id ‖ its seq's distance from the buffer's first
/// seq), so that a batch of millions of entries stays small and becomes one block per key.
struct PostingBuffer {
    private var keys = Interner()
    private var entries: [UInt64] = []
    private var firstSeq: UInt64 = 0

    /// The number of entries buffered.
    var count: Int { entries.count }

    /// Records that the event at `seq` carries `key`. Seqs must come in ascending order,
    /// less than 2³² past the first.
    mutating func add(_ key: UnsafeRawBufferPointer, seq: UInt64) {
        if entries.isEmpty { firstSeq = seq }
        let id = keys.intern(key).id
        entries.append(UInt64(UInt32(id)) << 32 | (seq - firstSeq))
    }

    /// The entries grouped by key, in the order of their block keys.
    func blocks() -> Blocks {
        // Block keys are u8 length ‖ key: for keys up to 128 bytes (all that are indexed) they
        // sort as the keys' length-prefixed LEB128 forms do, which `keyOrderRanks` gives.
        let ranks = keys.keyOrderRanks()
        let idsByRank = Interner.ids(byRank: ranks)
        var starts = [Int](repeating: 0, count: keys.count + 1)
        for entry in entries { starts[Int(ranks[Int(entry >> 32)]) + 1] += 1 }
        for rank in 0..<keys.count { starts[rank + 1] += starts[rank] }
        // A counting sort, stable: each key's seqs stay in the ascending order they came in.
        var next = starts
        var seqs = [UInt64](repeating: 0, count: entries.count)
        for entry in entries {
            let rank = Int(ranks[Int(entry >> 32)])
            seqs[next[rank]] = firstSeq + (entry & 0xFFFF_FFFF)
            next[rank] += 1
        }
        return Blocks(keys: keys, idsByRank: idsByRank, starts: starts, seqs: seqs)
    }

    mutating func removeAll() {
        keys = Interner()
        entries.removeAll(keepingCapacity: true)
    }

    /// A buffer's entries as one ascending seq list per key, keys in block-key order.
    struct Blocks: @unchecked Sendable {  // built on a worker thread, then read by its owner
        fileprivate let keys: Interner
        fileprivate let idsByRank: [Int32]
        fileprivate let starts: [Int]
        fileprivate let seqs: [UInt64]

        /// Calls `body` with each key and its seqs.
        func forEach(_ body: (UnsafeRawBufferPointer, ArraySlice<UInt64>) throws -> Void) rethrows {
            for rank in idsByRank.indices {
                try keys.withBytes(idsByRank[rank]) { try body($0, seqs[starts[rank]..<starts[rank + 1]]) }
            }
        }
    }
}
