internal import LMDB

/// The named databases of a ledger and the format version (docs/storage.md).
struct Schema {
    /// The format version this build writes and reads.
    static let formatVersion: UInt32 = 1

    /// `seq` (8-byte big-endian) → event record.
    let events: Database
    /// Format version and other ledger-wide facts.
    let meta: Database
    /// Event id → `seq`.
    let ids: Database
    /// Posting-list indexes by actor, member, type, referenced id and day.
    let postings: [PostingIndex.Kind: Database]
    /// Entity registries: kind byte ‖ id → state.
    let entities: Database
    /// Member → points balance (8-byte big-endian, two's complement).
    let balances: Database
    /// The stored projections.
    let projection: ProjectionTables

    /// Opens every database, creating the missing ones when `create` is set.
    init(_ txn: borrowing Transaction, create: Bool) throws {
        events = try txn.openDatabase("events", create: create)
        meta = try txn.openDatabase("meta", create: create)
        ids = try txn.openDatabase("ids", create: create)
        entities = try txn.openDatabase("entities", create: create)
        balances = try txn.openDatabase("balances", create: create)
        projection = try ProjectionTables(txn, create: create)
        var postings: [PostingIndex.Kind: Database] = [:]
        for kind in PostingIndex.Kind.allCases { postings[kind] = try txn.openDatabase(kind.databaseName, create: create) }
        self.postings = postings
    }

    static let formatKey = Array("format".utf8)
}

extension Schema {
    /// The `seq` stored under an event id, if any.
    func seq(ofID id: String, _ txn: borrowing Transaction) throws -> UInt64? {
        try Array(id.utf8).withUnsafeBytes { key in try txn.withValue(ids, key: key) { $0.flatMap(ByteReader.uint64) } }
    }

    /// The decoded event at `seq`, if any.
    /// - Throws: ``LedgerError/corrupted(seq:reason:)`` when the record cannot be decoded.
    func storedEvent(at seq: UInt64, _ txn: borrowing Transaction) throws -> StoredEvent? {
        try ByteWriter.key(seq).withUnsafeBytes { key in
            try txn.withValue(events, key: key) { value in
                guard let value else { return nil }
                do { return try EventRecord.decode(value) } catch { throw LedgerError.corrupted(seq: seq, reason: "\(error)") }
            }
        }
    }

    /// A view of the record of event `id`, if any. Its bytes point into the map and stay
    /// valid until the transaction `txn` ends or, in a write transaction, writes again.
    func recordView(withID id: String, _ txn: borrowing Transaction) throws -> RecordView? {
        try seq(ofID: id, txn).flatMap { try recordView(at: $0, txn) }
    }

    /// A view of the record at `seq`, if any, valid as for ``recordView(withID:_:)``.
    /// - Throws: ``LedgerError/corrupted(seq:reason:)`` when the record cannot be read.
    func recordView(at seq: UInt64, _ txn: borrowing Transaction) throws -> RecordView? {
        try ByteWriter.key(seq).withUnsafeBytes { key in
            try txn.withValue(events, key: key) { value in
                do { return try value.map { try RecordView(record: $0) } } catch { throw LedgerError.corrupted(seq: seq, reason: "\(error)") }
            }
        }
    }

    /// The decoded event whose id is `id`, if any.
    func storedEvent(withID id: String, _ txn: borrowing Transaction) throws -> StoredEvent? {
        try seq(ofID: id, txn).flatMap { try storedEvent(at: $0, txn) }
    }
}
