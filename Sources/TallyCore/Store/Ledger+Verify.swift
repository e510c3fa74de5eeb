internal import LMDB

/// The result of `tally verify`.
public struct VerifyReport: Sendable, Equatable {
    /// Whether the chain, the sequence and every index agree with the log.
    public var ok: Bool
    /// The number of events checked.
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
    /// every entry of the id and posting indexes against the log.
    ///
    /// Index entries are compared per `seq` through a 64-bit fingerprint of each
    /// (index, key, seq) entry, so the check needs 16 bytes of memory per event.
    public func verify(progress: ((UInt64) -> Void)? = nil) throws -> VerifyReport {
        try read { txn in
            var expected: [UInt64] = [0]  // per seq: the fingerprint sum the log implies
            var chain = ChainCheck()
            let failure: (seq: UInt64, problem: String)? = try txn.withCursor(schema.events) { cursor in
                var entry = try cursor.first()
                while let (key, value) = entry {
                    let seq = chain.seq + 1
                    guard key.count == 8, let stored = ByteReader.uint64(key) else { return (seq, "malformed key") }
                    guard stored == seq else { return (seq, stored > seq ? "gap: seq \(seq) is missing (next is \(stored))" : "out-of-order key \(stored)") }
                    do {
                        guard try chain.advance(record: value) else { return (seq, "hash mismatch: the event or its hash was altered") }
                        let record = try RecordView(body: EventRecord.body(of: value))
                        guard record.seq == seq else { return (seq, "the record says seq \(record.seq)") }
                        var sum = Fingerprint.of(index: 0, key: record.id, seq: seq)
                        IndexEntries.keys(for: record) { kind, key in sum &+= Fingerprint.of(index: kind.rawValue, key: key, seq: seq) }
                        expected.append(sum)
                    } catch {
                        return (seq, "undecodable record: \(error)")
                    }
                    if seq & 0xFFFF == 0 { progress?(seq) }
                    entry = try cursor.next()
                }
                return nil
            }
            let head = Hex.encode(chain.head)
            if let failure {
                return VerifyReport(ok: false, events: chain.seq, head: head, firstBadSeq: failure.seq, problem: failure.problem)
            }
            var tally = IndexTally(expected: expected)
            try tally.add(ids: schema.ids, txn)
            for kind in PostingIndex.Kind.allCases { try tally.add(kind, schema.postings[kind]!, txn) }
            if let mismatch = tally.firstMismatch() {
                return VerifyReport(ok: false, events: chain.seq, head: head, firstBadSeq: mismatch.seq, problem: mismatch.problem)
            }
            return VerifyReport(ok: true, events: chain.seq, head: head)
        }
    }
}

/// The hash chain as `verify` walks it: the last good seq and hash.
private struct ChainCheck {
    private(set) var seq: UInt64 = 0
    private(set) var head = EventRecord.zeroHash
    private var computed = EventRecord.zeroHash

    /// Checks the next record's stored hash against SHA-256(head ‖ body); on success it
    /// becomes the head.
    mutating func advance(record: UnsafeRawBufferPointer) throws(DecodeError) -> Bool {
        let stored = try EventRecord.hash(of: record)
        let body = EventRecord.body(of: record)
        head.withUnsafeBytes { previous in
            computed.withUnsafeMutableBytes { EventRecord.chainHash(previous: previous, body: body, into: $0) }
        }
        guard computed.withUnsafeBytes({ stored.hasSameBytes(as: $0) }) else { return false }
        swap(&head, &computed)
        seq += 1
        return true
    }
}

/// Per-seq fingerprint sums of the index entries found, compared with the log's.
private struct IndexTally {
    let expected: [UInt64]
    private var found: [UInt64]
    /// The lowest seq named by an entry that cannot be right (past the log, undecodable).
    private var outside: (seq: UInt64, problem: String)?

    init(expected: [UInt64]) {
        self.expected = expected
        found = [UInt64](repeating: 0, count: expected.count)
    }

    private var last: UInt64 { UInt64(expected.count - 1) }

    private mutating func record(_ index: UInt8, _ name: String, _ key: UnsafeRawBufferPointer, _ seq: UInt64) {
        guard seq >= 1, seq <= last else {
            flag(seq, "\(name) has an entry for seq \(seq), which is not in the log")
            return
        }
        found[Int(seq)] &+= Fingerprint.of(index: index, key: key, seq: seq)
    }

    private mutating func flag(_ seq: UInt64, _ problem: String) {
        if outside == nil || seq < outside!.seq { outside = (seq, problem) }
    }

    mutating func add(ids: Database, _ txn: borrowing Transaction) throws {
        try txn.withCursor(ids) { cursor in
            var entry = try cursor.first()
            while let (key, value) = entry {
                record(0, "ids", key, ByteReader.uint64(value) ?? 0)
                entry = try cursor.next()
            }
        }
    }

    mutating func add(_ kind: PostingIndex.Kind, _ db: Database, _ txn: borrowing Transaction) throws {
        try txn.withCursor(db) { cursor in
            var entry = try cursor.first()
            while let (key, value) = entry {
                do {
                    let indexKey = try PostingIndex.indexKey(ofBlockKey: key)
                    try PostingIndex.decodeBlock(key: key, value: value) { record(kind.rawValue, kind.databaseName, indexKey, $0) }
                } catch {
                    let seq = key.count >= 8 ? ByteReader.uint64(UnsafeRawBufferPointer(rebasing: key[(key.count - 8)...])) ?? 0 : 0
                    flag(seq, "\(kind.databaseName) has an undecodable block")
                }
                entry = try cursor.next()
            }
        }
    }

    /// The first seq whose entries differ from the log's, or an impossible entry before it.
    func firstMismatch() -> (seq: UInt64, problem: String)? {
        if let index = expected.indices.first(where: { expected[$0] != found[$0] }) {
            let seq = UInt64(index)
            if let outside, outside.seq < seq { return outside }
            return (seq, "the indexes disagree with the log for seq \(seq)")
        }
        return outside
    }
}

/// A 64-bit fingerprint of one index entry (FNV-1a over the key, mixed with the index and seq).
enum Fingerprint {
    static func of(index: UInt8, key: UnsafeRawBufferPointer, seq: UInt64) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(index)
        for byte in key { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        var mixed = hash ^ (seq &* 0x9E37_79B9_7F4A_7C15)
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
