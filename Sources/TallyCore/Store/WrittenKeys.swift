internal import LMDB

/// The keys stored in some databases during a write transaction, as a Bloom filter: a key
/// it has never seen is certainly not stored there, so a look-up answers "absent" without
/// searching the B-tree.
///
/// Imports look up mostly keys that do not exist yet: every new event id, post, reply,
/// member-day and vote. Each such look-up would search a growing B-tree. A database is
/// tracked when it is empty as the transaction begins, or small beside the keys expected:
/// then its keys are read into the filter first (scanning a key costs a tenth of a
/// search), as when a day's file is imported into a ledger of a few days. A larger
/// database is not tracked, and every look-up in it searches.
///
/// The filter is blocked: a key sets four bits of one 64-bit word, so a probe reads one
/// cache line. It is sized for the keys it starts with and `expectedKeys` more at 8 bits
/// each (about 3% false positives, each costing only the search it would have made
/// anyway). Past twice that many keys it answers "may be there" for everything until
/// ``growIfFull(_:pages:)`` sizes it anew from the tracked databases, which hold exactly
/// the keys it was given.
final class WrittenKeys {
    /// The salt of each tracked database, which keeps its keys apart from the others', at
    /// its ``Database/number``; nil for a database not tracked.
    private var salts: [UInt64?]
    /// The tracked databases and their salts.
    private var tracked: [(database: Database, salt: UInt64)] = []
    private var words: [UInt64] = []
    private var wordShift: UInt64 = 0
    private var count = 0
    private var capacity = 0

    /// How many stored keys a database may hold, per key expected, to be read in and tracked.
    static let prefillRatio = 2

    /// A filter that tracks no database: every look-up searches.
    init() {
        salts = []
    }

    /// Tracks those of `databases` that hold no more than ``prefillRatio`` × `expectedKeys`
    /// keys in `txn`, reading in the keys they hold (ticking `pages` once per key).
    init(tracking databases: [Database], _ txn: borrowing Transaction, expectedKeys: Int, pages: PageReleaser = PageReleaser()) throws {
        salts = [UInt64?](repeating: nil, count: (databases.map(\.number).max() ?? -1) + 1)
        var stored = 0
        for (index, db) in databases.enumerated() {
            let count = try txn.count(db)
            guard count <= Self.prefillRatio * expectedKeys else { continue }
            let salt = Interner.mix(UInt64(index + 1) &* 0x9E37_79B9_7F4A_7C15)
            salts[db.number] = salt
            tracked.append((db, salt))
            stored += count
        }
        guard !tracked.isEmpty else { return }
        resize(forKeys: stored + expectedKeys)
        if stored > 0 { try fill(txn, pages: pages) }
    }

    /// Empties the filter and sizes it for `keys` keys.
    private func resize(forKeys keys: Int) {
        let wordCount = max(1, keys / 8).nextPowerOfTwo
        words = [UInt64](hugePagesZeroed: wordCount)
        wordShift = UInt64(64 - wordCount.trailingZeroBitCount)
        count = 0
        capacity = 2 * wordCount * 8
    }

    /// Calls `body` with a function that records a key as written to `db`. The keys' bits are
    /// set a batch at a time (``Positions``), the last ones on return.
    func recording<R>(into db: Database, _ body: ((UnsafeRawBufferPointer) -> Void) throws -> R) rethrows -> R {
        guard let salt = salt(of: db) else { return try body { _ in } }
        var positions = Positions()
        defer { positions.setBits(in: self) }
        return try body { key in positions.append(self.position(key, salt), settingBitsIn: self) }
    }

    /// Stops tracking, for the last writes of a transaction, after which it looks nothing
    /// up: recording their keys would be wasted (a million inserts cost about 0.15 s).
    /// Every later look-up answers "may be there".
    func stopTracking() {
        salts = []
        tracked = []
        words = []
        capacity = 0
    }

    /// Whether `key` may be stored in `db`; false means it certainly is not.
    func mayContain(_ key: UnsafeRawBufferPointer, in db: Database) -> Bool {
        guard let salt = salt(of: db), count <= capacity else { return true }
        let (word, bits) = position(key, salt)
        return words[word] & bits == bits
    }

    /// When more keys were written than the filter was sized for, sizes it for four times
    /// as many and fills it again from the tracked databases (in `txn`, which wrote them),
    /// ticking `pages` once per key read.
    /// - Returns: whether it did.
    @discardableResult
    func growIfFull(_ txn: borrowing Transaction, pages: PageReleaser = PageReleaser()) throws -> Bool {
        guard count > capacity else { return false }
        resize(forKeys: count * 4)
        try fill(txn, pages: pages)
        return true
    }

    /// Adds every key the tracked databases hold in `txn`.
    private func fill(_ txn: borrowing Transaction, pages: PageReleaser) throws {
        var positions = Positions()
        for (db, salt) in tracked {
            try txn.withCursor(db) { cursor in
                var entry = try cursor.first()
                while let (key, _) = entry {
                    pages.tick()
                    positions.append(position(key, salt), settingBitsIn: self)
                    entry = try cursor.next()
                }
            }
        }
        positions.setBits(in: self)
    }

    /// The positions of keys to record, whose bits are set a batch at a time. The words lie
    /// all over the filter: setting each as its key comes waits for the cache misses one by
    /// one, while a thousand set in one tight loop wait for many at once. Importing 1M events
    /// into a 9M-event ledger (14.5M stored keys read into the filter first) went from
    /// 14.3–15.9 s to 11.3–11.7 s, and into an empty ledger about 5% faster.
    private struct Positions {
        private var pending: [(word: Int, bits: UInt64)] = []
        private static let batch = 1024

        mutating func append(_ position: (word: Int, bits: UInt64), settingBitsIn filter: WrittenKeys) {
            pending.append(position)
            if pending.count == Self.batch { setBits(in: filter) }
        }

        mutating func setBits(in filter: WrittenKeys) {
            filter.count += pending.count
            filter.words.withUnsafeMutableBufferPointer { words in
                for (word, bits) in pending { words[word] |= bits }
            }
            pending.removeAll(keepingCapacity: true)
        }
    }

    private func salt(of db: Database) -> UInt64? {
        db.number < salts.count ? salts[db.number] : nil
    }

    /// The word of `key` and the four bits it sets there.
    private func position(_ key: UnsafeRawBufferPointer, _ salt: UInt64) -> (word: Int, bits: UInt64) {
        let hash = Interner.mix(Interner.hash(key) ^ salt)
        let word = wordShift == 64 ? 0 : Int(truncatingIfNeeded: hash >> wordShift)
        let bits: UInt64 = 1 << (hash & 63) | 1 << (hash >> 6 & 63) | 1 << (hash >> 12 & 63) | 1 << (hash >> 18 & 63)
        return (word, bits)
    }
}
