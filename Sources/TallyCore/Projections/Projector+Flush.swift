internal import LMDB

/// Writing a projector's state to the stored tables, in the write transaction of the events
/// it applied.
extension Projector {
    /// How many entries the state in memory holds: a projector over stored tables flushes
    /// when it passes ``flushThreshold``, to bound the memory of long imports.
    var entriesInMemory: Int {
        members.count + dayCredit.count + latestVote.count + answers.count + contents.count + questions.count
            + complaints.count + actions.count + awardKeys.count + findings.count
    }

    /// About 60 MB of state: the write of a long import holds its tables' pages too.
    static let flushThreshold = 500_000

    /// The same for a rebuild, about 250 MB: its write holds only the tables' pages, and
    /// the state of a million events of the standard mix (1.7M entries) stays in memory.
    static let rebuildFlushThreshold = 2_000_000

    /// Writes the state held in memory, and the checkpoint, to the stored tables in `txn`,
    /// then drops it from memory: later events read what they need back from the tables.
    /// - Parameter pages: ticked once per write.
    func flush(_ txn: borrowing Transaction, pages: PageReleaser = PageReleaser()) throws {
        guard let store else { return }
        let tables = store.tables, tiers = rules.engagement.tiers
        // Memory holds the whole state only while the tables are empty: each write is an append.
        let append = holdsEverything
        var writes = SortedWrites()
        for id in 0..<Int32(members.count) {
            let row = MemberRow(score: score[Int(id)], tier: tier[Int(id)], points: points[Int(id)], awardsChecked: awardsChecked[Int(id)])
            writes.add(key: { key in members.withBytes(id) { key.append(contentsOf: $0) } }, value: row.encode)
        }
        try writes.write(tables.members, txn, append: append, pages: pages)
        dayCredit.forEach { packed, credit in
            writes.add(key: { key in
                appendID(of: Self.high(packed), in: members, to: &key)
                key.append(bigEndian: Int64(Self.low(packed)))
            }, value: credit.encode)
        }
        try writes.write(tables.days, txn, append: append, pages: pages)
        latestVote.forEach { packed, vote in
            writes.add(key: { key in
                appendID(of: Self.high(packed), in: members, to: &key)
                appendID(of: Self.low(packed), in: contents, to: &key)
            }, value: StoredVote(value: vote.value, day: vote.day, author: members.string(vote.author), seq: vote.seq).encode)
        }
        try writes.write(tables.votes, txn, append: append, pages: pages)
        answers.forEach { packed, answer in
            let (quiz, question) = questions.splitQuestion(Self.low(packed))
            writes.add(key: { key in
                appendID(of: Self.high(packed), in: members, to: &key)
                key.append(lengthPrefixed: quiz)
                key.append(lengthPrefixed: question)
            }, value: answer.encode)
        }
        try writes.write(tables.answers, txn, append: append, pages: pages)
        for award in awardKeys {
            writes.add(key: { ProjectionKey.appendAward(reason: award.reason, ref: award.ref, to: &$0) }, value: { _ in })
        }
        try writes.write(tables.awardKeys, txn, append: append, pages: pages)
        for finding in findings {
            writes.add(key: { ProjectionKey.appendFinding(finding, to: &$0) }, value: finding.encodeValue)
        }
        try writes.write(tables.findings, txn, append: append, pages: pages)
        for (member, changes) in tierHistory {
            for change in changes {
                writes.add(key: { key in
                    appendID(of: member, in: members, to: &key)
                    key.append(bigEndian: change.seq)
                }, value: { change.encodeValue(tiers: tiers, into: &$0) })
            }
        }
        try writes.write(tables.tierChanges, txn, append: append, pages: pages)
        for (id, complaint) in complaints { writes.add(key: { $0.append(contentsOf: id.utf8) }, value: complaint.encode) }
        try writes.write(tables.complaints, txn, append: append, pages: pages)
        for (id, action) in actions { writes.add(key: { $0.append(contentsOf: id.utf8) }, value: action.encode) }
        try writes.write(tables.actions, txn, append: append, pages: pages)
        try ProjectionTables.setCheckpoint(.init(rules: rules.fingerprint, seq: lastSeq), store.schema.meta, txn)
        dropState()
    }

    /// Appends the length-prefixed bytes of interned `id` (a key part, see ``ProjectionKey``).
    private func appendID(of id: Int32, in interner: Interner, to writer: inout ByteWriter) {
        interner.withBytes(id) { writer.append(lengthPrefixed: $0) }
    }

    /// The ids a table key is made of (see ``Projector/key(_:_:)``).
    static func high(_ key: UInt64) -> Int32 { Int32(truncatingIfNeeded: key >> 32) }
    static func low(_ key: UInt64) -> Int32 { Int32(truncatingIfNeeded: key) }

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
}
