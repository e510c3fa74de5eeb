internal import LMDB
import Dispatch

/// The result of `tally verify`.
public struct VerifyReport: Sendable, Equatable {
    /// Whether the chain, the sequence and every index agree with the log.
    public var ok: Bool
    /// The number of events checked (the good ones before the first bad seq).
    public var events: UInt64
    /// The hash of the last good event, hex (64 zeros for an empty ledger).
    public var head: String
    /// The first `seq` at which something is wrong.
    public var firstBadSeq: UInt64?
    /// What is wrong there.
    public var problem: String?
}

extension Ledger {
    /// Recomputes the hash chain, checks that `seq` runs 1, 2, 3… without gaps, and checks
    /// every entry of the id and posting indexes against the log, as of the head when it
    /// starts (writers may keep appending).
    ///
    /// Each event's hash depends only on the *stored* hash before it, so the chain is checked
    /// in chunks in parallel, alongside the scan of the indexes. Index entries are compared
    /// through a 64-bit fingerprint of each (index, key, seq) entry, summed per run of
    /// ``IndexTally/seqsPerRun`` seqs, a small table: should a run's sums differ, the
    /// indexes are scanned again for that run alone, summing per seq, to name the first bad
    /// one. 8 bytes of memory per event.
    public func verify(progress: ((UInt64) -> Void)? = nil) throws -> VerifyReport {
        try verify(eventsPerChunk: 100_000, progress: progress)
    }

    /// ``verify(progress:)`` with chunks of about `eventsPerChunk` events (at most 8 chunks).
    func verify(eventsPerChunk: UInt64, progress: ((UInt64) -> Void)? = nil) throws -> VerifyReport {
        let last = try lastSeq()
        guard last > 0 else { return VerifyReport(ok: true, events: 0, head: Hex.encode(EventRecord.zeroHash)) }
        let chunks = Int(min(8, max(1, last / eventsPerChunk)))
        let bounds = (0...chunks).map { last * UInt64($0) / UInt64(chunks) }
        var expected = [UInt64](repeating: 0, count: Int(last) + 1)
        var failures = [Result<ChainFailure?, any Error>](repeating: .success(nil), count: chunks)
        var index: Result<IndexTally, any Error> = .success(IndexTally(last: last))
        expected.withUnsafeMutableBufferPointer { expected in
            failures.withUnsafeMutableBufferPointer { failures in
                nonisolated(unsafe) let expected = expected, failures = failures, progress = progress  // progress: called from one worker only
                nonisolated(unsafe) var indexResult = index
                // The index scan, the longest item, goes first so that it never runs alone at the end.
                DispatchQueue.concurrentPerform(iterations: chunks + 1) { item in
                    if item == 0 {
                        indexResult = Result { try self.scanIndexes(last: last) }
                    } else {
                        let chunk = item - 1
                        let report = chunk == 0 ? progress.map { progress in { progress($0 * UInt64(chunks)) } } : nil
                        failures[chunk] = Result { try self.checkChain(from: bounds[chunk] + 1, through: bounds[chunk + 1], into: expected, progress: report) }
                    }
                }
                index = indexResult
            }
        }
        let chainFailure = try failures.compactMap { try $0.get() }.min { $0.seq < $1.seq }
        let tally = try index.get()
        var indexFailure = tally.firstMismatch(expected: expected, below: chainFailure?.seq ?? last + 1)
        if let run = indexFailure?.run {
            indexFailure = try scanIndexes(last: last, seqs: tally.seqs(ofRun: run)).firstMismatch(expected: expected, below: chainFailure?.seq ?? last + 1)
        }
        guard let failure = [chainFailure, indexFailure].compactMap({ $0 }).min(by: { $0.seq < $1.seq }) else {
            return VerifyReport(ok: true, events: last, head: try storedHash(at: last))
        }
        // An index entry may name a seq outside the log (0, or past the last): the events
        // before it, or all of them, are good.
        let good = failure.seq == 0 ? 0 : min(failure.seq - 1, last)
        return VerifyReport(ok: false, events: good, head: try storedHash(at: good), firstBadSeq: failure.seq, problem: failure.problem)
    }

    /// The stored hash of the event at `seq`, hex (64 zeros for seq 0 or a missing event).
    private func storedHash(at seq: UInt64) throws -> String {
        try read { txn in
            try ByteWriter.key(seq).withUnsafeBytes { key in
                try txn.withValue(schema.events, key: key) { value in
                    Hex.encode(value.flatMap { try? EventRecord.hash(of: $0) }.map(Array.init) ?? EventRecord.zeroHash)
                }
            }
        }
    }

