/// The compact binary form of a ``JSONValue`` used inside stored records.
///
/// One tag byte, then: nothing (null, false, true); a zigzag varint (integer); a
/// length-prefixed literal (other numbers) or UTF-8 string; a count and the elements
/// (array); a count and, per member, a length-prefixed key and the value (object).
enum BinaryJSON {
    enum Tag: UInt8 {
        case null = 0, `false`, `true`, integer, number, string, array, object
    }

    static let maxDepth = JSONReader.maxDepth + 1

    static func encode(_ value: JSONValue, into writer: inout ByteWriter) {
        switch value {
        case .null: writer.append(Tag.null.rawValue)
        case .bool(let flag): writer.append(flag ? Tag.true.rawValue : Tag.false.rawValue)
        case .integer(let number):
            writer.append(Tag.integer.rawValue)
            writer.append(varint: UInt64(bitPattern: (number << 1) ^ (number >> 63)))
        case .number(let literal):
            writer.append(Tag.number.rawValue)
            writer.append(lengthPrefixed: literal)
        case .string(let text):
            writer.append(Tag.string.rawValue)
            writer.append(lengthPrefixed: text)
        case .array(let elements):
            writer.append(Tag.array.rawValue)
            writer.append(varint: UInt64(elements.count))
            for element in elements { encode(element, into: &writer) }
        case .object(let object): encode(object, into: &writer)
        }
    }

    static func encode(_ object: JSONObject, into writer: inout ByteWriter) {
        writer.append(Tag.object.rawValue)
        writer.append(varint: UInt64(object.members.count))
        for member in object.members {
            writer.append(lengthPrefixed: member.key)
            encode(member.value, into: &writer)
        }
    }

