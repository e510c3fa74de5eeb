internal import LMDB

extension Ledger {
    /// Records with the ``Projector/Names`` they name, interned, and for a `points_award`
    /// the event its `ref` names.
    struct NamedRecords: @unchecked Sendable {  // views of a read transaction kept open until the caller is done
        static let size = 4_096

        var records: [(record: RecordView, names: Projector.Names, referenced: RecordView?)] = []
    }

    /// The interners a replay's reader fills, handed back when it is done.
    private final class Interners: @unchecked Sendable {  // written by the reader before the caller's `close()` returns
        var members: Interner
        var contents: Interner

        init(members: Interner, contents: Interner) {
            (self.members, self.contents) = (members, contents)
        }
    }

    private struct Stopped: Error {}

    /// Replays events `1...last` into `projector`, whose state memory holds whole, on both
    /// cores: a reader thread, in a read transaction of its own, decodes each record, finds
    /// the event an award's `ref` names, and interns the members and contents they name
    /// into the projector's interners; this thread applies them. Holding its whole state,
    /// the projector reads neither interner (nor `txn`) until the reader hands them back, so
    /// it traces no member (``Ledger/explain(_:rules:atSeq:)`` replays in one stage). A `diff` of the standard million takes about 40% less time than in one stage. The
    /// reader sees the ledger as last committed: `txn` must not have changed the log or its
    /// id index.
    /// - Parameter stop: asked with each event's seq once it is applied; true ends the
    ///   replay there (so that the projector can write its state early).
    /// - Returns: the seq the replay stopped after, or nil when it applied every event.
    @discardableResult
    func feedInTwoStages(
        _ projector: Projector, through last: UInt64, _ txn: borrowing Transaction, progress: ((UInt64) -> Void)?,
        stoppingAfter stop: (UInt64) throws -> Bool = { _ in false }
    ) throws -> UInt64? {
        precondition(projector.holdsEverything && projector.trace == nil)
        let interners = Interners(members: projector.members, contents: projector.contents)  // the reader's until it is done
        (projector.members, projector.contents) = (Interner(), Interner())
        let findsReferences = !projector.scoresOnly
        let queue = ChunkQueue<NamedRecords>(label: "tally.replay.reader") { queue in
            do {
                try self.readNamedRecords(through: last, findingReferences: findsReferences, interners: interners, into: queue)
            } catch is Stopped {}
        }
        var stoppedAfter: UInt64?
        do {
            chunks: while let chunk = try queue.next() {
                for (record, names, referenced) in chunk.records {
                    try projector.apply(record, names: names, referenced: referenced, txn)
                    if record.seq & 0xFFFF == 0 { progress?(record.seq) }
                    if try stop(record.seq) {
                        stoppedAfter = record.seq
                        break chunks
                    }
                }
            }
        } catch {
            queue.close()
            throw error
        }
        queue.close()
        // A reader stopped early has interned ahead of the events applied: ids are dense, in
        // order, so the projector's are the first ones.
        let (memberCount, contentCount) = projector.internedCounts
        projector.members = interners.members.count > memberCount ? interners.members.prefix(memberCount) : interners.members
        projector.contents = interners.contents.count > contentCount ? interners.contents.prefix(contentCount) : interners.contents
        return stoppedAfter
    }

    /// The reader of ``feedInTwoStages(_:through:_:progress:stoppingAfter:)``: hands over the
    /// records of events `1...last` with their names, leaves the interners in `interners`,
    /// and keeps its transaction open until the caller closes `queue`.
    private func readNamedRecords(
        through last: UInt64, findingReferences: Bool, interners: Interners, into queue: ChunkQueue<NamedRecords>
    ) throws {
        var (members, contents) = (interners.members, interners.contents)
        (interners.members, interners.contents) = (Interner(), Interner())  // one owner of each buffer
        defer { (interners.members, interners.contents) = (members, contents) }
        try read { txn in
            var chunk = NamedRecords()
            func push() throws {
                guard queue.push(chunk) else { throw Stopped() }
            }
            try forEachRecord(through: last, txn) { _, record in
                let referenced = findingReferences ? try referencedEvent(of: record, txn) : nil
                let names = Projector.Names(of: record, referenced: referenced, members: &members, contents: &contents)
                chunk.records.append((record, names, referenced))
                guard chunk.records.count == NamedRecords.size else { return }
                try push()
                chunk.records.removeAll(keepingCapacity: true)
            }
            try push()
            queue.end()
            queue.waitUntilClosed()  // the records are views of this transaction's pages
        }
    }
}
