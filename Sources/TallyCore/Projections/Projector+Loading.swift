internal import LMDB

/// Reading the stored tables back into a projector, for reports.
extension Projector {
    /// The parts of the stored state a report reads.
    public struct Parts: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }

        /// Every member's score, tier, points and awards checked.
        public static let members = Parts(rawValue: 1)
        /// The audit findings.
        public static let findings = Parts(rawValue: 2)
        /// Every complaint's handling.
        public static let complaints = Parts(rawValue: 4)
        /// Every improvement action.
        public static let actions = Parts(rawValue: 8)
        /// Every member's credits per UTC day (for ``Projector/scores(days:)``), with ``members``.
        public static let days = Parts(rawValue: 16)
        /// Every member's tier history (for ``Projector/tierChanges(days:)``), with ``members``.
        public static let tierChanges = Parts(rawValue: 32)
        public static let all: Parts = [.members, .findings, .complaints, .actions, .days, .tierChanges]
    }

    /// A projector holding `parts` of the stored state, and the tier history of
    /// `historyOf`, for reports. It is not meant to apply events.
    static func loading(_ parts: Parts, historyOf member: String?, from store: ProjectionStore, rules: Rules,
                        _ txn: borrowing Transaction) throws -> Projector {
        let projector = Projector(rules: rules)
        let tables = store.tables, tierCount = rules.engagement.tiers.count
        if parts.contains(.members) {
            try scan(tables.members, txn) { key, value throws(DecodeError) in
                try projector.intern(id: try string(key), MemberRow(decoding: value, tiers: tierCount))
            }
        }
        if parts.contains(.days) {
            projector.loadedDayCredits.reserveCapacity(try txn.count(tables.days))
            var previous: (id: [UInt8], member: Int32) = ([], 0)  // a member's days are consecutive keys
            try scan(tables.days, txn) { key, value throws(DecodeError) in
                var reader = ByteReader(key)
                let id = try reader.lengthPrefixedSlice()
                if !id.elementsEqual(previous.id) {
                    guard let member = projector.members.id(of: id) else { throw DecodeError.malformed("day credits of a member with no totals") }
                    previous = (Array(id), member)
                }
                let member = previous.member
                let day = Int32(truncatingIfNeeded: try reader.int64())
                guard reader.isAtEnd else { throw DecodeError.malformed("a day credit's key has trailing bytes") }
                projector.loadedDayCredits.append((Projector.key(member, day), try DayCredit(decoding: value)))
            }
        }
        if parts.contains(.tierChanges) {
            let tiers = rules.engagement.tiers
            try scan(tables.tierChanges, txn) { key, value throws(DecodeError) in
                var reader = ByteReader(key)
                guard let member = projector.members.id(of: try reader.lengthPrefixedSlice()) else {
                    throw DecodeError.malformed("a tier change of a member with no totals")
                }
                let seq = try reader.uint64()
                guard reader.isAtEnd else { throw DecodeError.malformed("a tier change's key has trailing bytes") }
                projector.tierHistory[member, default: []].append(try TierChange(seq: seq, value: value, tiers: tiers))
            }
        }
        if parts.contains(.findings) {
            try scan(tables.findings, txn) { key, value throws(DecodeError) in projector.findings.append(try AuditFinding(key: key, value: value)) }
        }
        if parts.contains(.complaints) { projector.complaints.loadInIDOrder(try statesByID(tables.complaints, txn, ComplaintState.init)) }
        if parts.contains(.actions) { projector.actions.loadInIDOrder(try statesByID(tables.actions, txn, ActionState.init)) }
        if let member {
            let index = try projector.members.id(of: member) ?? store.member(member, txn).map { projector.intern(id: member, $0) }
            if let index { projector.tierHistory[index] = try store.tierHistory(of: member, tiers: rules.engagement.tiers, txn) }
        }
        return projector
    }

    @discardableResult
    private func intern(id: String, _ row: MemberRow) -> Int32 {
        let index = members.intern(id).id
        score.append(row.score)
        tier.append(row.tier)
        points.append(row.points)
        awardsChecked.append(row.awardsChecked)
        return index
    }

    /// Every id and state of a table keyed by id, in the id order of the scan.
    private static func statesByID<State>(
        _ db: Database, _ txn: borrowing Transaction, _ decode: (UnsafeRawBufferPointer) throws(DecodeError) -> State
    ) throws -> [(id: String, state: State)] {
        var loaded: [(id: String, state: State)] = []
        loaded.reserveCapacity(try txn.count(db))
        try scan(db, txn) { key, value throws(DecodeError) in loaded.append((try string(key), try decode(value))) }
        return loaded
    }

    private static func string(_ bytes: UnsafeRawBufferPointer) throws(DecodeError) -> String {
        guard let text = UTF8Validation.string(bytes) else { throw DecodeError.malformed("invalid UTF-8 in a key") }
        return text
    }

    /// Calls `body` with every entry of `db`; damaged entries are reported as corruption.
    private static func scan(
        _ db: Database, _ txn: borrowing Transaction, _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws(DecodeError) -> Void
    ) throws {
        try txn.withCursor(db) { cursor in
            var entry = try cursor.first()
            while let (key, value) = entry {
                do { try body(key, value) } catch { throw LedgerError.corrupted(seq: nil, reason: "stored projection: \(error)") }
                entry = try cursor.next()
            }
        }
    }
}
