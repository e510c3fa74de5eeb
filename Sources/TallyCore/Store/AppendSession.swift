internal import LMDB

/// Appends events inside one write transaction: idempotency, the state refusals, the
/// hash chain, the log, every index and the stored projections.
///
/// Index, registry and projection writes are batched in memory and written in key order
/// by ``flush(_:)``; the owner must call ``finish(_:)`` before committing.
final class AppendSession {
    /// What became of one event.
    enum Outcome: Equatable {
        case appended(seq: UInt64)
        case duplicate(seq: UInt64)
    }

    private let schema: Schema
    private let registry: EntityRegistry
    private(set) var lastSeq: UInt64
    /// The last seq committed before this session: later ones are its own.
    private let committedSeq: UInt64
    private var lastHash: [UInt8]
    /// When this session's events are recorded: the time every ``EncodedEvent`` it appends
    /// must have been encoded with.
    let recorded: Timestamp
    private var batch = IndexBatch()
    /// Keeps the stored projections in step; nil when they are not current and wait
    /// for a rebuild (a ledger written by a build that did not store them, or under other
    /// built-in rules).
    private let projector: Projector?
    /// Keeps the pages long sessions read from piling up in memory.
    private let pages: PageReleaser
    /// The keys written to the tables that began empty, so that looking up new ones
    /// (the usual case in an import into a new ledger) searches no B-tree.
    private let written: WrittenKeys

    /// When a session writes what it holds in memory, to bound the memory of long imports.
    struct MemoryLimits {
        /// How often, in events, a session checks what it holds: its index batch, the
        /// projector's state and the ``WrittenKeys`` filter (after each seq that is a
        /// multiple of it).
        var checkInterval = 100_000
        /// Index entries held before they are written (see ``IndexBatch/capacity``).
        var indexEntries = IndexBatch.capacity
        /// Entries of projection state held before they are written (see ``Projector/flushThreshold``).
        var projectionEntries = Projector.flushThreshold

        /// A rebuild's: its projector holds more (see ``Projector/rebuildFlushThreshold``).
        static let forRebuild = MemoryLimits(projectionEntries: Projector.rebuildFlushThreshold)

        /// Whether a projector holding `entries` after applying `seq` should write them.
        func projectionsAreFull(_ entries: Int, after seq: UInt64) -> Bool {
            isCheck(seq) && entries > projectionEntries
        }

        /// Whether what is held is checked after `seq`.
        func isCheck(_ seq: UInt64) -> Bool { seq % UInt64(checkInterval) == 0 }
    }

    private let limits: MemoryLimits

    /// About how many keys an event of the standard mix adds to the tracked tables: its
    /// id, and its share of entities, member-days, votes and other projection entries.
    static let keysPerEvent = 3

    /// - Parameters:
    ///   - storedRules: the rules the stored projections are kept under; nil keeps none.
    ///   - pages: for long sessions, drops the pages they read from memory as they go.
    ///   - expectedEvents: about how many events the session will append, to size
    ///     ``WrittenKeys``.
    ///   - limits: when what the session holds in memory is written.
    init(
        schema: Schema, _ txn: borrowing Transaction, storedRules: Rules?, recorded: Timestamp = .now(),
        pages: PageReleaser = PageReleaser(), expectedEvents: Int = 1, limits: MemoryLimits = MemoryLimits()
    ) throws {
        self.schema = schema
        self.pages = pages
        self.limits = limits
        let tables = [schema.ids, schema.entities, schema.balances] + (storedRules == nil ? [] : schema.projection.all)
        written = try WrittenKeys(tracking: tables, txn, expectedKeys: expectedEvents * Self.keysPerEvent, pages: pages)
        self.registry = EntityRegistry(schema: schema, written: written)
        self.recorded = recorded
        (lastSeq, lastHash) = try txn.withCursor(schema.events) { cursor in
            guard let (key, value) = try cursor.last() else { return (0, EventRecord.zeroHash) }
            guard let seq = ByteReader.uint64(key) else { throw LedgerError.corrupted(seq: nil, reason: "bad key in events") }
            do {
                return (seq, Array(try EventRecord.hash(of: value)))
            } catch {
                throw LedgerError.corrupted(seq: seq, reason: "\(error)")
            }
        }
        committedSeq = lastSeq
        if let storedRules {
            // Into an empty ledger, sized for the events whose state fills it up to the flush
            // threshold (about 1.7 entries per event of the standard mix), so that its tables
            // do not rehash as they grow.
            let sizedFor = min(expectedEvents, limits.projectionEntries / 2)
            projector = try Self.projector(schema, txn, rules: storedRules, lastSeq: lastSeq, written: written, expectedEvents: sizedFor)
        } else {
            projector = nil
        }
        if let projector, projector.lastSeq < lastSeq { try catchUp(projector, txn) }
    }