    static func decode(_ reader: inout ByteReader, depth: Int = 0) throws(DecodeError) -> JSONValue {
        guard depth <= maxDepth else { throw DecodeError.malformed("nested too deeply") }
        guard let tag = Tag(rawValue: try reader.byte()) else { throw DecodeError.malformed("unknown value tag") }
        switch tag {
        case .null: return .null
        case .false: return .bool(false)
        case .true: return .bool(true)
        case .integer:
            let raw = try reader.varint()
            return .integer(Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1))))
        case .number: return .number(try reader.string())
        case .string: return .string(try reader.string())
        case .array:
            let count = try reader.varint()
            guard count <= UInt64(reader.bytes.count - reader.position) else { throw DecodeError.truncated }
            var elements: [JSONValue] = []
            elements.reserveCapacity(Int(count))
            for _ in 0..<count { elements.append(try decode(&reader, depth: depth + 1)) }
            return .array(elements)
        case .object:
            return .object(try decodeObjectBody(&reader, depth: depth))
        }
    }

    static func decodeObject(_ reader: inout ByteReader) throws(DecodeError) -> JSONObject {
        guard try reader.byte() == Tag.object.rawValue else { throw DecodeError.malformed("object expected") }
        return try decodeObjectBody(&reader, depth: 0)
    }

    private static func decodeObjectBody(_ reader: inout ByteReader, depth: Int) throws(DecodeError) -> JSONObject {
        let count = try reader.varint()
        guard count <= UInt64(reader.bytes.count - reader.position) else { throw DecodeError.truncated }
        var members: [(key: String, value: JSONValue)] = []
        members.reserveCapacity(Int(count))
        for _ in 0..<count {
            let key = try reader.string()
            members.append((key, try decode(&reader, depth: depth + 1)))
        }
        return JSONObject(members)
    }

    /// Writes one encoded value as JSON text. Strings must be valid UTF-8 and number
    /// literals JSON numbers, so a damaged record throws instead of printing bad JSON.
    static func writeJSON(_ reader: inout ByteReader, into writer: JSONWriter, depth: Int = 0) throws(DecodeError) {
        guard depth <= maxDepth else { throw DecodeError.malformed("nested too deeply") }
        guard let tag = Tag(rawValue: try reader.byte()) else { throw DecodeError.malformed("unknown value tag") }
        switch tag {
        case .null: writer.writeRaw("null")
        case .false: writer.writeRaw("false")
        case .true: writer.writeRaw("true")
        case .integer:
            let raw = try reader.varint()
            writer.write(Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1))))
        case .number:
            let literal = try reader.lengthPrefixedSlice()
            guard !literal.isEmpty, literal.allSatisfy({ (0x30...0x39).contains($0) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E || $0 | 0x20 == 0x65 }) else {
                throw DecodeError.malformed("invalid number literal")
            }
            writer.append(literal)
        case .string:
            guard writer.writeString(validating: try reader.lengthPrefixedSlice()) else { throw DecodeError.malformed("invalid UTF-8") }
        case .array:
            let count = try reader.varint()
            guard count <= UInt64(reader.bytes.count - reader.position) else { throw DecodeError.truncated }
            writer.append(UInt8(ascii: "["))
            for index in 0..<count {
                if index > 0 { writer.append(UInt8(ascii: ",")) }
                try writeJSON(&reader, into: writer, depth: depth + 1)
            }
            writer.append(UInt8(ascii: "]"))
        case .object:
            writer.append(UInt8(ascii: "{"))
            try writeMembers(&reader, into: writer, depth: depth)
            writer.append(UInt8(ascii: "}"))
        }
    }

    /// Writes the members of an encoded object whose tag was already read, as `"k":v,…`
    /// with no braces, but for those whose name `isLeftOut`; returns how many it wrote.
    @discardableResult
    static func writeMembers(
        _ reader: inout ByteReader, into writer: JSONWriter, depth: Int, leavingOut isLeftOut: ((UnsafeRawBufferPointer) -> Bool)? = nil
    ) throws(DecodeError) -> UInt64 {
        let count = try reader.varint()
        guard count <= UInt64(reader.bytes.count - reader.position) else { throw DecodeError.truncated }
        var written: UInt64 = 0
        for _ in 0..<count {
            let name = try reader.lengthPrefixedSlice()
            if let isLeftOut, isLeftOut(name) {
                try skip(&reader, depth: depth + 1)
                continue
            }
            if written > 0 { writer.append(UInt8(ascii: ",")) }
            guard writer.writeString(validating: name) else { throw DecodeError.malformed("invalid UTF-8") }
            writer.append(UInt8(ascii: ":"))
            try writeJSON(&reader, into: writer, depth: depth + 1)
            written += 1
        }
        return written
    }

    /// A value inside an encoded document: its tag and its payload bytes.
    struct View {
        var tag: Tag
        /// For strings and number literals, the UTF-8 bytes; for containers, the count varint onwards.
        var payload: UnsafeRawBufferPointer

        /// The string's bytes, if the value is a string.
        var string: UnsafeRawBufferPointer? { tag == .string ? payload : nil }
    }

    /// Skips one encoded value, checking its structure (not string contents).
    static func skip(_ reader: inout ByteReader, depth: Int = 0) throws(DecodeError) {
        guard depth <= maxDepth else { throw DecodeError.malformed("nested too deeply") }
        guard let tag = Tag(rawValue: try reader.byte()) else { throw DecodeError.malformed("unknown value tag") }
        switch tag {
        case .null, .false, .true: return
        case .integer: _ = try reader.varint()
        case .number, .string: _ = try reader.lengthPrefixedSlice()
        case .array:
            let count = try reader.varint()
            guard count <= UInt64(reader.bytes.count - reader.position) else { throw DecodeError.truncated }
            for _ in 0..<count { try skip(&reader, depth: depth + 1) }
        case .object:
            let count = try reader.varint()
            guard count <= UInt64(reader.bytes.count - reader.position) else { throw DecodeError.truncated }
            for _ in 0..<count {
                _ = try reader.lengthPrefixedSlice()
                try skip(&reader, depth: depth + 1)
            }
        }
    }

    /// The member `key` of an encoded object; nil when it has none, or when the bytes up to
    /// it are not well-formed (every read is bounds-checked, so unchecked bytes cannot trap).
    static func field(_ key: UnsafeRawBufferPointer, in object: UnsafeRawBufferPointer) -> View? {
        var reader = ByteReader(object)
        guard (try? reader.byte()) == Tag.object.rawValue, let count = try? reader.varint() else { return nil }
        for _ in 0..<count {
            guard let name = try? reader.lengthPrefixedSlice() else { return nil }
            let start = reader.position
            guard (try? skip(&reader)) != nil else { return nil }
            if name.hasSameBytes(as: key) { return view(UnsafeRawBufferPointer(rebasing: object[start..<reader.position])) }
        }
        return nil
    }

    /// The elements of an encoded array value.
    static func elements(of array: View) -> [View] {
        guard array.tag == .array else { return [] }
        var reader = ByteReader(array.payload)
        guard let count = try? reader.varint() else { return [] }
        var result: [View] = []
        for _ in 0..<count {
            let start = reader.position
            guard (try? skip(&reader)) != nil else { return result }
            result.append(view(UnsafeRawBufferPointer(rebasing: array.payload[start..<reader.position])))
        }
        return result
    }

    /// The members of an encoded object value.
    static func members(of object: View) -> [(key: UnsafeRawBufferPointer, value: View)] {
        guard object.tag == .object else { return [] }
        var reader = ByteReader(object.payload)
        guard let count = try? reader.varint() else { return [] }
        var result: [(key: UnsafeRawBufferPointer, value: View)] = []
        for _ in 0..<count {
            guard let key = try? reader.lengthPrefixedSlice() else { return result }
            let start = reader.position
            guard (try? skip(&reader)) != nil else { return result }
            result.append((key, view(UnsafeRawBufferPointer(rebasing: object.payload[start..<reader.position]))))
        }
        return result
    }

    /// The value of an encoded integer.
    static func integer(_ value: View) -> Int64? {
        guard value.tag == .integer else { return nil }
        var reader = ByteReader(value.payload)
        guard let raw = try? reader.varint() else { return nil }
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    private static func view(_ encoded: UnsafeRawBufferPointer) -> View {
        var reader = ByteReader(encoded)
        let tag = Tag(rawValue: encoded[0])!
        reader.position = 1
        if tag == .string || tag == .number, let slice = try? reader.lengthPrefixedSlice() { return View(tag: tag, payload: slice) }
        return View(tag: tag, payload: UnsafeRawBufferPointer(rebasing: encoded[1...]))
    }
}
