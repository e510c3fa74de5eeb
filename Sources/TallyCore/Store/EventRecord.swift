// BoringSSL's own SHA-256, from the C module under swift-crypto's `Crypto` where it builds
// one (not on Apple's systems, where `Crypto` is CryptoKit): see `chainHash`.
#if canImport(CCryptoBoringSSL)
internal import CCryptoBoringSSL
#else
internal import Crypto
#endif

/// The stored form of an event: the value of the `events` database (docs/storage.md).
///
/// ```
/// u8 version (1) | 32-byte hash | body
/// body = u64 seq | i64 recorded ms | i64 time ms | u8 type code
///        | varint+id | varint+actor | binary JSON data | binary JSON extras
/// ```
/// The body is the event's canonical bytes: `hash = SHA-256(previous hash ‖ body)`.
enum EventRecord {
    static let version: UInt8 = 1
    static let hashSize = 32
    static let bodyOffset = 1 + hashSize
    static let zeroHash = [UInt8](repeating: 0, count: hashSize)

    /// Encodes the canonical body of `event` at `seq`.
    static func body(seq: UInt64, recorded: Timestamp, event: Event) -> [UInt8] {
        var writer = ByteWriter(capacity: 256)
        encodeBody(seq: seq, recorded: recorded, event: event, into: &writer)
        return writer.bytes
    }

    /// Appends the canonical body of `event` at `seq` to `writer`.
    static func encodeBody(seq: UInt64, recorded: Timestamp, event: Event, into writer: inout ByteWriter) {
        writer.append(bigEndian: seq)
        writer.append(bigEndian: recorded.milliseconds)
        writer.append(bigEndian: event.time.milliseconds)
        writer.append(event.type.code)
        writer.append(lengthPrefixed: event.id ?? "")
        writer.append(lengthPrefixed: event.actor)
        BinaryJSON.encode(event.data, into: &writer)
        BinaryJSON.encode(event.extras, into: &writer)
    }

    /// SHA-256 of `previous ‖ body`.
    static func chainHash(previous: UnsafeRawBufferPointer, body: UnsafeRawBufferPointer) -> [UInt8] {
        var hash = zeroHash
        hash.withUnsafeMutableBytes { chainHash(previous: previous, body: body, into: $0) }
        return hash
    }

    /// SHA-256 of `previous ‖ body`, written into `output` (32 bytes), without allocating.
    ///
    /// This calls BoringSSL's functions, which swift-crypto builds (with the CPU's SHA
    /// instructions) as its C module `CCryptoBoringSSL`, rather than `Crypto.SHA256`, whose
    /// wrapper allocates a context per hash and another to finalize: as much time as the
    /// hashing itself. `tally verify` of a million events took a quarter less time. The module
    /// is not a product of swift-crypto but comes with its `Crypto` product on Linux; where
    /// it does not, `Crypto.SHA256` computes the same hash (a test compares the two).
    static func chainHash(previous: UnsafeRawBufferPointer, body: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
        precondition(output.count == 32)
        #if canImport(CCryptoBoringSSL)
        var context = SHA256_CTX()
        CCryptoBoringSSL_SHA256_Init(&context)
        CCryptoBoringSSL_SHA256_Update(&context, previous.baseAddress, previous.count)
        CCryptoBoringSSL_SHA256_Update(&context, body.baseAddress, body.count)
        CCryptoBoringSSL_SHA256_Final(output.baseAddress!.assumingMemoryBound(to: UInt8.self), &context)
        #else
        var hasher = SHA256()
        hasher.update(bufferPointer: previous)
        hasher.update(bufferPointer: body)
        hasher.finalize().withUnsafeBytes { output.copyMemory(from: $0) }
        #endif
    }

    /// The full record: version, hash and body.
    static func record(hash: [UInt8], body: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(bodyOffset + body.count)
        bytes.append(version)
        bytes.append(contentsOf: hash)
        bytes.append(contentsOf: body)
        return bytes
    }

