/// One community event: the envelope of CONTRACT.md section 1.
///
/// ```swift
/// let event = try EventValidator.validate(JSONReader.parse(line))
/// event.type      // .vote
/// event.data["target"]
/// ```
public struct Event: Sendable, Equatable {
    /// The idempotency key; `nil` until the ledger assigns one.
    public var id: String?
    public var type: EventType
    /// Who did it: a member or staff id.
    public var actor: String
    /// When it happened, in UTC milliseconds.
    public var time: Timestamp
    /// The type's fields, known and unknown, in their original order.
    public var data: JSONObject
    /// Envelope fields outside the contract, kept and exported unchanged.
    public var extras: JSONObject

    public init(id: String?, type: EventType, actor: String, time: Timestamp, data: JSONObject, extras: JSONObject = JSONObject()) {
        self.id = id
        self.type = type
        self.actor = actor
        self.time = time
        self.data = data
        self.extras = extras
    }

    /// Whether `name` is one of the envelope fields a ledger sets itself and `export`
    /// prints: `seq`, `recorded` and `hash`. An input's own (an exported line, imported into
    /// another ledger) are not kept, and a stored event's extras never print one, so that
    /// no line names a field twice.
    static func isLedgerField(_ name: UnsafeRawBufferPointer) -> Bool {
        for field: StaticString in ["seq", "recorded", "hash"]
        where field.withUTF8Buffer({ name.hasSameBytes(as: UnsafeRawBufferPointer($0)) }) {
            return true
        }
        return false
    }

    /// Whether two events have the same content: type, actor, time and data (CONTRACT.md
    /// section 3). Data member order does not matter.
    /// - Parameter ignoringTime: compare type, actor and data only (for an event whose time
    ///   was not given, but set to now).
    public func hasSameContent(as other: Event, ignoringTime: Bool = false) -> Bool {
        type == other.type && actor.isExactly(other.actor) && (ignoringTime || time == other.time) && data.isEquivalent(to: other.data)
    }

    /// The string under `key` in `data`, if it is a string.
    public func string(_ key: String) -> String? {
        if case .string(let value)? = data[key] { return value }
        return nil
    }

    /// The integer under `key` in `data`, if it is one.
    public func integer(_ key: String) -> Int64? {
        if case .integer(let value)? = data[key] { return value }
        return nil
    }
}

/// An event as stored: its position, append time and chain hash.
public struct StoredEvent: Sendable, Equatable {
    /// The global position, 1, 2, 3… without gaps.
    public var seq: UInt64
    /// When the ledger appended it.
    public var recorded: Timestamp
    /// SHA-256 of the previous hash and this event's canonical bytes.
    public var hash: [UInt8]
    /// The event; its `id` is always set.
    public var event: Event

    public init(seq: UInt64, recorded: Timestamp, hash: [UInt8], event: Event) {
        self.seq = seq
        self.recorded = recorded
        self.hash = hash
        self.event = event
    }

    /// The NDJSON line of `export` and `query`, without the newline.
    /// - Throws: ``DecodeError`` when the event holds text that is not valid JSON (a
    ///   `JSONValue.number` that is not a number literal).
    public func jsonLine() throws -> [UInt8] {
        let record = EventRecord.record(hash: hash, body: EventRecord.body(seq: seq, recorded: recorded, event: event))
        let writer = JSONWriter()
        try record.withUnsafeBytes { try EventRecord.writeJSONLine($0, into: writer) }
        return writer.bytes
    }
}
