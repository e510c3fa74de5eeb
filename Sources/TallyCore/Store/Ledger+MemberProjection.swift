internal import LMDB

extension Ledger {
    /// Everything behind `member`'s score and points under `rules`, as of `atSeq` (the
    /// head when nil); nil when the member appears nowhere up to there.
    public func explain(_ member: String, rules: Rules, atSeq: UInt64? = nil) throws -> Explanation? {
        try memberProjection(member, rules: rules, atSeq: atSeq).explanation()
    }

    /// A replay under `rules`, up to `atSeq` (the head when nil), of only the events that
    /// bear on `member` (``seqsBearing(on:through:pages:_:)``), in seq order, tracing the
    /// member's credits. Its figures for `member` (score, tier, points, tier history, audit
    /// findings, explanation) are the full replay's, in milliseconds where a replay of the
    /// whole log takes about a second per million events; a test compares the two for every
    /// member of random histories. Other members' figures are incomplete.
    func memberProjection(_ member: String, rules: Rules, atSeq: UInt64?) throws -> Projector {
        try read { txn in
            let last = min(atSeq ?? .max, try Self.lastSeq(schema, txn))
            // The records and index blocks lie all over the map: drop the pages read as it goes.
            let pages = PageReleaser(interval: 1_024, pages: environment.mappedPages())
            let seqs = try seqsBearing(on: member, through: last, pages: pages, txn)
            let projector = Projector(rules: rules, expectedEvents: seqs.count, scoresOnly: false)
            projector.startTracing(member)
            for seq in seqs {
                guard let record = try schema.recordView(at: seq, txn) else { throw LedgerError.corrupted(seq: seq, reason: "missing from the log") }
                try projector.apply(record, referenced: try referencedEvent(of: record, txn), txn)
                pages.tick()
            }
            return projector
        }
    }

    /// The seqs up to `last`, ascending, of the events that `member`'s credits, tiers, points
    /// and audit findings depend on (CONTRACT.md section 5):
    /// - the member's own events, and the awards to the member;
    /// - every event naming a post or reply of the member: the votes it received;
    /// - the events that created what the member replied to or voted on, and the quizzes it
    ///   answered: whether they were known then, and whose they were;
    /// - for each award to the member, every event naming the id its `ref` names: the earlier
    ///   awards that make it a `duplicate`.
    ///
    /// The event a `ref` names comes with its award to the replay, as in a full one; whether
    /// it is the member's and qualifies depends on the member's own events alone (their
    /// answers, their complaints), or it is a `ref_mismatch` either way. A replay of these
    /// events leaves other members' figures incomplete, but none that the member's depend on.
    /// - Parameter pages: ticked for each event looked at.
    func seqsBearing(on member: String, through last: UInt64, pages: PageReleaser, _ txn: borrowing Transaction) throws -> [UInt64] {
        let name = Array(member.utf8)
        var found: Set<UInt64> = []
        func addPostings(_ kind: PostingIndex.Kind, _ key: UnsafeRawBufferPointer?) throws {
            guard let key else { return }
            for seq in try PostingIndex.seqs(for: Array(key), in: schema.postings[kind]!, txn) where seq <= last { found.insert(seq) }
        }
        func addCreation(_ kind: EntityRegistry.Kind, of id: UnsafeRawBufferPointer?) throws {
            guard let id, let created = try EntityRegistry.storedRecord(kind, id: id, in: schema.entities, txn), created.seq <= last else { return }
            found.insert(created.seq)
        }
        try name.withUnsafeBytes { name in
            try addPostings(.actor, name)
            try addPostings(.member, name)
        }
        for seq in found.sorted() {
            guard let event = try schema.recordView(at: seq, txn) else { continue }
            pages.tick()
            switch event.type {
            case .post: try addPostings(.ref, event.bytes("post"))
            case .reply:
                try addPostings(.ref, event.bytes("reply"))
                try addCreation(.content, of: event.bytes("post"))
            case .vote: try addCreation(.content, of: event.bytes("target"))
            case .quizAnswer: try addCreation(.quiz, of: event.bytes("quiz"))
            case .pointsAward:
                guard let awarded = event.bytes("member"), name.withUnsafeBytes(awarded.hasSameBytes) else { break }
                try addPostings(.ref, event.bytes("ref"))
            default: break
            }
        }
        return found.sorted()
    }
}
