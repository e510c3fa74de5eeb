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
    /// The binary JSON `data` object, from its tag byte on.
    private let data: UnsafeRawBufferPointer

    /// Reads the envelope of a canonical body and checks that `data` and the extras are
    /// well-formed binary JSON filling the rest of it.
    init(body: UnsafeRawBufferPointer) throws(DecodeError) {
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
        reader.position = dataStart
        try BinaryJSON.skip(&reader)
        data = UnsafeRawBufferPointer(rebasing: body[dataStart..<reader.position])
        guard try reader.byte() == BinaryJSON.Tag.object.rawValue else { throw DecodeError.malformed("extras are not an object") }
        reader.position -= 1
        try BinaryJSON.skip(&reader)
        guard reader.isAtEnd else { throw DecodeError.malformed("trailing bytes") }
    }

    var type: EventType { EventType(code: typeCode)! }

    /// The top-level `data` field `name`, as a value view.
    func field(_ name: String) -> BinaryJSON.View? {
        var name = name
        return name.withUTF8 { key in BinaryJSON.field(UnsafeRawBufferPointer(key), in: data) }
    }
}
