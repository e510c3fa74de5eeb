internal import LMDB

/// A secondary index from a key (an actor, a type, an id…) to the `seq`s of the events
/// that carry it, stored as posting-list blocks.
///
/// Each block is one LMDB entry: key `u8 length ‖ key bytes ‖ u64 first seq` (big-endian),
/// value `varint count ‖ varint gaps` after the first seq. A write transaction adds at
/// most one block per key per batch, so an import costs one B-tree insert per distinct
/// key and batch rather than one per event.
enum PostingIndex {
    /// The posting-list indexes of a ledger.
    enum Kind: UInt8, CaseIterable, Sendable {
        case actor = 1, member, type, ref, day

        var databaseName: String {
            switch self {
            case .actor: "by_actor"
            case .member: "by_member"
            case .type: "by_type"
            case .ref: "by_ref"
            case .day: "by_day"
            }
        }
    }

    static func blockKey(_ key: some Collection<UInt8>, firstSeq: UInt64) -> [UInt8] {
        var writer = ByteWriter(capacity: key.count + 9)
        writer.append(UInt8(key.count))
        writer.append(contentsOf: key)
        writer.append(bigEndian: firstSeq)
        return writer.bytes
    }

    /// The first seq of a block, which its key ends with.
    static func firstSeq(ofBlockKey key: UnsafeRawBufferPointer) throws -> UInt64 {
        guard key.count >= 9 else { throw DecodeError.truncated }
        return ByteReader.uint64(UnsafeRawBufferPointer(rebasing: key[(key.count - 8)...]))!
    }

    /// Decodes a block into its seqs, calling `body` for each.
    static func decodeBlock(key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer, _ body: (UInt64) throws -> Void) throws {
        var seq = try firstSeq(ofBlockKey: key)
        var reader = ByteReader(value)
        let count = try reader.varint()
        guard count >= 1, count <= UInt64(value.count) else { throw DecodeError.malformed("posting block count") }
        try body(seq)
        for _ in 1..<count {
            seq &+= try reader.varint()
            try body(seq)
        }
        guard reader.isAtEnd else { throw DecodeError.malformed("posting block trailing bytes") }
    }

    /// Writes one block holding `seqs` (ascending; none, no block) under `key` through
    /// `cursor`, encoding its key and value in `scratch`, which a batch of writes reuses.
    static func writeBlock(
        key: UnsafeRawBufferPointer, seqs: ArraySlice<UInt64>, through cursor: borrowing Cursor, flags: PutFlags = [],
        scratch: inout ByteWriter
    ) throws {
        guard let first = seqs.first else { return }
        scratch.bytes.removeAll(keepingCapacity: true)
        scratch.append(UInt8(key.count))
        scratch.append(contentsOf: key)
        scratch.append(bigEndian: first)
        let keyLength = scratch.bytes.count
        scratch.append(varint: UInt64(seqs.count))
        for index in seqs.indices.dropFirst() { scratch.append(varint: seqs[index] - seqs[index - 1]) }
        try scratch.bytes.withUnsafeBytes { block in
            try cursor.put(key: UnsafeRawBufferPointer(rebasing: block[..<keyLength]), value: UnsafeRawBufferPointer(rebasing: block[keyLength...]),
                           flags: flags)
        }
    }

    /// Every seq stored under `key`, ascending.
    static func seqs(for key: [UInt8], in db: Database, _ txn: borrowing Transaction) throws -> [UInt64] {
        var prefix = [UInt8(key.count)]
        prefix.append(contentsOf: key)
        var result: [UInt64] = []
        try txn.withCursor(db) { cursor in
            var entry = try cursor.seek(prefix)
            while let (k, v) = entry, k.count == prefix.count + 8, k.starts(with: prefix) {
                try decodeBlock(key: k, value: v) { result.append($0) }
                entry = try cursor.next()
            }
        }
        return result
    }

    /// The key stored in a block key, without its length byte and first seq.
    static func indexKey(ofBlockKey key: UnsafeRawBufferPointer) throws -> UnsafeRawBufferPointer {
        guard key.count >= 9, Int(key[0]) == key.count - 9 else { throw DecodeError.malformed("posting key length") }
        return UnsafeRawBufferPointer(rebasing: key[1..<(key.count - 8)])
    }
}
