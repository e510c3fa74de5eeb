/// Reads what ``ByteWriter`` writes, bounds-checked: corrupted bytes throw, never trap.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    var position = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var isAtEnd: Bool { position >= bytes.count }

    mutating func byte() throws(DecodeError) -> UInt8 {
        guard position < bytes.count else { throw DecodeError.truncated }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func uint64() throws(DecodeError) -> UInt64 {
        guard position + 8 <= bytes.count else { throw DecodeError.truncated }
        defer { position += 8 }
        return UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self))
    }

    mutating func int64() throws(DecodeError) -> Int64 { Int64(bitPattern: try uint64()) }

    mutating func varint() throws(DecodeError) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try self.byte()
            guard shift < 64 else { throw DecodeError.malformed("varint too long") }
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    mutating func slice(_ count: Int) throws(DecodeError) -> UnsafeRawBufferPointer {
        guard count >= 0, count <= bytes.count - position else { throw DecodeError.truncated }
        defer { position += count }
        return UnsafeRawBufferPointer(rebasing: bytes[position..<(position + count)])
    }

    mutating func lengthPrefixedSlice() throws(DecodeError) -> UnsafeRawBufferPointer {
        let count = try varint()
        guard count <= UInt64(bytes.count - position) else { throw DecodeError.truncated }
        return try slice(Int(count))
    }

    mutating func string() throws(DecodeError) -> String {
        let raw = try lengthPrefixedSlice()
        guard let text = UTF8Validation.string(raw) else { throw DecodeError.malformed("invalid UTF-8") }
        return text
    }

    /// Reads an 8-byte big-endian integer from the start of `bytes`.
    static func uint64(_ bytes: UnsafeRawBufferPointer) -> UInt64? {
        var reader = ByteReader(bytes)
        return try? reader.uint64()
    }
}

/// A stored value that cannot be decoded.
public enum DecodeError: Error, Sendable, Equatable, CustomStringConvertible {
    case truncated
    case malformed(String)
    case unsupportedVersion(UInt8)

    public var description: String {
        switch self {
        case .truncated: "truncated value"
        case .malformed(let what): "malformed value: \(what)"
        case .unsupportedVersion(let version): "record version \(version) is not supported"
        }
    }
}
