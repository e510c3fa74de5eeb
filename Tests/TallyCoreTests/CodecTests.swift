import Crypto
import Testing
@testable import TallyCore

/// A small deterministic generator, so property tests replay the same cases.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum RandomJSON {
    static let alphabet = Array("aZ09 -_\"\\/\n\t\u{1}社群积分红包🎉👍🏽é")

    static func string(_ rng: inout SeededGenerator, maxLength: Int = 12) -> String {
        String((0..<Int.random(in: 0...maxLength, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
    }

    static func value(_ rng: inout SeededGenerator, depth: Int = 0) -> JSONValue {
        switch Int.random(in: 0..<(depth > 3 ? 6 : 8), using: &rng) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2: return .integer(Int64.random(in: .min ... .max, using: &rng))
        case 3: return .number(["0.5", "-1e-7", "12345678901234567890123", "-0", "3.0"].randomElement(using: &rng)!)
        case 4, 5: return .string(string(&rng))
        case 6: return .array((0..<Int.random(in: 0...4, using: &rng)).map { _ in value(&rng, depth: depth + 1) })
        default: return .object(object(&rng, depth: depth + 1))
        }
    }

    static func object(_ rng: inout SeededGenerator, depth: Int = 0) -> JSONObject {
        var object = JSONObject()
        for index in 0..<Int.random(in: 0...5, using: &rng) {
            object.members.append(("k\(index)" + string(&rng, maxLength: 3), value(&rng, depth: depth)))
        }
        return object
    }
}

@Test(arguments: 0..<200)
func recordsRoundTrip(seed: Int) throws {
    var rng = SeededGenerator(state: UInt64(seed))
    var data = RandomJSON.object(&rng)
    if seed % 10 == 0 { data.members.append(("body", .string(String(repeating: "长文 long body 🎉 ", count: 20_000)))) }
    let original = Event(
        id: "id-\(seed)-" + RandomJSON.string(&rng), type: EventType.allCases.randomElement(using: &rng)!,
        actor: "actor " + RandomJSON.string(&rng), time: Timestamp(milliseconds: Int64.random(in: -1_000_000_000_000...5_000_000_000_000, using: &rng)),
        data: data, extras: seed % 3 == 0 ? RandomJSON.object(&rng) : JSONObject())
    let recorded = Timestamp(milliseconds: 1_790_000_000_000)
    let body = EventRecord.body(seq: UInt64(seed + 1), recorded: recorded, event: original)
    let hash = body.withUnsafeBytes { EventRecord.chainHash(previous: UnsafeRawBufferPointer(start: nil, count: 0), body: $0) }
    let decoded = try EventRecord.record(hash: hash, body: body).withUnsafeBytes { try EventRecord.decode($0) }
    #expect(decoded.event == original)
    #expect(decoded.seq == UInt64(seed + 1))
    #expect(decoded.recorded == recorded)
    #expect(decoded.hash == hash)
    // The exported line parses back to the same data and extras.
    let line = try JSONReader.parse(decoded.jsonLine())
    guard case .object(let exported) = line else { Issue.record("export is not an object"); return }
    #expect(exported["data"] == .object(original.data))
    for member in original.extras.members { #expect(exported[member.key] == member.value) }
}

@Test(arguments: 0..<300)
func decoderNeverTrapsOnDamagedRecords(seed: Int) throws {
    var rng = SeededGenerator(state: UInt64(seed) &* 7919)
    let event = Event(id: "e", type: .post, actor: "a", time: Timestamp(milliseconds: 0), data: RandomJSON.object(&rng))
    var record = EventRecord.record(hash: EventRecord.zeroHash, body: EventRecord.body(seq: 1, recorded: Timestamp(milliseconds: 0), event: event))
    let cut = Int.random(in: 0..<record.count, using: &rng)
    if seed % 2 == 0 {
        record.removeLast(record.count - cut)
        #expect(throws: DecodeError.self) { try record.withUnsafeBytes { try EventRecord.decode($0) } }
    } else {
        record[cut] = UInt8.random(in: 0...255, using: &rng)
        _ = try? record.withUnsafeBytes { try EventRecord.decode($0) }  // may decode to something else; must never trap
    }
}

@Test(arguments: 0..<50)
func utf8ValidationAgreesWithTheStandardLibrary(seed: Int) {
    var rng = SeededGenerator(state: UInt64(seed) &* 31)
    // Bytes biased towards the tricky lead bytes: overlongs (C0, E0 80), surrogates (ED A0), > U+10FFFF (F4 90).
    let interesting: [UInt8] = [0x41, 0x7F, 0x80, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xA0, 0xED, 0x9F, 0xEF, 0xF0, 0x90, 0xF4, 0x8F, 0xF5, 0xFF]
    for _ in 0..<400 {
        let bytes = (0..<Int.random(in: 0...12, using: &rng)).map { _ in
            Bool.random(using: &rng) ? interesting.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
        }
        let expected = String(validating: bytes, as: UTF8.self) != nil
        #expect(bytes.withUnsafeBytes { UTF8Validation.isValid($0) } == expected, "\(bytes)")
    }
}

@Test func chainHashIsSHA256OfThePreviousHashAndTheBody() throws {
    let empty = UnsafeRawBufferPointer(start: nil, count: 0)
    let abc = Array("abc".utf8).withUnsafeBytes { EventRecord.chainHash(previous: empty, body: $0) }
    #expect(Hex.encode(abc) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")  // FIPS 180-2, B.1
    var rng = SeededGenerator(state: 42)
    // Bodies across SHA-256's block boundaries: padding fits in the last block or takes another.
    for length in [0, 1, 22, 23, 24, 55, 56, 63, 64, 119, 120, 200, 4_096] {
        let previous = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let body = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let chained = previous.withUnsafeBytes { p in body.withUnsafeBytes { EventRecord.chainHash(previous: p, body: $0) } }
        #expect(chained == Array(SHA256.hash(data: previous + body)), "body of \(length) bytes")
    }
}

@Test func theLedgersOwnFieldsAreNotKeptFromInputNorPrintedTwice() throws {
    let input = #"{"seq":7,"type":"post","recorded":"x","actor":"a","hash":"h","time":"2026-03-01T08:00:00Z","source":"wechat","data":{"post":"p1","seq":1}}"#
    let event = try EventValidator.validate(JSONReader.parse(Array(input.utf8)))
    #expect(event.extras == JSONObject([("source", .string("wechat"))]))
    #expect(event.data["seq"] == .integer(1))  // a data field of that name is the event's own
    // A ledger written by an earlier build may hold them among the extras: they are left out.
    var stored = event
    stored.extras.members = [("seq", .integer(7)), ("source", .string("wechat")), ("hash", .string("h")), ("recorded", .null)]
    let body = EventRecord.body(seq: 3, recorded: Timestamp(milliseconds: 0), event: stored)
    let hash = EventRecord.zeroHash.withUnsafeBytes { zero in body.withUnsafeBytes { EventRecord.chainHash(previous: zero, body: $0) } }
    let line = try EventRecord.record(hash: hash, body: body).withUnsafeBytes { try EventRecord.decode($0) }.jsonLine()
    guard case .object(let printed) = try JSONReader.parse(line) else { Issue.record("not an object"); return }
    #expect(printed.members.map(\.key) == ["seq", "id", "type", "actor", "time", "recorded", "hash", "data", "source"])
    #expect(printed["seq"] == .integer(3))
}
