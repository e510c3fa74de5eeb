internal import LMDB

/// The entities events create, and the members' points balances: what the refusal
/// rules of CONTRACT.md section 2 need to know. Reads go through an in-memory overlay of
/// the write transaction; ``flush(_:)`` writes the changes back.
final class EntityRegistry {
    /// The id spaces: posts and replies share one.
    enum Kind: UInt8 {
        case content = 1, quiz, complaint, action
    }

    /// What is kept per entity.
    struct Record: Equatable {
        /// The `seq` of the creating event.
        var seq: UInt64
        /// Complaint: 0 open, 1 responded, 2 closed. Action: the ``ActionStatus`` index.
        var status: UInt8
        /// The author of a post or reply, the member of a complaint.
        var owner: String

        func encode(into writer: inout ByteWriter) {
            writer.append(bigEndian: seq)
            writer.append(status)
            writer.append(lengthPrefixed: owner)
        }

        init(seq: UInt64, status: UInt8, owner: String) {
            self.seq = seq
            self.status = status
            self.owner = owner
        }

        init(decoding bytes: UnsafeRawBufferPointer) throws(DecodeError) {
            var reader = ByteReader(bytes)
            seq = try reader.uint64()
            status = try reader.byte()
            owner = try reader.string()
        }
    }

    static let complaintOpen: UInt8 = 0, complaintResponded: UInt8 = 1, complaintClosed: UInt8 = 2

    private let entitiesDB: Database
    private let balancesDB: Database
    /// Kind ‖ id of every entity read or changed since the last flush, interned: its index
    /// is its place in `entities`.
    private var keys = Interner()
    /// The entities, as stored or as changed; nil for one that does not exist.
    private var entities: [Record?] = []
    /// The indexes of the changed entities.
    private var changed: [Int32] = []
    private var isChanged: [Bool] = []
    /// Reused to build keys without allocating.
    private var scratch: [UInt8] = []
    /// Members' balances as read or changed, by id bytes (see ``ExactString``).
    private var balances: [ExactString: Int64] = [:]
    private var dirtyBalances: Set<ExactString> = []
    /// Spares the look-ups of entities and members never written.
    private let written: WrittenKeys

    init(schema: Schema, written: WrittenKeys) {
        entitiesDB = schema.entities
        balancesDB = schema.balances
        self.written = written
    }

    /// The stored key of entity `id` of `kind`: kind ‖ UTF-8 id.
    static func key(_ kind: Kind, _ id: String) -> [UInt8] {
        var bytes: [UInt8] = []
        writeKey(kind, id.utf8, into: &bytes)
        return bytes
    }

    /// Writes the key of entity `id` (its UTF-8 bytes) of `kind` into `bytes`, replacing them.
    private static func writeKey(_ kind: Kind, _ id: some Sequence<UInt8>, into bytes: inout [UInt8]) {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(kind.rawValue)
        bytes.append(contentsOf: id)
    }

    /// The index of entity `id` of `kind` in `entities`, read from the ledger on first use.
    private func index(_ kind: Kind, _ id: String, _ txn: borrowing Transaction) throws -> Int {
        Self.writeKey(kind, id.utf8, into: &scratch)
        return try scratch.withUnsafeBytes { key in
            let (index, isNew) = keys.intern(key)
            if isNew {
                entities.append(try Self.storedRecord(key: key, in: entitiesDB, written: written, txn))
                isChanged.append(false)
            }
            return Int(index)
        }
    }

    /// The stored record of the entity of `kind` whose UTF-8 id is `id`, read from the
    /// `entities` table `db` as `txn` sees it (a session's changes not yet flushed are not
    /// there). A key that `written` knows was never stored is not looked up.
    static func storedRecord(
        _ kind: Kind, id: some Sequence<UInt8>, in db: Database, written: WrittenKeys? = nil, _ txn: borrowing Transaction
    ) throws -> Record? {
        var key: [UInt8] = []
        writeKey(kind, id, into: &key)
        return try key.withUnsafeBytes { try storedRecord(key: $0, in: db, written: written, txn) }
    }

    private static func storedRecord(
        key: UnsafeRawBufferPointer, in db: Database, written: WrittenKeys?, _ txn: borrowing Transaction
    ) throws -> Record? {
        guard written?.mayContain(key, in: db) ?? true else { return nil }
        return try txn.withValue(db, key: key) { value in try value.map(decode) }
    }

    /// A stored entity; damaged bytes are reported as corruption.
    private static func decode(_ bytes: UnsafeRawBufferPointer) throws -> Record {
        do { return try Record(decoding: bytes) } catch { throw LedgerError.corrupted(seq: nil, reason: "entity registry: \(error)") }
    }

    func record(_ kind: Kind, _ id: String, _ txn: borrowing Transaction) throws -> Record? {
        entities[try index(kind, id, txn)]
    }

    func set(_ kind: Kind, _ id: String, _ record: Record, _ txn: borrowing Transaction) throws {
        let index = try index(kind, id, txn)
        entities[index] = record
        if !isChanged[index] {
            isChanged[index] = true
            changed.append(Int32(index))
        }
    }

    func balance(_ member: String, _ txn: borrowing Transaction) throws -> Int64 {
        if let cached = balances[ExactString(member)] { return cached }
        let stored = try Array(member.utf8).withUnsafeBytes { k -> Int64 in
            guard written.mayContain(k, in: balancesDB) else { return 0 }
            return try txn.withValue(balancesDB, key: k) { value in value.flatMap { ByteReader.uint64($0) }.map { Int64(bitPattern: $0) } ?? 0 }
        }
        balances[ExactString(member)] = stored
        return stored
    }

    func add(_ points: Int64, to member: String, _ txn: borrowing Transaction) throws {
        balances[ExactString(member)] = try balance(member, txn) &+ points
        dirtyBalances.insert(ExactString(member))
    }

    /// Writes the changes in key order (appending to a database still empty) and empties the
    /// overlay, ticking `pages` once per write.
    func flush(_ txn: borrowing Transaction, pages: PageReleaser) throws {
        var changedEntities = SortedWrites(entitiesDB)
        for index in changed {
            guard let record = entities[Int(index)] else { continue }
            changedEntities.add(key: { writer in keys.withBytes(index) { writer.append(contentsOf: $0) } }, value: record.encode)
        }
        var changedBalances = SortedWrites(balancesDB)
        for member in dirtyBalances {
            let balance = balances[member] ?? 0  // every dirty balance is cached
            changedBalances.add(key: { $0.append(contentsOf: member.text.utf8) }, value: { $0.append(bigEndian: balance) })
        }
        for var writes in [changedEntities, changedBalances] {
            writes.sort()
            try writes.write(txn, pages: pages, written: written)
        }
        keys = Interner()
        entities.removeAll(keepingCapacity: true)
        changed.removeAll(keepingCapacity: true)
        isChanged.removeAll(keepingCapacity: true)
        balances.removeAll(keepingCapacity: true)
        dirtyBalances.removeAll(keepingCapacity: true)
    }
}
