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
            var previous = EventRecord.zeroHash
            var seq: UInt64 = 0
            let failure: (seq: UInt64, problem: String)? = try txn.withCursor(schema.events) { cursor in
                var entry = try cursor.first()
                while let (key, value) = entry {
                    seq += 1
                    guard key.count == 8, let stored = ByteReader.uint64(key) else { return (seq, "malformed key") }
                    guard stored == seq else { return (seq, stored > seq ? "gap: seq \(seq) is missing (next is \(stored))" : "out-of-order key \(stored)") }
                    do {
                        let hash = try EventRecord.hash(of: value)
                        let body = EventRecord.body(of: value)
                        let computed = previous.withUnsafeBytes { EventRecord.chainHash(previous: $0, body: body) }
                        guard hash.elementsEqual(computed) else { return (seq, "hash mismatch: the event or its hash was altered") }
                        let event = try EventRecord.decode(value)
                        guard event.seq == seq else { return (seq, "the record says seq \(event.seq)") }
                        var sum = Fingerprint.of(index: 0, key: Array((event.event.id ?? "").utf8), seq: seq)
                        IndexEntries.keys(for: event.event) { kind, key in sum &+= Fingerprint.of(index: kind.rawValue, key: key, seq: seq) }
                        expected.append(sum)
                        previous = computed
                    } catch {
                        return (seq, "undecodable record: \(error)")
                    }
                    if seq & 0xFFFF == 0 { progress?(seq) }
                    entry = try cursor.next()
                }
                return nil
            }
            if let failure {
                return VerifyReport(ok: false, events: seq, head: Hex.encode(previous), firstBadSeq: failure.seq, problem: failure.problem)
            }
            if let indexFailure = try checkIndexes(expected: expected, txn) {
                return VerifyReport(ok: false, events: seq, head: Hex.encode(previous), firstBadSeq: indexFailure.seq, problem: indexFailure.problem)
            }
            return VerifyReport(ok: true, events: seq, head: Hex.encode(previous))
        }
    }

    /// Sums the fingerprints of every index entry per seq and compares with the log's.
    private func checkIndexes(expected: [UInt64], _ txn: borrowing Transaction) throws -> (seq: UInt64, problem: String)? {
        let last = UInt64(expected.count - 1)
        var found = [UInt64](repeating: 0, count: expected.count)
        var outside: (seq: UInt64, problem: String)?
        func record(_ index: UInt8, _ name: String, _ key: UnsafeRawBufferPointer, _ seq: UInt64) {
            guard seq >= 1, seq <= last else {
                if outside == nil || seq < outside!.seq { outside = (seq, "\(name) has an entry for seq \(seq), which is not in the log") }
                return
            }
            found[Int(seq)] &+= Fingerprint.of(index: index, key: key, seq: seq)
        }
        try txn.withCursor(schema.ids) { cursor in
            var entry = try cursor.first()
            while let (key, value) = entry {
                record(0, "ids", key, ByteReader.uint64(value) ?? 0)
                entry = try cursor.next()
            }
        }
        for kind in PostingIndex.Kind.allCases {
            try txn.withCursor(schema.postings[kind]!) { cursor in
                var entry = try cursor.first()
                while let (key, value) = entry {
                    do {
                        let indexKey = try PostingIndex.indexKey(ofBlockKey: key)
                        try PostingIndex.decodeBlock(key: key, value: value) { record(kind.rawValue, kind.databaseName, indexKey, $0) }
                    } catch {
                        let seq = key.count >= 8 ? ByteReader.uint64(UnsafeRawBufferPointer(rebasing: key[(key.count - 8)...])) ?? 0 : 0
                        if outside == nil || seq < outside!.seq { outside = (seq, "\(kind.databaseName) has an undecodable block") }
                    }
                    entry = try cursor.next()
                }
            }
        }
        if let mismatch = expected.indices.first(where: { expected[$0] != found[$0] }) {
            let seq = UInt64(mismatch)
            if let outside, outside.seq < seq { return outside }
            return (seq, "the indexes disagree with the log for seq \(seq)")
        }
        return outside
    }
}

/// A 64-bit fingerprint of one index entry (FNV-1a over the key, mixed with the index and seq).
enum Fingerprint {
    static func of(index: UInt8, key: some Sequence<UInt8>, seq: UInt64) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(index)
        for byte in key { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        var mixed = hash ^ (seq &* 0x9E37_79B9_7F4A_7C15)
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
