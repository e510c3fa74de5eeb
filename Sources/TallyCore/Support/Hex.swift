/// Lower-case hexadecimal encoding.
enum Hex {
    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        append(bytes, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the hex digits of `bytes` to `out`.
    static func append(_ bytes: some Sequence<UInt8>, to out: inout [UInt8]) {
        for byte in bytes {
            out.append(digit(byte >> 4))
            out.append(digit(byte & 0x0F))
        }
    }

    /// Writes the `2 * bytes.count` hex digits of `bytes` to `text` (for hashes on hot paths).
    static func write(_ bytes: UnsafeRawBufferPointer, to text: UnsafeMutableRawPointer) {
        for (index, byte) in bytes.enumerated() {
            text.storeBytes(of: digit(byte >> 4), toByteOffset: 2 * index, as: UInt8.self)
            text.storeBytes(of: digit(byte & 0x0F), toByteOffset: 2 * index + 1, as: UInt8.self)
        }
    }

    /// The digit of a value below 16.
    @inline(__always)
    static func digit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") - 10 + nibble
    }
}
