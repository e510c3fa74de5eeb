/// An event encoded as its stored record, but for its `seq` and chain hash, which only the
/// append that places it in the log can fill in. Encoding needs no ledger state, so an
/// import does it on its parsing thread (``ParsedLines``), off the writing thread.
struct EncodedEvent: Sendable {
    /// Version ‖ hash ‖ body (docs/storage.md); the hash is zero and the body's `seq` 0
    /// until ``place(at:after:)``.
    private var record: [UInt8]
    /// Whether the event came without an id and was given a random one: should that clash
    /// with a stored id, it is given another rather than counted as a duplicate.
    let hasGeneratedID: Bool
    /// Whether the event came without a time and was given the time of its append: it is a
    /// duplicate of the stored event with its id whatever that one's time.
    let hasDefaultedTime: Bool

    /// Encodes `event`, recorded at `recorded`; without an id it is given a random one.
    /// - Parameter timeIsDefaulted: the event's time was not given but set to now.
    init(_ event: Event, recorded: Timestamp, timeIsDefaulted: Bool = false) {
        var event = event
        hasGeneratedID = event.id == nil
        hasDefaultedTime = timeIsDefaulted
        if hasGeneratedID { event.id = Self.randomID() }
        var writer = ByteWriter(capacity: 256)
        writer.append(EventRecord.version)
        writer.append(contentsOf: EventRecord.zeroHash)
        EventRecord.encodeBody(seq: 0, recorded: recorded, event: event, into: &writer)
        record = writer.bytes
    }

    /// `tally-` and 32 random hex digits.
    static func randomID() -> String {
        var generator = SystemRandomNumberGenerator()
        return "tally-" + Hex.encode((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// Sets the `seq` and the chain hash, SHA-256 of `previousHash ‖ body`.
    mutating func place(at seq: UInt64, after previousHash: UnsafeRawBufferPointer) {
        record.withUnsafeMutableBytes { record in
            record.storeBytes(of: seq.bigEndian, toByteOffset: EventRecord.bodyOffset, as: UInt64.self)
            let body = UnsafeRawBufferPointer(rebasing: record[EventRecord.bodyOffset...])
            EventRecord.chainHash(previous: previousHash, body: body, into: UnsafeMutableRawBufferPointer(rebasing: record[1..<EventRecord.bodyOffset]))
        }
    }

    /// Copies the chain hash that ``place(at:after:)`` set into `output` (32 bytes).
    func copyHash(into output: UnsafeMutableRawBufferPointer) {
        record.withUnsafeBytes { output.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[1..<EventRecord.bodyOffset])) }
    }

    /// Calls `body` with the whole record.
    func withRecord<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try record.withUnsafeBytes(body)
    }

    /// Calls `body` with a view of the canonical body, which this type encoded.
    func withView<R>(_ body: (RecordView) throws -> R) throws -> R {
        try record.withUnsafeBytes { record in try body(try RecordView(verifiedBody: EventRecord.body(of: record))) }
    }

    /// The event, decoded again (for what is rare: a duplicate to compare, a clashing random id).
    func event() throws -> Event {
        try record.withUnsafeBytes { try EventRecord.decode($0).event }
    }
}
