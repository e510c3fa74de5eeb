/// A bounds-checked, non-allocating view of an event record's canonical body: the
/// envelope fields as byte slices and lookup of top-level `data` fields.
///
/// Used where whole ``Event``s are not needed (index keys, verification), so that a
/// corrupted body throws instead of trapping and an intact one costs no allocation.
struct RecordView {
    let seq: UInt64
    let time: Timestamp
    let typeCode: UInt8
    let id: UnsafeRawBufferPointer
    let actor: UnsafeRawBufferPointer
    /// The binary JSON `data` object, from its tag byte on: to the end of the body until
    /// ``checkStructure()`` has walked it.
    private var data: UnsafeRawBufferPointer
    /// Whether `data` and the extras were checked well-formed, filling the rest of the body.
    private var isStructureChecked: Bool

    /// Reads the envelope of a canonical body and checks that `data` and the extras are
    /// well-formed binary JSON filling the rest of it.
    init(body: UnsafeRawBufferPointer) throws(DecodeError) {
        try self.init(body, checkingStructure: true)
    }

    /// Reads the envelope of a body whose chain hash was just verified: it is byte for byte
    /// what an append encoded, well-formed by construction, so its binary JSON is not walked
    /// again (for `verify`). Field lookups stay bounds-checked whatever the bytes.
    init(verifiedBody body: UnsafeRawBufferPointer) throws(DecodeError) {
        try self.init(body, checkingStructure: false)
    }

    private init(_ body: UnsafeRawBufferPointer, checkingStructure: Bool) throws(DecodeError) {
        var reader = ByteReader(body)
        seq = try reader.uint64()
        _ = try reader.int64()  // recorded
        time = Timestamp(milliseconds: try reader.int64())
        typeCode = try reader.byte()
        guard EventType(code: typeCode) != nil else { throw DecodeError.malformed("unknown event type code") }
        id = try reader.lengthPrefixedSlice()
        actor = try reader.lengthPrefixedSlice()
        guard id.count <= FieldRule.maxIDBytes, actor.count <= FieldRule.maxIDBytes else { throw DecodeError.malformed("id or actor too long") }
        let dataStart = reader.position
        guard try reader.byte() == BinaryJSON.Tag.object.rawValue else { throw DecodeError.malformed("data is not an object") }
        data = UnsafeRawBufferPointer(rebasing: body[dataStart...])  // lookups read only the members `data` counts
        isStructureChecked = false
        if checkingStructure { try checkStructure() }
    }

    /// Checks that `data` and the extras are well-formed binary JSON filling the rest of the
    /// body, once.
    mutating func checkStructure() throws(DecodeError) {
        guard !isStructureChecked else { return }
        var reader = ByteReader(data)
        try BinaryJSON.skip(&reader)
        let dataEnd = reader.position
        guard try reader.byte() == BinaryJSON.Tag.object.rawValue else { throw DecodeError.malformed("extras are not an object") }
        reader.position -= 1
        try BinaryJSON.skip(&reader)
        guard reader.isAtEnd else { throw DecodeError.malformed("trailing bytes") }
        data = UnsafeRawBufferPointer(rebasing: data[..<dataEnd])
        isStructureChecked = true
    }

    /// Reads a whole stored record (version, hash, body), checking its structure now or,
    /// with `checkingStructure` false, when ``checkStructure()`` is called: a replay's reader
    /// reads the fields it needs (each look-up bounds-checked), and the thread applying the
    /// event checks the rest, so that the reader, the slower of the two, gets on with the
    /// next records.
    init(record: UnsafeRawBufferPointer, checkingStructure: Bool = true) throws(DecodeError) {
        _ = try EventRecord.hash(of: record)  // checks the length and version
        try self.init(EventRecord.body(of: record), checkingStructure: checkingStructure)
    }

    var type: EventType { EventType(code: typeCode)! }

    /// The actor as a string.
    var actorName: String { UTF8Validation.string(actor) ?? "" }

    /// The top-level `data` field `name` if it is a string.
    func string(_ name: StaticString) -> String? {
        field(name)?.string.flatMap(UTF8Validation.string)
    }

    /// The UTF-8 bytes of the top-level `data` field `name` if it is a string, unvalidated:
    /// for keys, where no `String` is needed.
    func bytes(_ name: StaticString) -> UnsafeRawBufferPointer? {
        field(name)?.string
    }

    /// The top-level `data` field `name` if it is an integer.
    func integer(_ name: StaticString) -> Int64? {
        field(name).flatMap(BinaryJSON.integer)
    }

    /// The strings of the array in field `name` (other elements skipped).
    func strings(_ name: StaticString) -> [String] {
        guard let array = field(name) else { return [] }
        return BinaryJSON.elements(of: array).compactMap { $0.string.flatMap(UTF8Validation.string) }
    }

    /// The string members of the object in field `name` (others skipped).
    func stringMembers(_ name: StaticString) -> [(key: String, value: String)] {
        guard let object = field(name) else { return [] }
        return BinaryJSON.members(of: object).compactMap { key, value in
            guard let key = UTF8Validation.string(key), let text = value.string.flatMap(UTF8Validation.string) else { return nil }
            return (key, text)
        }
    }

    /// The top-level `data` field `name`, as a value view. Names are literals: a look-up
    /// neither copies nor counts references to them.
    func field(_ name: StaticString) -> BinaryJSON.View? {
        BinaryJSON.field(UnsafeRawBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount), in: data)
    }
}
