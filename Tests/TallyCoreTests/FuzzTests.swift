import Foundation
import Testing
@testable import TallyCore

/// A mutation fuzzer over the NDJSON reader, the event validator, the record codec and the
/// record view. Debug builds check every bound and overflow, so a trap is a finding.
///
/// Runs for 2 seconds by default; `TALLY_FUZZ_SECONDS=600 swift test --filter fuzz` for the
/// long run. Every input derives from `TALLY_FUZZ_SEED` (default: the clock, printed) and the
/// iteration, so a finding can be replayed.
enum Fuzzer {
    static let corpus: [[UInt8]] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fuzz/corpus.ndjson")
        return (try? String(contentsOf: url, encoding: .utf8))?.split(separator: "\n").map { Array($0.utf8) } ?? []
    }()

    static let hostile: [[UInt8]] = [
        [0xEF, 0xBB, 0xBF] + Array(#"{"type":"post","actor":"a","time":"2026-03-01T00:00:00Z","data":{"post":"p"}}"#.utf8),
        Array(#"{"type":"post","actor":"a\u0000b","time":"2026-03-01T00:00:00Z","data":{"post":"p\u0000"}}"#.utf8),
        Array(#"{"type":"post","type":"vote","actor":"a","time":"2026-03-01T00:00:00Z","data":{}}"#.utf8),
        Array(#"{"type":"points_award","actor":"a","time":"2026-03-01T00:00:00Z","data":{"member":"m","points":92233720368547758070,"reason":"r"}}"#.utf8),
        Array(String(repeating: "[", count: 10_000).utf8) + Array(String(repeating: "]", count: 10_000).utf8),
        Array(String(repeating: #"{"a":"#, count: 63).utf8) + [0x31] + Array(String(repeating: "}", count: 63).utf8),
        [0x7B, 0x22, 0xC0, 0x80, 0x22, 0x3A, 0x31, 0x7D], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x00], [],
    ]

    static func mutate(_ input: [UInt8], _ rng: inout SeededGenerator) -> [UInt8] {
        var bytes = input
        for _ in 0...Int.random(in: 0..<4, using: &rng) {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<8, using: &rng) {
            case 0 where !bytes.isEmpty: bytes[position] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
            case 1 where !bytes.isEmpty: bytes[position] = [0x00, 0x22, 0x5C, 0x7B, 0x7D, 0x5B, 0x5D, 0x2C, 0x3A, 0xFF, 0xC3, 0xE4, 0xF0, 0x80]
                .randomElement(using: &rng)!
            case 2: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: position)
            case 3 where !bytes.isEmpty: bytes.removeSubrange(position..<min(bytes.count, position + Int.random(in: 1...8, using: &rng)))
            case 4: bytes.removeLast(bytes.count - position)
            case 5:  // splice another corpus line in
                let other = corpus.randomElement(using: &rng) ?? []
                let from = other.isEmpty ? 0 : Int.random(in: 0..<other.count, using: &rng)
                bytes.insert(contentsOf: other[from...], at: position)
            case 6: bytes.insert(contentsOf: Array(["9999999999999999999999", "-0", "1e400", "\\ud800", "\\u0000", "null", "[]", "{}", "\"\""]
                .randomElement(using: &rng)!.utf8), at: position)
            default: bytes = Array(#"{"wrap":"#.utf8) + bytes + [0x7D]
            }
        }
        return bytes
    }

    /// Feeds one input through every layer and checks the invariants.
    static func check(_ input: [UInt8]) {
        guard let value = try? JSONReader.parse(input) else { return }
        let writer = JSONWriter()
        writer.write(value)
        #expect((try? JSONReader.parse(writer.bytes)) == value, "write-then-read differs")
        guard var event = try? EventValidator.validate(value) else { return }
        if event.id == nil { event.id = "assigned" }  // the ledger assigns ids before encoding
        let body = EventRecord.body(seq: 1, recorded: Timestamp(milliseconds: 0), event: event)
        let record = EventRecord.record(hash: EventRecord.zeroHash, body: body)
        let decoded = try? record.withUnsafeBytes { try EventRecord.decode($0) }
        #expect(decoded?.event == event, "record round trip differs")
        body.withUnsafeBytes { raw in
            guard let view = try? RecordView(body: raw) else {
                Issue.record("RecordView refused a record the encoder wrote")
                return
            }
            #expect(view.actor.elementsEqual(event.actor.utf8))
            var keys = 0
            IndexEntries.keys(for: view) { _, _ in keys += 1 }
            #expect(keys >= 3)
        }
        // Damaged copies of the record must throw or decode, never trap.
        var damaged = record
        damaged[Int(input.count % damaged.count)] ^= 0x5A
        _ = try? damaged.withUnsafeBytes { try EventRecord.decode($0) }
        _ = try? damaged.withUnsafeBytes { try RecordView(body: EventRecord.body(of: $0)) }
    }
}

@Test func fuzzTheReaderValidatorAndCodec() {
    let environment = ProcessInfo.processInfo.environment
    let seconds = Double(environment["TALLY_FUZZ_SECONDS"] ?? "") ?? 2
    let seed = UInt64(environment["TALLY_FUZZ_SEED"] ?? "") ?? UInt64(Date().timeIntervalSince1970)
    for input in Fuzzer.corpus + Fuzzer.hostile { Fuzzer.check(input) }
    let deadline = Date().addingTimeInterval(seconds)
    var iterations = 0
    while Date() < deadline {
        for _ in 0..<500 {
            var rng = SeededGenerator(state: seed &* 1_000_003 &+ UInt64(iterations))
            let base = (Fuzzer.corpus + Fuzzer.hostile).randomElement(using: &rng)!
            Fuzzer.check(Fuzzer.mutate(base, &rng))
            iterations += 1
        }
    }
    print("fuzz: \(iterations) inputs in \(seconds) s, seed \(seed)")
    #expect(iterations > 0)
}

@Test func hugeLinesAreReadWhole() throws {
    let temporary = try TemporaryLedger()
    let body = String(repeating: "长", count: 3 << 20)  // 9 MiB of UTF-8: past the 4 MiB read buffer
    let report = try temporary.importLines(line("post", "a", "2026-03-01T00:00:00Z", #"{"post":"big","body":"\#(body)"}"#) + "\n" + line("post", "a", "2026-03-01T00:00:00Z", #"{"post":"small"}"#))
    #expect(report.appended == 2)
    #expect(try temporary.events().first?.event.string("body")?.count == 3 << 20)
}
