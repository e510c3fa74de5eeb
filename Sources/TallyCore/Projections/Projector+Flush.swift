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

    /// About 120 MB of state: the write of a long import holds its tables' pages too (a
    /// 10M-line import peaks near 850 MB with it; at 2,000,000 it came within 3% of 1 GiB).
    static let flushThreshold = 1_000_000

    /// The same for a rebuild, about 250 MB: its write holds only the tables' pages, and
    /// the state of a million events of the standard mix (1.7M entries) stays in memory.
    static let rebuildFlushThreshold = 2_000_000

    /// Writes the state held in memory, and the checkpoint, to the stored tables in `txn`,
    /// then drops it from memory: later events read what they need back from the tables.
    /// - Parameters:
    ///   - pages: ticked once per write.
    ///   - sparingMemory: encode two tables at a time, never the two largest at once, rather
    ///     than every table ahead of its write. For the writes of imports, which hold up to
    ///     512 MiB of LMDB's dirty pages besides: a 10M-line import peaked at 954 MB rather
    ///     than 977–983 MB. A rebuild's flush of a million events' state takes about 6% longer so.
    func flush(_ txn: borrowing Transaction, pages: PageReleaser = PageReleaser(), sparingMemory: Bool = false) throws {
        guard let store else { return }
        let atOnce = sparingMemory ? 2 : ProjectionTables.names.count
        try forEachSortedTable(store.tables, atOnce: atOnce, oneLargeAtATime: sparingMemory) { writes in
            try writes.write(txn, pages: pages, written: store.written)
        }
        try ProjectionTables.setCheckpoint(.init(rules: rules.fingerprint, seq: lastSeq), store.schema.meta, txn)
        dropState()
    }

    /// Where the state held in memory and the stored tables first differ, if they do: the
    /// table's name, the key, and what differs there. For a projector that replayed the
    /// whole log, as ``Ledger/verifyProjections(progress:)`` does. Two tables are encoded at
    /// a time, one per core, but never the two largest at once: memory holds the replay and
    /// one large table's pairs at most. `pages` is ticked once per stored entry compared.
    func firstDifference(from tables: ProjectionTables, _ txn: borrowing Transaction, pages: PageReleaser) throws
        -> (table: String, key: [UInt8], problem: String)?
    {
        var difference: (table: String, key: [UInt8], problem: String)?
        try forEachSortedTable(tables, atOnce: 2, oneLargeAtATime: true) { writes in
            guard difference == nil, let (key, problem) = try writes.firstDifference(txn, pages: pages) else { return }
            difference = (tables.name(of: writes.database), key, problem)
        }
        return difference
    }

    /// Calls `body` with every table's pairs, encoded and sorted, largest table first. The
    /// tables are encoded on two threads while `body` works on the ones before
    /// (``OrderedJobs``), at most `atOnce` at a time, and each is freed once `body` returns.
    ///
    /// The state is dropped afterwards (or not used again), so the three largest tables in
    /// memory are freed as soon as they are encoded.
    /// - Parameter oneLargeAtATime: encode the two largest tables one after the other on
    ///   one thread (each thread takes every other job) rather than at once on two, so that
    ///   memory holds the state and one of their encodings at its peak, not both: a whole
    ///   replay's, as a verify holds, is the largest there is.
    private func forEachSortedTable(
        _ tables: ProjectionTables, atOnce: Int, oneLargeAtATime: Bool = false, _ body: (TableWrites) throws -> Void
    ) throws {
        let memberRanks = members.keyOrderRanks()
        let membersByRank = Interner.ids(byRank: memberRanks)
        var encodings: [() -> TableWrites] = [
            { let rows = self.dayWrites(tables.days, memberRanks, membersByRank); self.dayCredit.removeAll(); return .sorting(rows) },
            { let writes = self.voteWrites(tables.votes, memberRanks); self.latestVote.removeAll(); return .sorting(writes) },
            { let writes = self.answerWrites(tables.answers); self.answers.removeAll(); return .sorting(writes) },
            { .sorting(self.awardWrites(tables.awardKeys)) },
            { .sorting(self.memberWrites(tables.members)) },
            { .sorting(self.complaintWrites(tables.complaints)) },
            { .sorting(self.tierChangeWrites(tables.tierChanges)) },
            { .sorting(self.findingWrites(tables.findings)) },
            { .sorting(self.actionWrites(tables.actions)) },
        ]
        if oneLargeAtATime { encodings.swapAt(1, 2) }
        // Largest first: the first is written while the others are encoded.
        try OrderedJobs.run(encodings, atOnce: atOnce, body)
    }

    private func memberWrites(_ table: Database) -> SortedWrites {
        let (members, score, tier, points, awardsChecked) = (self.members, self.score, self.tier, self.points, self.awardsChecked)
        var writes = SortedWrites(table)
        for id in 0..<Int32(members.count) {
            let row = MemberRow(score: score[Int(id)], tier: tier[Int(id)], points: points[Int(id)], awardsChecked: awardsChecked[Int(id)])
            writes.add(key: { key in members.withBytes(id) { key.append(contentsOf: $0) } }, value: row.encode)  // not length-prefixed
        }
        return writes
    }

    // The writers below copy the interners they read into locals first: a property of this
    // class read in their loops would be retained and released on every pair.

    private func dayWrites(_ table: Database, _ memberRanks: [UInt32], _ membersByRank: [Int32]) -> RowWrites<DayCredit> {
        let members = self.members
        // A key is a length-prefixed member id and a day, the value two Int64s.
        var writes = RowWrites<DayCredit>(table, capacity: dayCredit.count) { order, credit, key, value in
            Self.appendID(of: membersByRank[Int(order >> 32)], in: members, to: &key)
            key.append(bigEndian: Int64(Int32(truncatingIfNeeded: order)))
            credit.encode(into: &value)
        }
        dayCredit.forEach { packed, credit in
            // A day's key is its Int64, big-endian: as bytes, days from 1970 on sort before earlier ones, as here.
            writes.add(order: UInt64(memberRanks[Int(Self.high(packed))]) << 32 | UInt64(UInt32(bitPattern: Self.low(packed))), credit)
        }
        return writes
    }

    private func voteWrites(_ table: Database, _ memberRanks: [UInt32]) -> SortedWrites {
        let members = self.members, contents = self.contents
        let contentRanks = contents.keyOrderRanks()
        // A key is two length-prefixed ids, the value three 8-byte numbers and the author's id.
        var writes = SortedWrites(table, pairs: latestVote.count, bytes: latestVote.count * (3 + 3 * Self.typicalIDBytes + 24))
        latestVote.forEach { packed, vote in
            let (voter, content) = (Self.high(packed), Self.low(packed))
            writes.add(order: UInt64(memberRanks[Int(voter)]) << 32 | UInt64(contentRanks[Int(content)]), key: { key in
                Self.appendID(of: voter, in: members, to: &key)
                Self.appendID(of: content, in: contents, to: &key)
            }, value: { value in members.withBytes(vote.author) { StoredVote.encode(vote, author: $0, into: &value) } })
        }
        return writes
    }

    private func answerWrites(_ table: Database) -> SortedWrites {
        let members = self.members, questions = self.questions
        var writes = SortedWrites(table)
        answers.forEach { packed, answer in
            let (quiz, question) = questions.splitQuestion(Self.low(packed))
            writes.add(key: { key in
                Self.appendID(of: Self.high(packed), in: members, to: &key)
                key.append(lengthPrefixed: quiz)
                key.append(lengthPrefixed: question)
            }, value: answer.encode)
        }
        return writes
    }

    private func awardWrites(_ table: Database) -> SortedWrites {
        var writes = SortedWrites(table)
        for id in 0..<Int32(awardKeys.count) {
            awardKeys.withBytes(id) { key in writes.add(key: { $0.append(contentsOf: key) }, value: { _ in }) }
        }
        return writes
    }

    private func findingWrites(_ table: Database) -> SortedWrites {
        var writes = SortedWrites(table)
        for finding in findings { writes.add(key: { ProjectionKey.appendFinding(finding, to: &$0) }, value: finding.encodeValue) }
        return writes
    }

    private func tierChangeWrites(_ table: Database) -> SortedWrites {
        let members = self.members
        let tiers = rules.engagement.tiers
        var writes = SortedWrites(table)
        for (member, changes) in tierHistory {
            for change in changes {
                writes.add(key: { key in
                    Self.appendID(of: member, in: members, to: &key)
                    key.append(bigEndian: change.seq)
                }, value: { change.encodeValue(tiers: tiers, into: &$0) })
            }
        }
        return writes
    }

    private func complaintWrites(_ table: Database) -> SortedWrites {
        var writes = SortedWrites(table)
        complaints.forEach { id, complaint in writes.add(key: { $0.append(contentsOf: id.utf8) }, value: complaint.encode) }
        return writes
    }

    private func actionWrites(_ table: Database) -> SortedWrites {
        var writes = SortedWrites(table)
        actions.forEach { id, action in writes.add(key: { $0.append(contentsOf: id.utf8) }, value: action.encode) }
        return writes
    }

    /// The bytes of an id, on average, to size the largest tables' writes: a longer one costs
    /// at worst a copy of the arena.
    private static let typicalIDBytes = 12

    /// Appends the length-prefixed bytes of interned `id` (a key part, see ``ProjectionKey``).
    private static func appendID(of id: Int32, in interner: Interner, to writer: inout ByteWriter) {
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
        awardKeys = Interner()
        complaints = StatesByID()
        actions = StatesByID()
        holdsEverything = false
    }
}
