/// Writes compact JSON (no spaces) into a byte buffer. Non-ASCII text is written as
/// UTF-8, not escaped; only `"`, `\` and control characters are.
public struct JSONWriter {
    /// The bytes written so far.
    public var bytes: [UInt8] = []

    public init() { bytes.reserveCapacity(256) }

    /// A writer appending to `bytes`.
    init(bytes: [UInt8]) { self.bytes = bytes }

    /// Appends `value`.
    public mutating func write(_ value: JSONValue) {
        switch value {
        case .null: bytes.append(contentsOf: "null".utf8)
        case .bool(let flag): bytes.append(contentsOf: (flag ? "true" : "false").utf8)
        case .integer(let number): write(number)
        case .number(let literal): bytes.append(contentsOf: literal.utf8)
        case .string(let string): write(string)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                write(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object): write(object)
        }
    }

    /// Appends `object`.
    public mutating func write(_ object: JSONObject) {
        bytes.append(UInt8(ascii: "{"))
        for (index, member) in object.members.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            write(member.key)
            bytes.append(UInt8(ascii: ":"))
            write(member.value)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    /// Appends an integer, without allocating.
    public mutating func write(_ number: Int64) {
        if number < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = number.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // up to 20 digits, little end first
        let count = withUnsafeMutableBytes(of: &digits) { buffer -> Int in
            var count = 0
            repeat {
                buffer[count] = UInt8(48 + magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            return count
        }
        withUnsafeBytes(of: &digits) { buffer in
            for index in stride(from: count - 1, through: 0, by: -1) { bytes.append(buffer[index]) }
        }
    }

    /// Appends a quoted, escaped string.
    public mutating func write(_ string: String) {
        var string = string
        string.withUTF8 { writeString(UnsafeRawBufferPointer($0)) }
    }

    /// Appends UTF-8 bytes as a quoted, escaped string.
    public mutating func writeString(_ utf8: UnsafeRawBufferPointer) {
        _ = writeEscaped(utf8, validating: false)
    }

    /// Appends UTF-8 bytes as a quoted, escaped string, checking in the same pass that they
    /// are valid UTF-8. Returns false, having written part of them, when they are not.
    public mutating func writeString(validating utf8: UnsafeRawBufferPointer) -> Bool {
        writeEscaped(utf8, validating: true)
    }

    private mutating func writeEscaped(_ utf8: UnsafeRawBufferPointer, validating: Bool) -> Bool {
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        var index = 0
        while index < utf8.count {
            // Eight ASCII bytes at a time while none needs escaping.
            if index + 8 <= utf8.count {
                let word = utf8.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                if (!validating || word & 0x8080_8080_8080_8080 == 0), !Self.needsEscape(word) {
                    index += 8
                    continue
                }
            }
            let position = index
            let byte = utf8[position]
            if byte >= 0x80, validating {
                guard let length = UTF8Validation.sequenceLength(utf8, at: position) else { return false }
                index += length
                continue
            }
            index += 1
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: utf8[runStart..<position]))
            runStart = position + 1
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
            case 0x0A: bytes.append(contentsOf: #"\n"#.utf8)
            case 0x0D: bytes.append(contentsOf: #"\r"#.utf8)
            case 0x09: bytes.append(contentsOf: #"\t"#.utf8)
            default:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: #"\u00"#.utf8)
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0xF)])
            }
        }
        bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: utf8[runStart..<utf8.count]))
        bytes.append(UInt8(ascii: "\""))
        return true
    }

    /// Whether any of the eight bytes of `word` is a control character, `"` or `\\`
    /// (exact as a whole: the SWAR tests may only misreport bytes above a real match).
    private static func needsEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ value: UInt64) -> Bool { (value &- ones) & ~value & highs != 0 }
        let control = (word &- 0x2020_2020_2020_2020) & ~word & highs != 0
        return control || hasZeroByte(word ^ (ones &* 0x22)) || hasZeroByte(word ^ (ones &* 0x5C))
    }

    /// Appends raw bytes (already valid JSON).
    public mutating func writeRaw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }
}
