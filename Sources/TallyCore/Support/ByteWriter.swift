/// Appends fixed-width big-endian integers, LEB128 varints and length-prefixed bytes.
struct ByteWriter {
    var bytes: [UInt8]

    init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    mutating func append(_ byte: UInt8) { bytes.append(byte) }

    mutating func append(bigEndian value: UInt64) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }  // one copy, not eight appends
    }

    mutating func append(bigEndian value: Int64) { append(bigEndian: UInt64(bitPattern: value)) }

    mutating func append(varint value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func append(lengthPrefixed text: String) {
        var text = text
        text.withUTF8 { utf8 in
            append(varint: UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func append(lengthPrefixed raw: UnsafeRawBufferPointer) {
        append(varint: UInt64(raw.count))
        bytes.append(contentsOf: raw)
    }

    mutating func append(contentsOf other: some Sequence<UInt8>) { bytes.append(contentsOf: other) }

    /// 8-byte big-endian key for `value`: keys sort numerically.
    static func key(_ value: UInt64) -> [UInt8] {
        var writer = ByteWriter(capacity: 8)
        writer.append(bigEndian: value)
        return writer.bytes
    }
}