    /// A projector over the stored projections when they can be kept in step.
    private static func projector(
        _ schema: Schema, _ txn: borrowing Transaction, rules: Rules, lastSeq: UInt64, written: WrittenKeys, expectedEvents: Int
    ) throws -> Projector? {
        let store = ProjectionStore(schema: schema, rules: rules, written: written)
        guard let checkpoint = try ProjectionTables.checkpoint(schema.meta, txn), lastSeq > 0 else {
            return lastSeq == 0 ? Projector(rules: rules, store: store, checkpoint: 0, expectedEvents: expectedEvents) : nil
        }
        guard checkpoint.rules == rules.fingerprint, checkpoint.seq <= lastSeq else { return nil }
        return Projector(rules: rules, store: store, checkpoint: checkpoint.seq)
    }

    /// Applies the events a build that does not store projections appended since the checkpoint.
    private func catchUp(_ projector: Projector, _ txn: borrowing Transaction) throws {
        for seq in (projector.lastSeq + 1)...lastSeq {
            guard let record = try schema.recordView(at: seq, txn) else { throw LedgerError.corrupted(seq: seq, reason: "missing from the log") }
            try projector.apply(record, referenced: try referenced(by: record, txn), txn)
        }
    }

    /// Appends `event`, or recognises it as a duplicate.
    /// - Throws: ``Refusal`` when the ledger's state refuses it; nothing is changed then.
    /// - Parameter timeIsDefaulted: `event`'s time was not given but set to now.
    func append(_ event: Event, timeIsDefaulted: Bool = false, _ txn: borrowing Transaction) throws -> Outcome {
        try append(EncodedEvent(event, recorded: recorded, timeIsDefaulted: timeIsDefaulted), txn)
    }

    /// Appends an event encoded ahead, at this session's ``recorded`` time, or recognises
    /// it as a duplicate.
    /// - Throws: ``Refusal`` when the ledger's state refuses it; nothing is changed then.
    func append(_ encoded: EncodedEvent, _ txn: borrowing Transaction) throws -> Outcome {
        try txn.withCursor(schema.events) { try append(encoded, txn, through: $0) }
    }

    /// ``append(_:_:)-(EncodedEvent,_)`` writing the record through `events`, a cursor on
    /// the log that a run of appends shares: appending through one cursor spares LMDB the
    /// descent from the root that each separate put makes.
    func append(_ encoded: EncodedEvent, _ txn: borrowing Transaction, through events: borrowing Cursor) throws -> Outcome {
        var encoded = encoded
        while let existing = try encoded.withView({ try self.seq(ofID: $0.id, txn) }) {
            guard encoded.hasGeneratedID else { return try duplicate(encoded, of: existing, txn) }
            var event = try encoded.event()
            event.id = nil  // a random id already taken: draw another
            encoded = EncodedEvent(event, recorded: recorded, timeIsDefaulted: encoded.hasDefaultedTime)
        }
        try encoded.withView { try checkState($0, txn) }
        let seq = lastSeq + 1
        lastHash.withUnsafeBytes { encoded.place(at: seq, after: $0) }
        try encoded.withRecord { record in
            try withUnsafeBytes(of: seq.bigEndian) { try events.put(key: $0, value: record, flags: .append) }
        }
        lastHash.withUnsafeMutableBytes { encoded.copyHash(into: $0) }
        lastSeq = seq
        try encoded.withView { try index($0, txn) }
        return .appended(seq: seq)
    }

