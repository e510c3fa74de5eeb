internal import LMDB

extension Ledger {
    /// Records with the ``Projector/Names`` they name, interned, and for a `points_award`
    /// the event its `ref` names.
    struct NamedRecords: @unchecked Sendable {  // views of a read transaction kept open until the caller is done
        static let size = 4_096
        /// How many events' table slots are read at once, ahead of their use: enough misses
        /// to overlap, few enough lines to stay in the cache until used; it divides ``size``.
        static let readAhead = 64

        var records: [(record: RecordView, names: Projector.Names, referenced: RecordView?)] = []
    }

    /// The interners a replay's reader fills, handed back when it is done.
    private final class Interners: @unchecked Sendable {  // written by the reader before the caller's `close()` returns
        var members: Interner
        var contents: Interner
        /// The checksum of the reader's last ``Interner/readSlots(_:)``, kept so that its reads are.
        var readChecksum: UInt64 = 0

        init(members: Interner, contents: Interner) {
            (self.members, self.contents) = (members, contents)
        }
    }

    private struct Stopped: Error {}

    /// Replays events `1...last` into `projector`, whose state memory holds whole, on both
    /// cores: a reader thread, in a read transaction of its own, decodes each record's
    /// envelope, finds the event an award's `ref` names, and interns the members and contents
    /// they name into the projector's interners; this thread checks the rest of each record
    /// (``RecordView/checkStructure()``: the reader was the slower stage, and a `diff` took
    /// a fifth less time once it no longer did) and applies them. Holding its whole state,
    /// the projector reads neither interner (nor `txn`) until the reader hands them back, so
    /// it traces no member (``Ledger/explain(_:rules:atSeq:)`` replays in one stage). Each
    /// stage reads the slots of its largest tables 64 events ahead, at once
    /// (``NamedRecords/readAhead``). A `diff` of the standard million takes about 40% less time
    /// than in one stage. The reader sees the ledger as last committed: `txn` must not have
    /// changed the log or its id index.
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
                for start in stride(from: 0, to: chunk.records.count, by: NamedRecords.readAhead) {
                    let batch = chunk.records[start..<min(start + NamedRecords.readAhead, chunk.records.count)]
                    projector.readAhead(batch.lazy.map { ($0.record, $0.names) })
                    for (var record, names, referenced) in batch {
                        do { try record.checkStructure() } catch { throw LedgerError.corrupted(seq: record.seq, reason: "\(error)") }
                        try projector.apply(record, names: names, referenced: referenced, txn)
                        if record.seq & 0xFFFF == 0 { progress?(record.seq) }
                        if try stop(record.seq) {
                            stoppedAfter = record.seq
                            break chunks
                        }
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
            // A batch's names are interned after the interners' slots they need are read at
            // once (``Interner/readSlots(_:)``).
            var batch: [(record: RecordView, keys: Projector.Keys, referenced: RecordView?)] = []
            var memberSlots: [Int] = [], contentSlots: [Int] = []
            func internBatch() throws {
                for entry in batch { entry.keys.appendSlots(members: members, to: &memberSlots, contents: contents, to: &contentSlots) }
                interners.readChecksum = members.readSlots(memberSlots) &+ contents.readSlots(contentSlots)
                memberSlots.removeAll(keepingCapacity: true)
                contentSlots.removeAll(keepingCapacity: true)
                for (record, keys, referenced) in batch {
                    chunk.records.append((record, Projector.Names(interning: keys, members: &members, contents: &contents), referenced))
                }
                batch.removeAll(keepingCapacity: true)
                guard chunk.records.count == NamedRecords.size else { return }
                try push()
                chunk.records.removeAll(keepingCapacity: true)
            }
            try forEachRecord(through: last, checkingStructure: false, txn) { _, record in  // the caller checks them
                let referenced = findingReferences ? try referencedEvent(of: record, txn) : nil
                batch.append((record, Projector.Keys(of: record), referenced))
                if batch.count == NamedRecords.readAhead { try internBatch() }
            }
            try internBatch()
            try push()
            queue.end()
            queue.waitUntilClosed()  // the records are views of this transaction's pages
        }
    }
}