    /// Checks the records `first...last` in their own read transaction: keys, the hash of
    /// each against SHA-256(stored previous hash ‖ body), and each record's shape. Writes the
    /// fingerprint sum of each record's index entries into `expected`.
    private func checkChain(
        from first: UInt64, through last: UInt64, into expected: UnsafeMutableBufferPointer<UInt64>, progress: ((UInt64) -> Void)?
    ) throws -> ChainFailure? {
        try read { txn in
            var previous = EventRecord.zeroHash, computed = EventRecord.zeroHash
            if first > 1 {
                let found: Bool = try ByteWriter.key(first - 1).withUnsafeBytes { key in
                    try txn.withValue(schema.events, key: key) { value in
                        guard let value, let hash = try? EventRecord.hash(of: value) else { return false }
                        previous.withUnsafeMutableBytes { $0.copyMemory(from: hash) }
                        return true
                    }
                }
                guard found else { return nil }  // the chunk before reports the problem
            }
            let pages = PageReleaser(interval: 1 << 16, pages: environment.mappedPages())
            return try txn.withCursor(schema.events) { cursor -> ChainFailure? in
                var entry = try cursor.seek(ByteWriter.key(first))
                var seq = first
                while seq <= last {
                    guard let (key, value) = entry else { return ChainFailure(seq: seq, problem: "gap: seq \(seq) is missing") }
                    guard key.count == 8, let stored = ByteReader.uint64(key) else { return ChainFailure(seq: seq, problem: "malformed key") }
                    guard stored == seq else { return ChainFailure(seq: seq, problem: "gap: seq \(seq) is missing (next is \(stored))") }
                    do {
                        let hash = try EventRecord.hash(of: value)
                        let body = EventRecord.body(of: value)
                        previous.withUnsafeBytes { prior in
                            computed.withUnsafeMutableBytes { EventRecord.chainHash(previous: prior, body: body, into: $0) }
                        }
                        guard computed.withUnsafeBytes({ hash.hasSameBytes(as: $0) }) else {
                            return ChainFailure(seq: seq, problem: "hash mismatch: the event or its hash was altered")
                        }
                        previous.withUnsafeMutableBytes { $0.copyMemory(from: hash) }
                        let record = try RecordView(verifiedBody: body)
                        guard record.seq == seq else { return ChainFailure(seq: seq, problem: "the record says seq \(record.seq)") }
                        var sum = Fingerprint.of(index: 0, key: record.id, seq: seq)
                        IndexEntries.keys(for: record) { kind, key in sum &+= Fingerprint.of(index: kind.rawValue, key: key, seq: seq) }
                        expected[Int(seq)] = sum
                    } catch {
                        return ChainFailure(seq: seq, problem: "undecodable record: \(error)")
                    }
                    if seq & 0xFFFF == 0 { progress?(seq - first + 1) }
                    pages.tick()
                    seq += 1
                    do { entry = try cursor.next() } catch let error as LMDBError where error == .corrupted {
                        return ChainFailure(seq: seq, problem: "the log's pages are damaged here: \(error)")
                    }
                }
                return nil
            }
        }
    }

    /// Sums the fingerprints of every id and posting entry per run of seqs, or per seq for
    /// `seqs` alone, in its own read transaction.
    private func scanIndexes(last: UInt64, seqs: ClosedRange<UInt64>? = nil) throws -> IndexTally {
        try read { txn in
            let head = try txn.withCursor(schema.events) { try $0.last().flatMap { ByteReader.uint64($0.key) } ?? 0 }
            var tally = IndexTally(last: last, snapshotHead: head, seqs: seqs)
            let pages = PageReleaser(interval: 1 << 16, pages: environment.mappedPages())
            try tally.add(ids: schema.ids, txn, pages: pages)
            for kind in PostingIndex.Kind.allCases { try tally.add(kind, schema.postings[kind]!, txn, pages: pages) }
            return tally
        }
    }
}

/// Where a check of `verify` found the first problem, and what it is.
struct ChainFailure {
    var seq: UInt64
    var problem: String
    /// When index sums differ over a run of seqs: the run, to scan again per seq.
    var run: Int?
}

/// Fingerprint sums of the index entries found, to compare with the log's: per run of
/// ``seqsPerRun`` seqs, or per seq over one range of seqs.
///
/// A scan of the posting blocks, grouped by key, adds to the sums of seqs all over the log;
/// per seq, for a million events, each add would miss the cache. Per run, the sums of a
/// million events take 8 KiB.
struct IndexTally {
    private static let runShift: UInt64 = 10
    /// The seqs whose sums are added up together.
    static let seqsPerRun = 1 << runShift

    /// The head verify checks up to.
    let last: UInt64
    /// The head of this scan's snapshot: entries between the two belong to later appends.
    let snapshotHead: UInt64
    /// The seqs summed one by one; nil sums every seq, per run.
    let seqs: ClosedRange<UInt64>?
    private var found: [UInt64]
    /// The lowest seq named by an entry that cannot be right (past the log, undecodable).
    private var outside: ChainFailure?