    /// The outcome of appending `encoded` again, whose id the event at `existing` has.
    /// - Throws: ``Refusal`` when the two differ in content (a conflict).
    private func duplicate(_ encoded: EncodedEvent, of existing: UInt64, _ txn: borrowing Transaction) throws -> Outcome {
        guard let stored = try schema.storedEvent(at: existing, txn) else {
            throw LedgerError.corrupted(seq: existing, reason: "the id index names a missing event")
        }
        let event = try encoded.event()
        guard stored.event.hasSameContent(as: event, ignoringTime: encoded.hasDefaultedTime) else {
            throw Refusal(field: "id", reason: "\"\(event.id ?? "")\" is already used by \(name(of: existing)) with different content (a conflict)")
        }
        return .duplicate(seq: existing)
    }

    /// Adds an appended record, or a stored one (for rebuilds), to the indexes, registries
    /// and projections; records come in ascending seq order.
    func index(_ record: RecordView, _ txn: borrowing Transaction) throws {
        let seq = record.seq
        batch.add(id: record.id, seq: seq)
        IndexEntries.keys(for: record) { kind, key in batch.add(kind, key: key, seq: seq) }
        try applyState(record, txn)
        try projector?.apply(record, referenced: try referenced(by: record, txn), txn)
        pages.tick()
        if limits.isCheck(seq) {
            let projectorIsFull = projector.map { limits.projectionsAreFull($0.entriesInMemory, after: seq) } ?? false
            // Once the projector has written its state, it reads what it needs back from the
            // tables, the registry's among them (who wrote a post, a quiz's key): the
            // registry's changes must be written first.
            if batch.count >= limits.indexEntries || projectorIsFull { try flushIndexes(txn) }
            if projectorIsFull, let projector { try projector.flush(txn, pages: pages, sparingMemory: true) }
            try written.growIfFull(txn, pages: pages)  // an input larger than its size told (standard input)
        }
    }

    /// Writes everything buffered: index and registry entries, and the stored projections
    /// with their checkpoint. The session may go on appending (as long imports do).
    func flush(_ txn: borrowing Transaction) throws {
        try flushIndexes(txn)
        try projector?.flush(txn, pages: pages, sparingMemory: true)
    }

    /// Writes everything buffered, as ``flush(_:)`` does, for the last time: the session
    /// appends nothing more, so the keys written are not recorded for later look-ups.
    func finish(_ txn: borrowing Transaction) throws {
        written.stopTracking()
        try flushIndexes(txn)
        batch = IndexBatch()  // its buffers' capacity, kept for the next batch, is not needed again
        try projector?.flush(txn, pages: pages, sparingMemory: true)
    }

    private func flushIndexes(_ txn: borrowing Transaction) throws {
        try batch.write(schema, txn, pages: pages, written: written)
        try registry.flush(txn, pages: pages)
    }

    /// The stored event a `points_award` names by its `ref`, if any. The view is valid
    /// until the next write in `txn`.
    private func referenced(by record: RecordView, _ txn: borrowing Transaction) throws -> RecordView? {
        guard record.type == .pointsAward, let ref = record.string("ref"), let seq = try seq(ofID: ref, txn) else { return nil }
        return try schema.recordView(at: seq, txn)
    }

    private func seq(ofID id: String, _ txn: borrowing Transaction) throws -> UInt64? {
        var id = id
        return try id.withUTF8 { try seq(ofID: UnsafeRawBufferPointer($0), txn) }
    }

    /// The seq of the event whose id has UTF-8 bytes `id`: appended in this session or stored.
    private func seq(ofID id: UnsafeRawBufferPointer, _ txn: borrowing Transaction) throws -> UInt64? {
        if let pending = batch.seq(ofID: id) { return pending }
        guard written.mayContain(id, in: schema.ids) else { return nil }
        return try txn.withValue(schema.ids, key: id) { $0.flatMap(ByteReader.uint64) }
    }

    // MARK: - State rules (CONTRACT.md section 2)

