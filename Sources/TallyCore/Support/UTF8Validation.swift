/// Strict UTF-8 validation (no overlongs, no surrogates, nothing above U+10FFFF), with
/// fast paths for ASCII and for the three-byte characters of CJK text, and conversion to
/// `String`.
enum UTF8Validation {
    static func string(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard isValid(bytes) else { return nil }
        return String(decoding: bytes.bindMemory(to: UInt8.self), as: UTF8.self)
    }

    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        let count = bytes.count
        while index < count {
            // Eight ASCII bytes at a time.
            if index + 8 <= count, bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                index += 8
                continue
            }
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
            } else if isPlainThreeByteLead(lead), index + 3 <= count,
                      bytes[index + 1] & 0xC0 == 0x80, bytes[index + 2] & 0xC0 == 0x80 {
                index += 3
            } else {
                guard let length = sequenceLength(bytes, at: index) else { return false }
                index += length
            }
        }
        return true
    }

    /// Whether `lead` begins a three-byte sequence that any two continuation bytes complete
    /// (U+1000–U+CFFF and U+E000–U+FFFF, which hold the CJK ideographs): not E0, whose
    /// second byte must avoid overlongs, nor ED, whose must avoid surrogates.
    @inline(__always)
    private static func isPlainThreeByteLead(_ lead: UInt8) -> Bool {
        lead & 0xF0 == 0xE0 && lead != 0xE0 && lead != 0xED
    }

    /// The length of the well-formed UTF-8 sequence starting at `index`, or nil.
    private static func sequenceLength(_ bytes: UnsafeRawBufferPointer, at index: Int) -> Int? {
        let lead = bytes[index]
        if lead < 0x80 { return 1 }
        let length: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: return nil
        }
        guard index + length <= bytes.count else { return nil }
        let second = bytes[index + 1]
        guard second >= low, second <= high else { return nil }
        for offset in 2..<max(2, length) where bytes[index + offset] & 0xC0 != 0x80 { return nil }
        return length
    }
}
