internal import LMDB

/// The stored projections: the state of every report under the built-in rules, kept in
/// step with the log by each write transaction (docs/storage.md, "Stored projections").
///
/// Member, complaint, action and other ids in keys are length-prefixed (LEB128), so that
/// one member's entries form one key range.
struct ProjectionTables {
    /// Member → score, tier index, points balance and awards checked.
    let members: Database
    /// Member ‖ UTC day → positive and negative credit of that day.
    let days: Database
    /// Voter ‖ target → the voter's latest counted vote on it.
    let votes: Database
    /// Member ‖ quiz ‖ question → the first answer's `seq` and whether it counted and was right.
    let answers: Database
    /// Ref ‖ reason → nothing: the awards already made, for the `duplicate` finding.
    let awardKeys: Database
    /// `seq` ‖ finding → member, points, reason.
    let findings: Database
    /// Member ‖ `seq` → a change of tier.
    let tierChanges: Database
    /// Complaint id → its handling.
    let complaints: Database
    /// Action id → its state.
    let actions: Database

    init(_ txn: borrowing Transaction, create: Bool) throws {
        let names = Self.names
        members = try txn.openDatabase(names[0], create: create)
        days = try txn.openDatabase(names[1], create: create)
        votes = try txn.openDatabase(names[2], create: create)
        answers = try txn.openDatabase(names[3], create: create)
        awardKeys = try txn.openDatabase(names[4], create: create)
        findings = try txn.openDatabase(names[5], create: create)
        tierChanges = try txn.openDatabase(names[6], create: create)
        complaints = try txn.openDatabase(names[7], create: create)
        actions = try txn.openDatabase(names[8], create: create)
    }

    /// Every table, in the order of ``names``.
    var all: [Database] { [members, days, votes, answers, awardKeys, findings, tierChanges, complaints, actions] }

    /// The tables' LMDB names, in the order of ``all``.
    static let names = [
        "projection.members", "projection.days", "projection.votes", "projection.answers", "projection.award_keys",
        "projection.findings", "projection.tier_changes", "projection.complaints", "projection.actions",
    ]

    /// The LMDB name of `table`, one of ``all``.
    func name(of table: Database) -> String {
        all.firstIndex(of: table).map { Self.names[$0] } ?? "projection"
    }

    /// The meta key of the ``Checkpoint``.
    static let checkpointKey = Array("projection".utf8)

    /// How far the stored projections have got, and under which rules.
    struct Checkpoint: Equatable {
        /// ``Rules/fingerprint`` of the rules the state was computed under.
        var rules: [UInt8]
        /// The last `seq` applied.
        var seq: UInt64

        func encoded() -> [UInt8] {
            var writer = ByteWriter(capacity: 40)
            writer.append(contentsOf: rules)
            writer.append(bigEndian: seq)
            return writer.bytes
        }

        /// Whether the tables hold the state under `rules` of a log whose last seq is `last`.
        func isCurrent(for rules: Rules?, last: UInt64) -> Bool {
            seq == last && self.rules == rules?.fingerprint
        }

        init(rules: [UInt8], seq: UInt64) {
            self.rules = rules
            self.seq = seq
        }

        init(decoding bytes: UnsafeRawBufferPointer) throws(DecodeError) {
            var reader = ByteReader(bytes)
            rules = Array(try reader.slice(32))
            seq = try reader.uint64()
        }
    }

    /// The stored checkpoint; nil when the projections were never stored (an empty
    /// ledger, or one written by a build that did not store them).
    static func checkpoint(_ meta: Database, _ txn: borrowing Transaction) throws -> Checkpoint? {
        try checkpointKey.withUnsafeBytes { key in
            try txn.withValue(meta, key: key) { value in
                guard let value else { return nil }
                do { return try Checkpoint(decoding: value) } catch { throw LedgerError.corrupted(seq: nil, reason: "projection checkpoint: \(error)") }
            }
        }
    }

    static func setCheckpoint(_ checkpoint: Checkpoint, _ meta: Database, _ txn: borrowing Transaction) throws {
        try txn.put(meta, key: checkpointKey, value: checkpoint.encoded())
    }

    /// The meta key of the rules a ledger adopted for its stored projections (`tally
    /// rebuild --rules DIR`), absent while they are kept under the build's built-in rules.
    static let adoptedRulesKey = Array("projection.rules".utf8)

    /// The rules the ledger adopted for its stored projections, if any.
    static func adoptedRules(_ meta: Database, _ txn: borrowing Transaction) throws -> Rules? {
        try adoptedRulesKey.withUnsafeBytes { key in
            try txn.withValue(meta, key: key) { value in
                guard let value else { return nil }
                do { return try Rules(decoding: value) } catch { throw LedgerError.corrupted(seq: nil, reason: "adopted rules: \(error)") }
            }
        }
    }

    /// Records `rules` as the ledger's adopted rules; nil goes back to the built-in ones.
    static func setAdoptedRules(_ rules: Rules?, _ meta: Database, _ txn: borrowing Transaction) throws {
        if let rules {
            try txn.put(meta, key: adoptedRulesKey, value: rules.encoded())
        } else {
            try txn.delete(meta, key: adoptedRulesKey)
        }
    }

    /// Empties every table and removes the checkpoint.
    func clear(_ meta: Database, _ txn: borrowing Transaction) throws {
        for db in all { try txn.clear(db) }
        try txn.delete(meta, key: Self.checkpointKey)
    }
}