    init(last: UInt64, snapshotHead: UInt64 = 0, seqs: ClosedRange<UInt64>? = nil) {
        self.last = last
        self.snapshotHead = max(snapshotHead, last)
        self.seqs = seqs
        found = [UInt64](repeating: 0, count: seqs.map { $0.count } ?? Int(last >> Self.runShift) + 1)
    }

    /// The seqs of the log in run `run`.
    func seqs(ofRun run: Int) -> ClosedRange<UInt64> {
        max(1, UInt64(run) << Self.runShift)...min(last, (UInt64(run) + 1) << Self.runShift - 1)
    }

    private mutating func record(_ keyHash: UInt64, _ name: String, _ seq: UInt64) {
        if seq > last, seq <= snapshotHead { return }
        guard seq >= 1, seq <= last else {
            flag(seq, "\(name) has an entry for seq \(seq), which is not in the log")
            return
        }
        if let seqs {
            if seqs.contains(seq) { found[Int(seq - seqs.lowerBound)] &+= Fingerprint.of(keyHash: keyHash, seq: seq) }
        } else {
            found[Int(seq >> Self.runShift)] &+= Fingerprint.of(keyHash: keyHash, seq: seq)
        }
    }

    private mutating func flag(_ seq: UInt64, _ problem: String) {
        if outside == nil || seq < outside!.seq { outside = ChainFailure(seq: seq, problem: problem) }
    }

    /// Adds every entry of the id index, ticking `pages` once per entry.
    mutating func add(ids: Database, _ txn: borrowing Transaction, pages: PageReleaser) throws {
        try txn.withCursor(ids) { cursor in
            var entry = try cursor.first()
            while let (key, value) = entry {
                pages.tick()
                record(Fingerprint.keyHash(index: 0, key: key), "ids", ByteReader.uint64(value) ?? 0)
                entry = try cursor.next()
            }
        }
    }

    /// Adds every block of posting index `kind`, ticking `pages` once per block.
    mutating func add(_ kind: PostingIndex.Kind, _ db: Database, _ txn: borrowing Transaction, pages: PageReleaser) throws {
        try txn.withCursor(db) { cursor in
            var entry = try cursor.first()
            while let (key, value) = entry {
                pages.tick()
                do {
                    let keyHash = Fingerprint.keyHash(index: kind.rawValue, key: try PostingIndex.indexKey(ofBlockKey: key))
                    try PostingIndex.decodeBlock(key: key, value: value) { record(keyHash, kind.databaseName, $0) }
                } catch {
                    let seq = key.count >= 8 ? ByteReader.uint64(UnsafeRawBufferPointer(rebasing: key[(key.count - 8)...])) ?? 0 : 0
                    flag(seq, "\(kind.databaseName) has an undecodable block")
                }
                entry = try cursor.next()
            }
        }
    }

    /// The first seq below `limit` whose entries differ from `expected` (the log's sum per
    /// seq), or an impossible entry before it. Summed per run, a difference is reported as
    /// its run, with the run's first seq, for a scan per seq to tell which.
    func firstMismatch(expected: [UInt64], below limit: UInt64) -> ChainFailure? {
        let end = min(limit, last + 1)
        guard end > 1 else { return outside }
        var mismatch: ChainFailure?
        if let seqs {
            if let seq = seqs.clamped(to: 1...(end - 1)).first(where: { expected[Int($0)] != found[Int($0 - seqs.lowerBound)] }) {
                mismatch = ChainFailure(seq: seq, problem: "the indexes disagree with the log for seq \(seq)")
            }
        } else if let run = found.indices.first(where: { run in
            let runSeqs = seqs(ofRun: run)
            return runSeqs.lowerBound < end && runSeqs.reduce(0 as UInt64) { $0 &+ expected[Int($1)] } != found[run]
        }) {
            let first = seqs(ofRun: run).lowerBound
            mismatch = ChainFailure(seq: first, problem: "the indexes disagree with the log in seqs from \(first)", run: run)
        }
        return [outside, mismatch].compactMap { $0 }.min { $0.seq < $1.seq }
    }
}

/// A 64-bit fingerprint of one index entry (FNV-1a over the key, mixed with the index and seq).
enum Fingerprint {
    static func of(index: UInt8, key: UnsafeRawBufferPointer, seq: UInt64) -> UInt64 {
        of(keyHash: keyHash(index: index, key: key), seq: seq)
    }

    /// The part of a fingerprint that depends on the index and the key alone: an entry's
    /// fingerprint is ``of(keyHash:seq:)`` of it.
    static func keyHash(index: UInt8, key: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(index)
        for byte in key { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return hash
    }

    static func of(keyHash: UInt64, seq: UInt64) -> UInt64 {
        var mixed = keyHash ^ (seq &* 0x9E37_79B9_7F4A_7C15)
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