    /// Refuses `event` when the ledger's state does not allow it. It reads the encoded
    /// form; the fields it needs were checked present by ``EventValidator``.
    private func checkState(_ event: RecordView, _ txn: borrowing Transaction) throws {
        switch event.type {
        case .post: try requireNew(.content, "post", event, txn)
        case .reply: try requireNew(.content, "reply", event, txn)
        case .quizPublished: try requireNew(.quiz, "quiz", event, txn)
        case .complaint: try requireNew(.complaint, "complaint", event, txn)
        case .actionOpened: try requireNew(.action, "action", event, txn)
        case .complaintResponse, .resolution:
            let id = event.string("complaint") ?? ""
            guard let record = try registry.record(.complaint, id, txn) else {
                throw Refusal(field: "data.complaint", reason: "no complaint \"\(id)\" exists")
            }
            guard record.status != EntityRegistry.complaintClosed else {
                throw Refusal(field: "data.complaint", reason: "complaint \"\(id)\" is already closed")
            }
        case .actionUpdated:
            let id = event.string("action") ?? ""
            guard let record = try registry.record(.action, id, txn) else {
                throw Refusal(field: "data.action", reason: "no action \"\(id)\" exists")
            }
            guard Int(record.status) < ActionStatus.allCases.count else {
                throw LedgerError.corrupted(seq: record.seq, reason: "the registry gives action \"\(id)\" status \(record.status)")
            }
            let status = ActionStatus.allCases[Int(record.status)]
            guard !status.isFinal else {
                throw Refusal(field: "data.action", reason: "action \"\(id)\" is \(status.rawValue) and cannot change")
            }
        case .pointsRedeemed:
            let points = event.integer("points") ?? 0, actor = event.actorName
            let balance = try registry.balance(actor, txn)
            guard points <= balance else {
                throw Refusal(field: "data.points", reason: "redeeming \(points) would make \(actor)'s balance negative (it is \(balance))")
            }
        case .memberJoined, .vote, .quizAnswer, .pointsAward: break
        }
    }

    private func requireNew(_ kind: EntityRegistry.Kind, _ field: StaticString, _ event: RecordView, _ txn: borrowing Transaction) throws {
        let id = event.string(field) ?? ""
        if let existing = try registry.record(kind, id, txn) {
            let what = kind == .content ? "post or reply" : "\(field)"
            throw Refusal(field: "data.\(field)", reason: "\(what) \"\(id)\" already exists (\(name(of: existing.seq)))")
        }
    }

    /// How a refusal names the event at `seq`: by its seq when it was committed before this
    /// session, else as an earlier line of the input, whose seq an import that stops at the
    /// refusal never commits.
    private func name(of seq: UInt64) -> String {
        seq > committedSeq ? "an earlier line of this input" : "seq \(seq)"
    }

    /// Records what `record` creates or changes in the registries and balances. It reads
    /// the stored form, so that rebuilds need no decoded ``Event``; a field the refusal rules
    /// guarantee but a damaged record lacks is skipped, never trapped on.
    private func applyState(_ record: RecordView, _ txn: borrowing Transaction) throws {
        let seq = record.seq
        switch record.type {
        case .post, .reply, .quizPublished, .complaint, .actionOpened:
            let (kind, field, status): (EntityRegistry.Kind, StaticString, UInt8) = switch record.type {
            case .post: (.content, "post", 0)
            case .reply: (.content, "reply", 0)
            case .quizPublished: (.quiz, "quiz", 0)
            case .complaint: (.complaint, "complaint", EntityRegistry.complaintOpen)
            default: (.action, "action", UInt8(ActionStatus.allCases.firstIndex(of: .planned)!))
            }
            guard let id = record.string(field) else { return }
            try registry.set(kind, id, .init(seq: seq, status: status, owner: record.actorName), txn)
        case .complaintResponse, .resolution:
            guard let id = record.string("complaint"), var entry = try registry.record(.complaint, id, txn) else { return }
            entry.status = record.type == .resolution ? EntityRegistry.complaintClosed : EntityRegistry.complaintResponded
            try registry.set(.complaint, id, entry, txn)
        case .actionUpdated:
            guard let id = record.string("action"), let status = record.string("status").flatMap(ActionStatus.init(rawValue:)),
                  var entry = try registry.record(.action, id, txn) else { return }
            entry.status = UInt8(ActionStatus.allCases.firstIndex(of: status)!)
            try registry.set(.action, id, entry, txn)
        case .pointsAward:
            guard let points = record.integer("points"), let member = record.string("member") else { return }
            try registry.add(points, to: member, txn)
        case .pointsRedeemed:
            guard let points = record.integer("points") else { return }
            try registry.add(0 &- points, to: record.actorName, txn)
        case .memberJoined, .vote, .quizAnswer: break
        }
    }
}
