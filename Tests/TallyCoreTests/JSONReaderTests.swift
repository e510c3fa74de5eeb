import Testing
@testable import TallyCore

@Test func parsesNestedValuesKeepingOrderAndLiterals() throws {
    let value = try JSONReader.parse(Array(#"{"b":[1,-2,3.50,1e3,true,null],"a":"x\u00e9\ud83c\udf89\n","big":123456789012345678901}"#.utf8))
    guard case .object(let object) = value else { Issue.record("not an object"); return }
    #expect(object.members.map(\.key) == ["b", "a", "big"])
    #expect(object["b"] == .array([.integer(1), .integer(-2), .number("3.50"), .number("1e3"), .bool(true), .null]))
    #expect(object["a"] == .string("xé🎉\n"))
    #expect(object["big"] == .number("123456789012345678901"))
}

@Test func writerRoundTripsWhatTheReaderReads() throws {
    let text = #"{"k":"引号\"反斜杠\\控制\u0001","n":[-9223372036854775808,0.5],"o":{}}"#
    let writer = JSONWriter()
    writer.write(try JSONReader.parse(Array(text.utf8)))
    #expect(String(decoding: writer.bytes, as: UTF8.self) == text)
}

@Test func writtenStringsReadBackWhateverCharactersSitInWhicheverByte() throws {
    let alphabet: [String] = ["a", "Z", " ", "\"", "\\", "\n", "\t", "\u{01}", "\u{1F}", "\u{7F}", "é", "中", "😀", "/"]
    var rng = SeededGenerator(state: 99)
    for _ in 0..<2_000 {
        let text = (0..<Int.random(in: 0..<40, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined()
        let writer = JSONWriter()
        writer.write(text)
        #expect(try JSONReader.parse(writer.bytes) == .string(text))
    }
}

@Test func writingWithValidationAcceptsExactlyValidUTF8() throws {
    var rng = SeededGenerator(state: 5)
    let pieces: [[UInt8]] = [Array("plain ascii text".utf8), Array("中文".utf8), [0xF0, 0x9F, 0x98, 0x80], [0x80], [0xC0, 0xAF],
                             [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE4, 0xB8], [0x22, 0x5C, 0x0A]]
    for _ in 0..<3_000 {
        let bytes = (0..<Int.random(in: 0..<6, using: &rng)).flatMap { _ in pieces.randomElement(using: &rng)! }
        let writer = JSONWriter()
        let accepted = bytes.withUnsafeBytes { writer.writeString(validating: $0) }
        #expect(accepted == bytes.withUnsafeBytes { UTF8Validation.isValid($0) })
        if accepted { #expect(try JSONReader.parse(writer.bytes) == .string(String(decoding: bytes, as: UTF8.self))) }
    }
}

@Test func skipsALeadingByteOrderMark() throws {
    #expect(try JSONReader.parse([0xEF, 0xBB, 0xBF] + Array("[1]".utf8)) == .array([.integer(1)]))
}

@Test(arguments: [
    (Array(#"{"a":1,"a":2}"#.utf8), "duplicate key"),
    (Array(#"{"a":"\ud800"}"#.utf8), "unpaired surrogate"),
    (Array(#"{"a":"\udc00x"}"#.utf8), "unpaired surrogate"),
    ([0x22, 0xFF, 0xFE, 0x22], "invalid UTF-8"),
    ([0x22, 0xC0, 0xAF, 0x22], "invalid UTF-8"),
    (Array("{\"a\":\"tab\there\"}".utf8), "control character"),
    (Array(#"{"a":1} x"#.utf8), "unexpected bytes"),
    (Array(#"{"a":01}"#.utf8), "leading zero"),
    (Array(#"{"a":1."#.utf8), "digits expected"),
    (Array(#"{"a":tru}"#.utf8), "invalid literal"),
    (Array(#"{"a" 1}"#.utf8), "expected ':'"),
    (Array(#"[1,2"#.utf8), "end of input"),
    ([0x00], "unexpected byte 0x0"),
    ([0x7B, 0x00, 0x7D], "expected a string key"),
    (Array(String(repeating: "[", count: 100).utf8), "nested deeper"),
    ([], "end of input"),
] as [([UInt8], String)])
func refusesMalformedJSON(bytes: [UInt8], reason: String) {
    do {
        _ = try JSONReader.parse(bytes)
        Issue.record("accepted \(bytes)")
    } catch {
        #expect(error.reason.contains(reason), "\(error)")
        #expect(error.column >= 1 || bytes.isEmpty)
    }
}
