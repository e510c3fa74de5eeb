/// Writes compact JSON (no spaces) into a growing byte buffer. Non-ASCII text is written as
/// UTF-8, not escaped; only `"`, `\` and control characters are.
///
/// A reference type: it owns its buffer, and every write goes straight to memory it has
/// made room for, without the checks a growing `Array` makes on each append.
///
/// ```swift
/// let writer = JSONWriter()
/// writer.write(.object(JSONObject([("ok", .bool(true))])))
/// writer.bytes   // {"ok":true}
/// ```
public final class JSONWriter {
    private var start: UnsafeMutableRawPointer
    private var capacity: Int
    /// How many bytes have been written.
    public private(set) var count = 0

    public init(capacity: Int = 256) {
        self.capacity = max(16, capacity)
        start = .allocate(byteCount: self.capacity, alignment: 1)
    }

    deinit { start.deallocate() }

    /// A copy of the bytes written so far.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// Calls `body` with the bytes written so far, valid during the call.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: start, count: count))
    }

    /// Forgets what was written, keeping the memory for what comes next.
    public func removeAll() { count = 0 }

    /// Forgets the last byte written.
    func removeLast() { count -= 1 }

    // MARK: - Raw bytes

    /// Makes room for `extra` more bytes and returns where they go; the caller then adds
    /// what it wrote to ``count`` with ``advance(by:)``.
    @inline(__always)
    private func reserve(_ extra: Int) -> UnsafeMutableRawPointer {
        if count + extra > capacity { grow(to: count + extra) }
        return start + count
    }

    @inline(__always)
    private func advance(by written: Int) { count += written }

    private func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newStart = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 1)
        newStart.copyMemory(from: start, byteCount: count)
        start.deallocate()
        (start, capacity) = (newStart, newCapacity)
    }

    /// Appends one byte.
    @inline(__always)
    public func append(_ byte: UInt8) {
        reserve(1).storeBytes(of: byte, as: UInt8.self)
        advance(by: 1)
    }

    /// Appends raw bytes (already valid JSON, or part of it).
    public func append(_ raw: UnsafeRawBufferPointer) {
        guard let source = raw.baseAddress else { return }
        reserve(raw.count).copyMemory(from: source, byteCount: raw.count)
        advance(by: raw.count)
    }

    /// Appends raw bytes (already valid JSON).
    public func writeRaw(_ text: StaticString) {
        append(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends `count` bytes that `body` writes to the memory it is given.
    func append(count: Int, _ body: (UnsafeMutableRawPointer) -> Void) {
        body(reserve(count))
        advance(by: count)
    }

    // MARK: - Values

    /// Appends `value`.
    public func write(_ value: JSONValue) {
        switch value {
        case .null: writeRaw("null")
        case .bool(let flag): writeRaw(flag ? "true" : "false")
        case .integer(let number): write(number)
        case .number(var literal): literal.withUTF8 { append(UnsafeRawBufferPointer($0)) }
        case .string(let string): write(string)
        case .array(let elements): writeArray(elements) { $0.write($1) }
        case .object(let object): write(object)
        }
    }

    /// Appends `object`.
    public func write(_ object: JSONObject) {
        append(UInt8(ascii: "{"))
        for (index, member) in object.members.enumerated() {
            if index > 0 { append(UInt8(ascii: ",")) }
            write(member.key)
            append(UInt8(ascii: ":"))
            write(member.value)
        }
        append(UInt8(ascii: "}"))
    }

    /// Appends an integer, without allocating.
    public func write(_ number: Int64) {
        let out = reserve(20)
        var magnitude = number.magnitude
        var digits = 0
        repeat {  // the digits, little end first, from position 19 down
            out.storeBytes(of: UInt8(48 + magnitude % 10), toByteOffset: 19 - digits, as: UInt8.self)
            magnitude /= 10
            digits += 1
        } while magnitude > 0
        var written = 0
        if number < 0 {
            out.storeBytes(of: UInt8(ascii: "-"), as: UInt8.self)
            written = 1
        }
        (out + written).copyMemory(from: out + 20 - digits, byteCount: digits)
        advance(by: written + digits)
    }

    /// Appends a quoted, escaped string.
    public func write(_ string: String) {
        var string = string
        string.withUTF8 { writeString(UnsafeRawBufferPointer($0)) }
    }

    /// Appends UTF-8 bytes as a quoted, escaped string.
    public func writeString(_ utf8: UnsafeRawBufferPointer) {
        append(UInt8(ascii: "\""))
        var runStart = 0
        var index = 0
        while index < utf8.count {
            // Eight bytes at a time while none needs escaping (bytes of multi-byte
            // characters never do).
            if index + 8 <= utf8.count, !Self.needsEscape(utf8.loadUnaligned(fromByteOffset: index, as: UInt64.self)) {
                index += 8
                continue
            }
            let position = index
            let byte = utf8[position]
            index += 1
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            append(UnsafeRawBufferPointer(rebasing: utf8[runStart..<position]))
            runStart = position + 1
            switch byte {
            case UInt8(ascii: "\""): writeRaw(#"\""#)
            case UInt8(ascii: "\\"): writeRaw(#"\\"#)
            case 0x0A: writeRaw(#"\n"#)
            case 0x0D: writeRaw(#"\r"#)
            case 0x09: writeRaw(#"\t"#)
            default:
                writeRaw(#"\u00"#)
                append(Hex.digit(byte >> 4))
                append(Hex.digit(byte & 0xF))
            }
        }
        append(UnsafeRawBufferPointer(rebasing: utf8[runStart..<utf8.count]))
        append(UInt8(ascii: "\""))
    }

    /// Appends UTF-8 bytes as a quoted, escaped string when they are valid UTF-8; returns
    /// false, having written nothing, when they are not.
    public func writeString(validating utf8: UnsafeRawBufferPointer) -> Bool {
        guard UTF8Validation.isValid(utf8) else { return false }
        writeString(utf8)
        return true
    }

    /// Appends an array of `elements`, each written by `writeElement`.
    public func writeArray<Element>(_ elements: [Element], _ writeElement: (JSONWriter, Element) -> Void) {
        append(UInt8(ascii: "["))
        for (index, element) in elements.enumerated() {
            if index > 0 { append(UInt8(ascii: ",")) }
            writeElement(self, element)
        }
        append(UInt8(ascii: "]"))
    }

    /// Whether any of the eight bytes of `word` is a control character, `"` or `\\`
    /// (exact as a whole: the SWAR tests may only misreport bytes above a real match).
    private static func needsEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ value: UInt64) -> Bool { (value &- ones) & ~value & highs != 0 }
        let control = (word &- 0x2020_2020_2020_2020) & ~word & highs != 0
        return control || hasZeroByte(word ^ (ones &* 0x22)) || hasZeroByte(word ^ (ones &* 0x5C))
    }
}
