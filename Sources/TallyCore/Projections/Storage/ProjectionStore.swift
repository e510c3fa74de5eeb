internal import LMDB

/// Reads the stored projections one key at a time, for a ``Projector`` that works over
/// them, and the entity registries for what the log already says (who wrote a post, a
/// quiz's key).
struct ProjectionStore {
    let tables: ProjectionTables
    let schema: Schema
    /// The number of tiers of the rules the tables were computed under.
    let tierCount: Int
    /// The keys written to the tables (and the entity registry) in this transaction, when
    /// they began empty: look-ups of others are answered without a search.
    let written: WrittenKeys

    init(schema: Schema, rules: Rules, written: WrittenKeys = WrittenKeys()) {
        self.tables = schema.projection
        self.schema = schema
        self.tierCount = rules.engagement.tiers.count
        self.written = written
    }

    func member(_ id: String, _ txn: borrowing Transaction) throws -> MemberRow? {
        try value(tables.members, Array(id.utf8), txn) { bytes throws(DecodeError) in try MemberRow(decoding: bytes, tiers: tierCount) }
    }

    func dayCredit(_ member: String, day: Int64, _ txn: borrowing Transaction) throws -> Projector.DayCredit? {
        try value(tables.days, ProjectionKey.day(member, day), txn) { bytes throws(DecodeError) in try Projector.DayCredit(decoding: bytes) }
    }

    func vote(voter: String, target: String, _ txn: borrowing Transaction) throws -> StoredVote? {
        try value(tables.votes, ProjectionKey.make(voter, target), txn) { bytes throws(DecodeError) in try StoredVote(decoding: bytes) }
    }

    func answer(member: String, quiz: String, question: String, _ txn: borrowing Transaction) throws -> Projector.Answer? {
        try value(tables.answers, ProjectionKey.make(member, quiz, question), txn) { bytes throws(DecodeError) in
            try Projector.Answer(decoding: bytes)
        }
    }

    /// Whether an award with this ``ProjectionKey/award(reason:ref:)`` was made.
    func wasAwarded(_ key: [UInt8], _ txn: borrowing Transaction) throws -> Bool {
        try value(tables.awardKeys, key, txn) { _ throws(DecodeError) in true } ?? false
    }

    func complaint(_ id: String, _ txn: borrowing Transaction) throws -> Projector.ComplaintState? {
        try value(tables.complaints, Array(id.utf8), txn) { bytes throws(DecodeError) in try Projector.ComplaintState(decoding: bytes) }
    }

    func action(_ id: String, _ txn: borrowing Transaction) throws -> Projector.ActionState? {
        try value(tables.actions, Array(id.utf8), txn) { bytes throws(DecodeError) in try Projector.ActionState(decoding: bytes) }
    }

    /// The author of a post or reply created before `seq`, from the entity registry.
    func author(of content: String, before seq: UInt64, _ txn: borrowing Transaction) throws -> String? {
        try registryRecord(.content, content, txn).flatMap { $0.seq < seq ? $0.owner : nil }
    }

    /// The answer key and closing time of a quiz published before `seq`, from the event
    /// that published it.
    func quiz(_ id: String, before seq: UInt64, _ txn: borrowing Transaction) throws -> Projector.Quiz? {
        guard let entry = try registryRecord(.quiz, id, txn), entry.seq < seq else { return nil }
        guard let published = try schema.recordView(at: entry.seq, txn) else {
            throw LedgerError.corrupted(seq: entry.seq, reason: "the quiz registry names a missing event")
        }
        return Projector.Quiz(published)
    }

    private func registryRecord(_ kind: EntityRegistry.Kind, _ id: String, _ txn: borrowing Transaction) throws -> EntityRegistry.Record? {
        try EntityRegistry.storedRecord(kind, id: id.utf8, in: schema.entities, written: written, txn)
    }

    /// The value under `key` in `db`, decoded; damaged bytes are reported as corruption.
    private func value<Value>(
        _ db: Database, _ key: [UInt8], _ txn: borrowing Transaction, _ decode: (UnsafeRawBufferPointer) throws(DecodeError) -> Value
    ) throws -> Value? {
        try key.withUnsafeBytes { key in
            guard written.mayContain(key, in: db) else { return nil }
            return try txn.withValue(db, key: key) { bytes in
                guard let bytes else { return nil }
                do { return try decode(bytes) } catch { throw LedgerError.corrupted(seq: nil, reason: "stored projection: \(error)") }
            }
        }
    }
}

extension ProjectionStore {
    /// A member's tier changes, oldest first.
    func tierHistory(of member: String, tiers: [EngagementRules.Tier], _ txn: borrowing Transaction) throws -> [TierChange] {
        let prefix = ProjectionKey.make(member)
        var changes: [TierChange] = []
        try txn.withCursor(tables.tierChanges) { cursor in
            var entry = try cursor.seek(prefix)
            while let (key, value) = entry, key.count == prefix.count + 8, key.starts(with: prefix) {
                do {
                    changes.append(try TierChange(seq: ByteReader.uint64(UnsafeRawBufferPointer(rebasing: key[prefix.count...]))!, value: value, tiers: tiers))
                } catch {
                    throw LedgerError.corrupted(seq: nil, reason: "stored projection: \(error)")
                }
                entry = try cursor.next()
            }
        }
        return changes
    }
}