    /// The stored hash of a record, checking its version.
    static func hash(of record: UnsafeRawBufferPointer) throws(DecodeError) -> UnsafeRawBufferPointer {
        guard record.count > bodyOffset else { throw DecodeError.truncated }
        guard record[0] == version else { throw DecodeError.unsupportedVersion(record[0]) }
        return UnsafeRawBufferPointer(rebasing: record[1..<bodyOffset])
    }

    /// The canonical body of a record.
    static func body(of record: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: record[bodyOffset...])
    }

    /// Appends the NDJSON line of `export` and `query` for a stored record (no newline):
    /// `seq`, `id`, `type`, `actor`, `time`, `recorded`, `hash`, `data`, then the extras.
    static func writeJSONLine(_ record: UnsafeRawBufferPointer, into writer: JSONWriter) throws(DecodeError) {
        let hash = try hash(of: record)
        var reader = ByteReader(body(of: record))
        let seq = try reader.uint64()
        let recorded = Timestamp(milliseconds: try reader.int64())
        let time = Timestamp(milliseconds: try reader.int64())
        guard let type = EventType(code: try reader.byte()) else { throw DecodeError.malformed("unknown event type code") }
        let id = try reader.lengthPrefixedSlice(), actor = try reader.lengthPrefixedSlice()
        writer.writeRaw("{\"seq\":")
        writer.write(Int64(bitPattern: seq))
        writer.writeRaw(",\"id\":")
        guard writer.writeString(validating: id) else { throw DecodeError.malformed("invalid UTF-8") }
        writer.writeRaw(",\"type\":")
        writer.write(type.rawValue)
        writer.writeRaw(",\"actor\":")
        guard writer.writeString(validating: actor) else { throw DecodeError.malformed("invalid UTF-8") }
        writer.writeRaw(",\"time\":")
        writer.write(time)
        writer.writeRaw(",\"recorded\":")
        writer.write(recorded)
        writer.writeRaw(",\"hash\":\"")
        writer.append(count: 2 * hash.count) { Hex.write(hash, to: $0) }
        writer.writeRaw("\",\"data\":")
        guard try reader.byte() == BinaryJSON.Tag.object.rawValue else { throw DecodeError.malformed("data is not an object") }
        writer.append(UInt8(ascii: "{"))
        try BinaryJSON.writeMembers(&reader, into: writer, depth: 0)
        writer.append(UInt8(ascii: "}"))
        guard try reader.byte() == BinaryJSON.Tag.object.rawValue else { throw DecodeError.malformed("extras are not an object") }
        writer.append(UInt8(ascii: ","))
        if try BinaryJSON.writeMembers(&reader, into: writer, depth: 0, leavingOut: Event.isLedgerField) == 0 { writer.removeLast() }
        writer.append(UInt8(ascii: "}"))
        guard reader.isAtEnd else { throw DecodeError.malformed("trailing bytes") }
    }

    /// Decodes a whole record.
    static func decode(_ record: UnsafeRawBufferPointer) throws(DecodeError) -> StoredEvent {
        let hash = Array(try hash(of: record))
        var reader = ByteReader(body(of: record))
        let seq = try reader.uint64()
        let recorded = Timestamp(milliseconds: try reader.int64())
        let time = Timestamp(milliseconds: try reader.int64())
        guard let type = EventType(code: try reader.byte()) else { throw DecodeError.malformed("unknown event type code") }
        let id = try reader.string()
        let actor = try reader.string()
        let data = try BinaryJSON.decodeObject(&reader)
        let extras = try BinaryJSON.decodeObject(&reader)
        guard reader.isAtEnd else { throw DecodeError.malformed("trailing bytes") }
        return StoredEvent(seq: seq, recorded: recorded, hash: hash,
                           event: Event(id: id, type: type, actor: actor, time: time, data: data, extras: extras))
    }
}
