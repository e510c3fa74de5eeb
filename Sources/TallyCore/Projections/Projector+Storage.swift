internal import LMDB

/// Writing a projector's state to the stored tables, and reading it back for reports.
extension Projector {
    /// How many entries the state in memory holds: a projector over stored tables flushes
    /// when it passes ``flushThreshold``, to bound the memory of long imports.
    var entriesInMemory: Int {
        members.count + dayCredit.count + latestVote.count + answers.count + contents.count + questions.count
            + complaints.count + actions.count + awardKeys.count + findings.count
    }

    /// About 200 MB of state.
    static let flushThreshold = 1_500_000

    /// Writes the state held in memory, and the checkpoint, to the stored tables in `txn`,
    /// then drops it from memory: later events read what they need back from the tables.
    func flush(_ txn: borrowing Transaction) throws {
        guard let store else { return }
        let tables = store.tables, tiers = rules.engagement.tiers
        try write(tables.members, txn, (0..<Int32(members.count)).map { id in
            let index = Int(id)
            return (members.withBytes(id, Array.init),
                    MemberRow(score: score[index], tier: tier[index], points: points[index], awardsChecked: awardsChecked[index]).encoded())
        })
        var days: [(key: [UInt8], value: [UInt8])] = []
        dayCredit.forEach { key, credit in
            days.append((ProjectionKey.day(members.string(Self.high(key)), Int64(Self.low(key))), credit.encoded()))
        }
        try write(tables.days, txn, days)
        var votes: [(key: [UInt8], value: [UInt8])] = []
        latestVote.forEach { key, vote in
            votes.append((ProjectionKey.make(members.string(Self.high(key)), contents.string(Self.low(key))),
                          StoredVote(value: vote.value, day: vote.day, author: members.string(vote.author), seq: vote.seq).encoded()))
        }
        try write(tables.votes, txn, votes)
        var firstAnswers: [(key: [UInt8], value: [UInt8])] = []
        answers.forEach { key, answer in
            let (quiz, question) = questions.splitQuestion(Self.low(key))
            firstAnswers.append((ProjectionKey.make(members.string(Self.high(key)), quiz, question), answer.encoded()))
        }
        try write(tables.answers, txn, firstAnswers)
        try write(tables.awardKeys, txn, awardKeys.map { (ProjectionKey.award(reason: $0.reason, ref: $0.ref), []) })
        try write(tables.findings, txn, findings.map { (ProjectionKey.finding($0), $0.encodedValue()) })
        try write(tables.tierChanges, txn, tierHistory.flatMap { member, changes in
            changes.map { (ProjectionKey.tierChange(members.string(member), $0.seq), $0.encodedValue(tiers: tiers)) }
        })
        try write(tables.complaints, txn, complaints.map { (Array($0.key.utf8), $0.value.encoded()) })
        try write(tables.actions, txn, actions.map { (Array($0.key.utf8), $0.value.encoded()) })
        try ProjectionTables.setCheckpoint(.init(rules: rules.fingerprint, seq: lastSeq), store.schema.meta, txn)
        dropState()
    }

    /// The ids a table key is made of (see ``Projector/key(_:_:)``).
    static func high(_ key: UInt64) -> Int32 { Int32(truncatingIfNeeded: key >> 32) }
    static func low(_ key: UInt64) -> Int32 { Int32(truncatingIfNeeded: key) }

    /// Writes `entries` in key order: neighbouring keys share B-tree pages. When memory
    /// holds the whole state, the tables were empty, so each entry is a fast append.
    private func write(_ db: Database, _ txn: borrowing Transaction, _ entries: [(key: [UInt8], value: [UInt8])]) throws {
        let prefixes = entries.map { entry in entry.key.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) } << (8 * UInt64(8 - min(8, entry.key.count))) }
        let order = entries.indices.sorted { a, b in
            prefixes[a] != prefixes[b] ? prefixes[a] < prefixes[b] : ByteKey(entries[a].key) < ByteKey(entries[b].key)
        }
        let flags: PutFlags = holdsEverything ? .append : []
        for index in order { try txn.put(db, key: entries[index].key, value: entries[index].value, flags: flags) }
    }

    private func dropState() {
        members = Interner()
        score.removeAll()
        tier.removeAll()
        points.removeAll()
        awardsChecked.removeAll()
        tierHistory.removeAll()
        contents = Interner()
        contentAuthor.removeAll()
        latestVote.removeAll()
        quizzes.removeAll()
        questions = Interner()
        answers.removeAll()
        dayCredit.removeAll()
        findings.removeAll()
        awardKeys.removeAll()
        complaints.removeAll()
        actions.removeAll()
        holdsEverything = false
    }

    /// The parts of the stored state a report reads.
    public struct Parts: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }

        /// Every member's score, tier, points and awards checked.
        public static let members = Parts(rawValue: 1)
        /// The audit findings.
        public static let findings = Parts(rawValue: 2)
        public static let complaints = Parts(rawValue: 4)
        public static let actions = Parts(rawValue: 8)
        public static let all: Parts = [.members, .findings, .complaints, .actions]
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
        if parts.contains(.findings) {
            try scan(tables.findings, txn) { key, value throws(DecodeError) in projector.findings.append(try AuditFinding(key: key, value: value)) }
        }
        if parts.contains(.complaints) {
            try scan(tables.complaints, txn) { key, value throws(DecodeError) in
                projector.complaints[try string(key)] = try ComplaintState(decoding: value)
            }
        }
        if parts.contains(.actions) {
            try scan(tables.actions, txn) { key, value throws(DecodeError) in
                projector.actions[try string(key)] = try ActionState(decoding: value)
            }
        }
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
