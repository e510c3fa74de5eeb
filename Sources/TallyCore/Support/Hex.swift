/// Lower-case hexadecimal encoding.
enum Hex {
    private static let digits = Array("0123456789abcdef".utf8)

    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        append(bytes, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the hex digits of `bytes` to `out`.
    static func append(_ bytes: some Sequence<UInt8>, to out: inout [UInt8]) {
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
    }

    /// Appends the hex digits of `bytes` to `out`, 32 bytes at a time through a stack buffer
    /// (for hashes on hot paths).
    static func append(_ bytes: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        for start in stride(from: 0, to: bytes.count, by: 32) {
            let chunk = UnsafeRawBufferPointer(rebasing: bytes[start..<min(start + 32, bytes.count)])
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { text in
                for (index, byte) in chunk.enumerated() {
                    text[2 * index] = digits[Int(byte >> 4)]
                    text[2 * index + 1] = digits[Int(byte & 0x0F)]
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: text[..<(2 * chunk.count)]))
            }
        }
    }
}
