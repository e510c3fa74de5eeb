internal import LMDB

/// The keys a write transaction has put into the databases that were empty when it
/// began, as a Bloom filter: a key it has never seen is certainly not stored there, so a
/// look-up answers "absent" without searching the B-tree.
///
/// Long imports into a new ledger look up mostly keys that do not exist yet: every new
/// event id, post, reply, member-day and vote. Once written, such look-ups would each
/// search a growing B-tree. A database that held keys when the transaction began is not
/// tracked, and every look-up in it searches.
///
/// The filter is blocked: a key sets four bits of one 64-bit word, so a probe reads one
/// cache line. It is sized for `expectedKeys` at 8 bits each (about 3% false positives,
/// each costing only the search it would have made anyway). Past twice that many keys it
/// answers "may be there" for everything until ``growIfFull(_:pages:)`` sizes it anew from the
/// tracked databases, which hold exactly the keys written.
final class WrittenKeys {
    /// The tracked databases, each with the salt that keeps its keys apart from the others'.
    private var salts: [Database: UInt64]
    private var words: [UInt64] = []
    private var wordShift: UInt64 = 0
    private var count = 0
    private var capacity = 0

    /// A filter that tracks no database: every look-up searches.
    convenience init() {
        self.init(salts: [:], expectedKeys: 0)
    }

    /// Tracks those of `databases` that hold no key in `txn`.
    convenience init(tracking databases: [Database], _ txn: borrowing Transaction, expectedKeys: Int) throws {
        var salts: [Database: UInt64] = [:]
        for (index, db) in databases.enumerated() where try txn.count(db) == 0 {
            salts[db] = Interner.mix(UInt64(index + 1) &* 0x9E37_79B9_7F4A_7C15)
        }
        self.init(salts: salts, expectedKeys: expectedKeys)
    }

    private init(salts: [Database: UInt64], expectedKeys: Int) {
        self.salts = salts
        resize(forKeys: salts.isEmpty ? 0 : expectedKeys)
    }

    /// Empties the filter and sizes it for `keys` keys.
    private func resize(forKeys keys: Int) {
        let wordCount = max(1, keys / 8).nextPowerOfTwo
        words = [UInt64](repeating: 0, count: wordCount)
        wordShift = UInt64(64 - wordCount.trailingZeroBitCount)
        count = 0
        capacity = salts.isEmpty ? 0 : 2 * wordCount * 8
    }

    /// Records that `key` was written to `db`.
    func insert(_ key: UnsafeRawBufferPointer, into db: Database) {
        guard let salt = salts[db] else { return }
        count += 1
        let (word, bits) = position(key, salt)
        words[word] |= bits
    }

    /// Stops tracking, for the last writes of a transaction, after which it looks nothing
    /// up: recording their keys would be wasted (a million inserts cost about 0.15 s).
    /// Every later look-up answers "may be there".
    func stopTracking() {
        salts = [:]
        words = []
        capacity = 0
    }

    /// Whether `key` may be stored in `db`; false means it certainly is not.
    func mayContain(_ key: UnsafeRawBufferPointer, in db: Database) -> Bool {
        guard let salt = salts[db], count <= capacity else { return true }
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
        for (db, salt) in salts {
            try txn.withCursor(db) { cursor in
                var entry = try cursor.first()
                while let (key, _) = entry {
                    pages.tick()
                    count += 1
                    let (word, bits) = position(key, salt)
                    words[word] |= bits
                    entry = try cursor.next()
                }
            }
        }
        return true
    }

    /// The word of `key` and the four bits it sets there.
    private func position(_ key: UnsafeRawBufferPointer, _ salt: UInt64) -> (word: Int, bits: UInt64) {
        let hash = Interner.mix(Interner.hash(key) ^ salt)
        let word = wordShift == 64 ? 0 : Int(truncatingIfNeeded: hash >> wordShift)
        let bits: UInt64 = 1 << (hash & 63) | 1 << (hash >> 6 & 63) | 1 << (hash >> 12 & 63) | 1 << (hash >> 18 & 63)
        return (word, bits)
    }
}
