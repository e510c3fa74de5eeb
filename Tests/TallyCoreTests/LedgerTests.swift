import Foundation
import Testing
@testable import TallyCore

private func refusal(_ body: () throws -> Void) -> (line: Int?, refusal: Refusal)? {
    do {
        try body()
    } catch LedgerError.refused(let line, let refusal) {
        return (line, refusal)
    } catch {
        Issue.record("unexpected error \(error)")
    }
    return nil
}

/// The state rules of CONTRACT.md section 2: each prefix is accepted, the last line refused.
@Test(arguments: [
    ([line("post", "a", "2026-03-01T00:00:00Z", #"{"post":"p1"}"#)], line("post", "b", "2026-03-01T00:00:00Z", #"{"post":"p1"}"#), "data.post"),
    ([line("post", "a", "2026-03-01T00:00:00Z", #"{"post":"p1"}"#)], line("reply", "b", "2026-03-01T00:00:00Z", #"{"reply":"p1","post":"p1"}"#), "data.reply"),
    ([line("quiz_published", "s", "2026-03-01T00:00:00Z", #"{"quiz":"q","answers":{}}"#)], line("quiz_published", "s", "2026-03-01T00:00:00Z", #"{"quiz":"q","answers":{}}"#), "data.quiz"),
    ([line("complaint", "m", "2026-03-01T00:00:00Z", #"{"complaint":"c","severity":"low"}"#)], line("complaint", "m", "2026-03-01T00:00:00Z", #"{"complaint":"c","severity":"high"}"#), "data.complaint"),
    ([line("action_opened", "s", "2026-03-01T00:00:00Z", #"{"action":"a","title":"t","owner":"o","due":"2026-03-09"}"#)], line("action_opened", "s", "2026-03-01T00:00:00Z", #"{"action":"a","title":"t","owner":"o","due":"2026-03-09"}"#), "data.action"),
    ([], line("complaint_response", "s", "2026-03-01T00:00:00Z", #"{"complaint":"nope"}"#), "data.complaint"),
    ([], line("resolution", "s", "2026-03-01T00:00:00Z", #"{"complaint":"nope","outcome":"resolved"}"#), "data.complaint"),
    ([line("complaint", "m", "2026-03-01T00:00:00Z", #"{"complaint":"c","severity":"low"}"#),
      line("resolution", "s", "2026-03-01T00:00:00Z", #"{"complaint":"c","outcome":"rejected"}"#)],
     line("complaint_response", "s", "2026-03-01T00:00:00Z", #"{"complaint":"c"}"#), "data.complaint"),
    ([], line("action_updated", "s", "2026-03-01T00:00:00Z", #"{"action":"nope","status":"done"}"#), "data.action"),
    ([line("action_opened", "s", "2026-03-01T00:00:00Z", #"{"action":"a","title":"t","owner":"o","due":"2026-03-09"}"#),
      line("action_updated", "s", "2026-03-01T00:00:00Z", #"{"action":"a","status":"verified"}"#)],
     line("action_updated", "s", "2026-03-01T00:00:00Z", #"{"action":"a","status":"in_progress"}"#), "data.action"),
    ([line("action_opened", "s", "2026-03-01T00:00:00Z", #"{"action":"a","title":"t","owner":"o","due":"2026-03-09"}"#),
      line("action_updated", "s", "2026-03-01T00:00:00Z", #"{"action":"a","status":"cancelled"}"#)],
     line("action_updated", "s", "2026-03-01T00:00:00Z", #"{"action":"a","status":"planned"}"#), "data.action"),
    ([line("points_award", "s", "2026-03-01T00:00:00Z", #"{"member":"m","points":5,"reason":"manual"}"#)],
     line("points_redeemed", "m", "2026-03-01T00:00:00Z", #"{"points":6,"reward":"mug"}"#), "data.points"),
] as [([String], String, String)])
func refusesWhatTheLedgerStateForbids(prefix: [String], refused: String, field: String) throws {
    let temporary = try TemporaryLedger()
    if !prefix.isEmpty { try temporary.importLines(prefix.joined(separator: "\n")) }
    let result = refusal { try temporary.importLines((prefix.isEmpty ? "" : "\n") + refused) }
    #expect(result?.refusal.field == field)
    #expect(result?.line == (prefix.isEmpty ? 1 : 2))  // the second import starts with a blank line
    #expect(try temporary.ledger.lastSeq() == UInt64(prefix.count))
}

@Test func redeemingTheWholeBalanceIsAllowed() throws {
    let temporary = try TemporaryLedger()
    try temporary.importLines([
        line("points_award", "s", "2026-03-01T00:00:00Z", #"{"member":"m","points":5,"reason":"manual"}"#),
        line("points_redeemed", "m", "2026-03-01T00:00:00Z", #"{"points":5,"reward":"mug"}"#),
    ].joined(separator: "\n"))
    #expect(try temporary.ledger.lastSeq() == 2)
}

@Test func duplicatesAreSkippedAndConflictsRefusedAcrossRestarts() throws {
    let temporary = try TemporaryLedger()
    let original = line("post", "a", "2026-03-01T08:00:00Z", #"{"post":"p1","title":"t"}"#, id: "e1")
    try temporary.importLines(original)
    let reopened = try Ledger(path: temporary.directory)
    let sameContent = #"{"data":{"title":"t","post":"p1"},"time":"2026-03-01T16:00:00+08:00","actor":"a","type":"post","id":"e1"}"#
    #expect(try reopened.append(try event(sameContent)) == .duplicate(seq: 1))
    let report = try temporary.importLines([original, original].joined(separator: "\n"))
    #expect(report == ImportReport(appended: 0, duplicates: 2, rejected: 0, lastSeq: 1))
    let conflict = refusal { try reopened.append(try event(line("post", "a", "2026-03-01T08:00:00Z", #"{"post":"p1","title":"other"}"#, id: "e1"))) }
    #expect(conflict?.refusal.field == "id")
    #expect(conflict?.refusal.reason.contains("conflict") == true)
    #expect(conflict?.refusal.reason.contains("by seq 1 ") == true)
}

/// A refusal that names an event of the same file names its line, not the seq that an
/// import refused there never commits.
@Test func aRefusalNamesAnEarlierLineOfTheInputNotAnUncommittedSeq() throws {
    let temporary = try TemporaryLedger()
    try temporary.importLines(line("post", "a", "2026-03-01T08:00:00Z", #"{"post":"p1"}"#, id: "e1"))
    let lines = [
        line("post", "b", "2026-03-01T09:00:00Z", #"{"post":"p2"}"#, id: "e2"),
        line("post", "c", "2026-03-01T10:00:00Z", #"{"post":"p2"}"#, id: "e3"),
    ]
    let reused = refusal { try temporary.importLines(lines.joined(separator: "\n")) }
    #expect(reused?.line == 2)
    #expect(reused?.refusal.reason == #"post or reply "p2" already exists (an earlier line of this input)"#)
    let conflict = refusal { try temporary.importLines([lines[0], line("post", "z", "2026-03-01T09:00:00Z", #"{"post":"p9"}"#, id: "e2")].joined(separator: "\n")) }
    #expect(conflict?.refusal.reason.contains("already used by an earlier line of this input") == true)
    let stored = refusal { try temporary.importLines(line("post", "d", "2026-03-01T11:00:00Z", #"{"post":"p1"}"#)) }
    #expect(stored?.refusal.reason == #"post or reply "p1" already exists (seq 1)"#)
    #expect(try temporary.ledger.lastSeq() == 1)
}

@Test func aRefusedLineLeavesTheLedgerByteForByteAsItWas() throws {
    let temporary = try TemporaryLedger()
    try temporary.importLines(line("post", "a", "2026-03-01T08:00:00Z", #"{"post":"p0"}"#))
    let before = try Data(contentsOf: URL(fileURLWithPath: temporary.directory + "/data.mdb"))
    var lines = (1...500).map { line("post", "a", "2026-03-01T08:00:00Z", #"{"post":"p\#($0)"}"#) }
    lines.append(line("vote", "b", "2026-03-01T08:00:00Z", #"{"target":"p1","value":5}"#))
    let result = refusal { try temporary.importLines(lines.joined(separator: "\n")) }
    #expect(result?.line == 501)
    #expect(result?.refusal.field == "data.value")
    #expect(try Data(contentsOf: URL(fileURLWithPath: temporary.directory + "/data.mdb")) == before)
    #expect(try temporary.ledger.lastSeq() == 1)
}

@Test func skipInvalidAppendsTheRestAndReportsEachRefusedLine() throws {
    let temporary = try TemporaryLedger()
    var rejected: [Int] = []
    let file = temporary.directory + ".ndjson"
    try [line("post", "a", "2026-03-01T08:00:00Z", #"{"post":"p1"}"#), "not json", "",
         line("post", "a", "2026-03-01T08:00:00Z", #"{"post":"p1"}"#), line("reply", "b", "2026-03-01T08:00:00Z", #"{"reply":"r","post":"p1"}"#)]
        .joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: file) }
    let fd = open(file, O_RDONLY)
    defer { close(fd) }
    let report = try temporary.ledger.importNDJSON(fd: fd, name: file, skipInvalid: true, onRejected: { number, _ in rejected.append(number) })
    #expect(report == ImportReport(appended: 2, duplicates: 0, rejected: 2, lastSeq: 2))
    #expect(rejected == [2, 4])
}

@Test func importsOfManyChunksKeepLineNumbersAndStopAtTheFirstRefusal() throws {
    // 12,000 lines: a dozen chunks of the parsing thread, two of them cut short by 3 MB lines.
    var lines = (1...12_000).map { line("post", "a\($0 % 7)", "2026-03-01T08:00:00Z", #"{"post":"p\#($0)"}"#) }
    lines[99] = line("post", "a", "2026-03-01T08:00:00Z", #"{"post":"big1","body":"\#(String(repeating: "长", count: 1 << 20))"}"#)
    lines[100] = line("post", "a", "2026-03-01T08:00:00Z", #"{"post":"big2","body":"\#(String(repeating: "x", count: 3 << 20))"}"#)
    for blank in [5, 1_024, 1_025, 7_777] { lines[blank - 1] = "  " }
    lines[2_499] = "{not json"
    lines[8_999] = line("post", "b", "2026-03-01T08:00:00Z", #"{"post":"p42"}"#)  // refused by state: p42 exists

    let atomic = try TemporaryLedger()
    try atomic.importLines(line("post", "a", "2026-03-01T08:00:00Z", #"{"post":"p0"}"#))
    let before = try Data(contentsOf: URL(fileURLWithPath: atomic.directory + "/data.mdb"))
    let result = refusal { try atomic.importLines(lines.joined(separator: "\n")) }
    #expect(result?.line == 2_500)
    #expect(try Data(contentsOf: URL(fileURLWithPath: atomic.directory + "/data.mdb")) == before)

    let skipping = try TemporaryLedger()
    let report = try skipping.importLines(lines.joined(separator: "\n"), skipInvalid: true)
    #expect(report == ImportReport(appended: 11_994, duplicates: 0, rejected: 2, lastSeq: 11_994))
    let expected = try lines.enumerated().compactMap { index, text in
        [4, 1_023, 1_024, 7_776, 2_499, 8_999].contains(index) ? nil : try event(text).string("post")
    }
    #expect(try skipping.events().map { $0.event.string("post") } == expected)
}

@Test func verifyNamesTheFirstAlteredEvent() throws {
    let temporary = try TemporaryLedger()
    try temporary.importLines((1...50).map { line("post", "a", "2026-03-01T08:00:00Z", #"{"post":"p\#($0)","body":"marker-\#($0)"}"#) }.joined(separator: "\n"))
    #expect(try temporary.ledger.verify(eventsPerChunk: 6).ok)
    let path = temporary.directory + "/data.mdb"
    var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    let marker = Data("marker-37".utf8)
    let range = try #require(bytes.range(of: marker))
    bytes[range.lowerBound + 3] ^= 0x01  // "mArker-37"
    try bytes.write(to: URL(fileURLWithPath: path))
    let reopened = try Ledger(path: temporary.directory)
    for eventsPerChunk: UInt64 in [100_000, 7, 1] {  // one chunk, 7 chunks, 8 chunks
        let report = try reopened.verify(eventsPerChunk: eventsPerChunk)
        #expect(!report.ok)
        #expect(report.firstBadSeq == 37)
        #expect(report.events == 36)
        #expect(report.head == Hex.encode(try #require(try reopened.event(at: 36)).hash))
    }
}

@Test func verifyCatchesAnIndexThatDisagreesWithTheLog() throws {
    let temporary = try TemporaryLedger()
    try temporary.importLines((1...20).map { line("post", "a\($0 % 3)", "2026-03-01T08:00:00Z", #"{"post":"p\#($0)"}"#) }.joined(separator: "\n"))
    try temporary.ledger.write { txn in
        try txn.put(temporary.ledger.schema.ids, key: Array("p-fake".utf8), value: ByteWriter.key(12))
    }
    for eventsPerChunk: UInt64 in [100_000, 3] {
        #expect(try temporary.ledger.verify(eventsPerChunk: eventsPerChunk).firstBadSeq == 12)
    }
    try temporary.ledger.rebuild()  // the stored projections only: the index stays wrong
    #expect(try temporary.ledger.verify().firstBadSeq == 12)
    try temporary.ledger.rebuild(.everything)
    #expect(try temporary.ledger.verify().ok)
    // An entry naming seq 0, which no event has: every event before it is good.
    try temporary.ledger.write { txn in
        try txn.put(temporary.ledger.schema.ids, key: Array("p-zero".utf8), value: ByteWriter.key(0))
    }
    let report = try temporary.ledger.verify()
    #expect(!report.ok && report.firstBadSeq == 0 && report.events == 0)
}

/// Index sums are compared per run of seqs, then per seq within the first run that
/// differs: the seq named is the first bad one, in whichever run, before an entry for a seq
/// past the log.
@Test func verifyNamesTheFirstBadSeqAcrossRunsOfSeqs() throws {
    let temporary = try TemporaryLedger()
    let count = 3 * IndexTally.seqsPerRun + 100
    try temporary.importLines((1...count).map { line("post", "a\($0 % 7)", "2026-03-01T08:00:00Z", #"{"post":"p\#($0)"}"#, id: "e\($0)") }.joined(separator: "\n"))
    let ids = temporary.ledger.schema.ids
    try temporary.ledger.write { txn in try txn.put(ids, key: Array("fake-past-the-log".utf8), value: ByteWriter.key(UInt64(count + 5))) }
    #expect(try temporary.ledger.verify().firstBadSeq == UInt64(count + 5))
    let late = UInt64(2 * IndexTally.seqsPerRun + 77), early = UInt64(IndexTally.seqsPerRun + 3)
    try temporary.ledger.write { txn in try txn.put(ids, key: Array("fake-late".utf8), value: ByteWriter.key(late)) }
    #expect(try temporary.ledger.verify().firstBadSeq == late)
    try temporary.ledger.write { txn in _ = try txn.delete(ids, key: Array("e\(early)".utf8)) }
    let report = try temporary.ledger.verify(eventsPerChunk: 500)
    #expect(report.firstBadSeq == early && report.events == early - 1)
}

@Test func rebuildingEverythingRefusesARecordStoredUnderAnotherSeq() throws {
    let temporary = try TemporaryLedger()
    try temporary.importLines((1...8).map { line("post", "a", "2026-03-01T08:00:00Z", #"{"post":"p\#($0)"}"#) }.joined(separator: "\n"))
    let schema = temporary.ledger.schema
    try temporary.ledger.write { txn in  // seq 4's record, stored again at 6
        let fourth = try #require(try txn.get(schema.events, key: ByteWriter.key(4)))
        try txn.put(schema.events, key: ByteWriter.key(6), value: fourth)
    }
    let before = try temporary.ledger.stats()
    #expect {
        try temporary.ledger.rebuild(.everything)
    } throws: { error in
        guard case LedgerError.corrupted(seq: 6, _)? = error as? LedgerError else { return false }
        return true
    }
    let after = try temporary.ledger.stats()  // the rebuild's transaction was not committed
    #expect(after.usedBytes == before.usedBytes && after.actors == 1 && after.byType.first { $0.type == .post }?.count == 8)
    #expect(try temporary.ledger.verify().firstBadSeq == 6)
}

/// `rebuild --all` rewrites the id index in its write transaction before it replays the
/// projections: the replay must find an award's `ref` through that index, not the damaged
/// one still committed.
@Test func rebuildingEverythingAuditsAwardsThroughTheRebuiltIDIndex() throws {
    let temporary = try TemporaryLedger()
    try temporary.importLines([
        line("post", "alice", "2026-03-01T08:00:00Z", #"{"post":"p1"}"#, id: "e-post"),
        line("points_award", "staff", "2026-03-01T09:00:00Z", #"{"member":"alice","points":2,"reason":"post","ref":"e-post"}"#),
    ].joined(separator: "\n"))
    try temporary.ledger.write { txn in _ = try txn.delete(temporary.ledger.schema.ids, key: Array("e-post".utf8)) }
    #expect(try temporary.ledger.verify().firstBadSeq == 1)
    try temporary.ledger.rebuild(.everything)
    #expect(try temporary.ledger.verify().ok)
    #expect(try temporary.ledger.verifyProjections() == .ok)
    #expect(try temporary.ledger.projection().audit().flagged == 0)  // the award names alice's post: nothing to flag
}

@Test func queryAgreesWithAFilterOverTheLog() throws {
    let temporary = try TemporaryLedger()
    let file = repositoryRoot.appendingPathComponent("events/samples/community.ndjson").path
    let fd = open(file, O_RDONLY)
    defer { close(fd) }
    _ = try temporary.ledger.importNDJSON(fd: fd, name: file)
    let all = try temporary.events()
    func run(_ configure: (inout EventQuery) -> Void) throws -> [UInt64] {
        var query = EventQuery()
        configure(&query)
        var seqs: [UInt64] = []
        try temporary.ledger.query(query) { seqs.append($0.seq) }
        return seqs
    }
    #expect(try run { $0.actor = "bob" } == all.filter { $0.event.actor == "bob" }.map(\.seq))
    #expect(try run { $0.member = "bob" } == all.filter { $0.event.type == .pointsAward && $0.event.string("member") == "bob" }.map(\.seq))
    #expect(try run { $0.type = .vote } == all.filter { $0.event.type == .vote }.map(\.seq))
    #expect(try run { $0.ref = "c-1" } == [15, 16, 17, 20])
    #expect(try run { $0.ref = "s-17" } == [18])
    #expect(try run { $0.actor = "staff-li"; $0.type = .pointsAward; $0.limit = 2 } == [8, 12])
    let since = Timestamp(rfc3339: "2026-03-04T12:00:00Z")!, until = Timestamp(rfc3339: "2026-03-06T01:00:00Z")!
    #expect(try run { $0.since = since; $0.until = until } == all.filter { $0.event.time >= since && $0.event.time <= until }.map(\.seq))
    #expect(try run { $0.fromSeq = 20 } == [20, 21, 22, 23])
}

/// Export and query write their lines in rounds of jobs, on two threads, each job in a
/// transaction of its own: the lines must come out whole, in seq order, up to the limit, and
/// stop at a damaged record after every line before it.
@Test func linesWrittenOnTwoThreadsComeOutInSeqOrderUpToTheLimit() throws {
    let temporary = try TemporaryLedger()
    // export: jobs of 4,096, 4,096 and 808 records; actor a0 (3,000 records from its index):
    // a round of eight jobs of 256, then a round of eight of 119
    let count = 9_000
    try temporary.importLines((1...count).map { line("post", "a\($0 % 3)", "2026-03-01T08:00:00Z", #"{"post":"p\#($0)"}"#) }.joined(separator: "\n"))
    let expected = try temporary.linesOneByOne()  // the reference
    #expect(expected.enumerated().allSatisfy { $1.hasPrefix(#"{"seq":\#($0 + 1),"#) })

    var progress: [UInt64] = []
    #expect(try temporary.exportLines { progress.append($0) } == expected)
    #expect(progress == [4_096, 8_192, 9_000])
    let actorLines = (0..<count).filter { ($0 + 1) % 3 == 0 }.map { expected[$0] }
    #expect(try temporary.queryLines { $0.actor = "a0" } == actorLines)
    #expect(try temporary.queryLines { $0.actor = "a0"; $0.limit = 2_000 } == Array(actorLines.prefix(2_000)))
    #expect(try temporary.queryLines { $0.actor = "a0"; $0.type = .post; $0.limit = 2_000 } == Array(actorLines.prefix(2_000)))  // checked record by record
    #expect(try temporary.queryLines { $0.fromSeq = 8_000 } == Array(expected.suffix(1_001)))

    try temporary.ledger.write { txn in  // in the second job of the first pair
        try txn.put(temporary.ledger.schema.events, key: ByteWriter.key(6_000), value: [1] + [UInt8](repeating: 0, count: 40))
    }
    func isCorruptionAt6000(_ error: any Error) -> Bool {
        guard case LedgerError.corrupted(seq: 6_000, _)? = error as? LedgerError else { return false }
        return true
    }
    var before: [String] = []
    #expect(performing: { try temporary.ledger.exportLines { before.append(String(decoding: $0, as: UTF8.self)) } }, throws: isCorruptionAt6000)
    #expect(before == Array(expected.prefix(5_999)))
    var queried: [String] = []  // seq 6,000 is a0's 2,000th event, in the last job of the first round
    var query = EventQuery()
    query.actor = "a0"
    #expect(performing: { try temporary.ledger.queryLines(query) { queried.append(String(decoding: $0, as: UTF8.self)) } }, throws: isCorruptionAt6000)
    #expect(queried == Array(actorLines.prefix(1_999)))
}

/// A job stops at about 4 MB of lines, and the caller writes the rest of its records before
/// the next job's lines: large events come out whole and in order, and memory stays bounded.
@Test func linesOfLargeEventsComeOutInSeqOrderPastAJobsSizeLimit() throws {
    let temporary = try TemporaryLedger()
    let count = 700, bodyBytes = 20_000  // two jobs of 350 records, 7 MB of lines each
    #expect(350 * bodyBytes > 3 * Ledger.lineBytesPerJob / 2)
    let body = String(repeating: "长", count: bodyBytes / 3)
    try temporary.importLines((1...count).map { line("post", "a\($0 % 2)", "2026-03-01T08:00:00Z", #"{"post":"p\#($0)","body":"\#(body)"}"#) }.joined(separator: "\n"))
    let expected = try temporary.linesOneByOne()
    #expect(expected.enumerated().allSatisfy { $1.hasPrefix(#"{"seq":\#($0 + 1),"#) && $1.utf8.count > bodyBytes })
    #expect(try temporary.exportLines() == expected)
    #expect(try temporary.queryLines { $0.fromSeq = 2 } == Array(expected.dropFirst()))
    let odd = (0..<count).filter { $0 % 2 == 0 }.map { expected[$0] }  // seqs 1, 3, 5…: actor a1
    #expect(try temporary.queryLines { $0.actor = "a1" } == odd)
    #expect(try temporary.queryLines { $0.actor = "a1"; $0.type = .post; $0.limit = 300 } == Array(odd.prefix(300)))
}

@Test func exportReproducesWhatWasImported() throws {
    let temporary = try TemporaryLedger()
    let text = [line("post", "张伟", "2026-03-01T16:00:00+08:00", #"{"post":"p1","title":"你好 🎉","extra":{"nested":[1,2.50,null]}}"#, id: "e1")]
    try temporary.importLines(text[0].replacingOccurrences(of: #""type""#, with: #""source":"wechat","type""#))
    let stored = try #require(try temporary.events().first)
    let exported = try JSONReader.parse(stored.jsonLine())
    guard case .object(let object) = exported else { Issue.record("not an object"); return }
    #expect(object["source"] == .string("wechat"))
    #expect(object["time"] == .string("2026-03-01T08:00:00.000Z"))
    #expect(object["seq"] == .integer(1))
    #expect(object["hash"] == .string(Hex.encode(stored.hash)))
    let data = try JSONReader.parse(Array(#"{"post":"p1","title":"你好 🎉","extra":{"nested":[1,2.50,null]}}"#.utf8))
    #expect(object["data"] == data)
}

@Test func anImportGrowsTheMapInsteadOfFailing() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tally-small-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let ledger = try Ledger(path: directory, options: .init(create: true, noSync: true, mapSize: 256 << 10))
    let file = directory + ".ndjson"
    try (1...3000).map { line("post", "a", "2026-03-01T08:00:00Z", #"{"post":"p\#($0)","body":"\#(String(repeating: "x", count: 200))"}"#) }
        .joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: file) }
    let fd = open(file, O_RDONLY)
    defer { close(fd) }
    #expect(try ledger.importNDJSON(fd: fd, name: file).appended == 3000)
    #expect(try ledger.verify().ok)
}

@Test func aRebuildGrowsTheMapInsteadOfFailing() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tally-small-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let ledger = try Ledger(path: directory, options: .init(create: true, noSync: true, mapSize: 256 << 10))
    // Small events with many members, posts and votes: the stored projections are a large
    // share of the ledger, and a rebuild, which frees the old pages only when it commits,
    // needs room for both. Its replay reads the log on a second thread meanwhile.
    let lines = (1...20_000).map { index in
        index % 3 == 0
            ? line("vote", "v\(index % 997)", "2026-03-0\(index % 9 + 1)T08:00:00Z", #"{"target":"p\#(index % 3000 + 1)","value":1}"#)
            : line("post", "a\(index % 701)", "2026-03-0\(index % 9 + 1)T08:00:00Z", #"{"post":"p\#(index)"}"#)
    }
    let file = directory + ".ndjson"
    try lines.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: file) }
    let fd = open(file, O_RDONLY)
    defer { close(fd) }
    #expect(try ledger.importNDJSON(fd: fd, name: file).appended == 20_000)
    let before = try ledger.environment.info().mapSize
    try ledger.rebuild(.everything)
    #expect(try ledger.environment.info().mapSize > before)
    #expect(try ledger.verify().ok)
    #expect(try ledger.verifyProjections() == .ok)
}

@Test func verifyNamesAMissingSeq() throws {
    let temporary = try TemporaryLedger()
    try temporary.importLines((1...40).map { line("post", "a", "2026-03-01T08:00:00Z", #"{"post":"p\#($0)"}"#) }.joined(separator: "\n"))
    try temporary.ledger.write { txn in _ = try txn.delete(temporary.ledger.schema.events, key: ByteWriter.key(20)) }
    for eventsPerChunk: UInt64 in [100_000, 5] {
        let report = try temporary.ledger.verify(eventsPerChunk: eventsPerChunk)
        #expect(report.firstBadSeq == 20)
        #expect(report.problem?.contains("gap") == true)
    }
}

@Test(.timeLimit(.minutes(1)))
func importsRunInParallelOnEveryThreadOfThePool() async throws {
    // More imports than cores, each waiting on its own parsing thread: none may starve (a
    // starved one would hang, which the time limit turns into a failure).
    let text = (1...5_000).map { line("post", "a\($0 % 9)", "2026-03-01T08:00:00Z", #"{"post":"p\#($0)"}"#) }.joined(separator: "\n")
    let counts = try await withThrowingTaskGroup(of: Int.self) { group in
        for _ in 0..<8 {
            group.addTask {
                let temporary = try TemporaryLedger()
                return try temporary.importLines(text).appended
            }
        }
        return try await group.reduce(into: []) { $0.append($1) }
    }
    #expect(counts == Array(repeating: 5_000, count: 8))
}

/// Whether the envelope does not decode (the reader of two stages finds it), the binary JSON
/// after it is damaged (the thread applying events checks it), or the record is another
/// seq's, every replay names the seq.
@Test(arguments: ["envelope", "trailing byte", "another seq"])
func aReplayReportsADamagedRecordInOneStageOrTwo(damage: String) throws {
    let temporary = try TemporaryLedger()
    try temporary.importLines((1...5_000).map { line("post", "a\($0 % 7)", "2026-03-01T08:00:00Z", #"{"post":"p\#($0)"}"#) }.joined(separator: "\n"))
    let events = temporary.ledger.schema.events
    try temporary.ledger.write { txn in  // past the first chunk the reader of a two-stage replay hands over
        let damaged: [UInt8] = switch damage {
        case "envelope": [1] + [UInt8](repeating: 0, count: 40)
        case "trailing byte": try #require(try txn.get(events, key: ByteWriter.key(4_500))) + [0]
        default: try #require(try txn.get(events, key: ByteWriter.key(4_499)))
        }
        try txn.put(events, key: ByteWriter.key(4_500), value: damaged)
    }
    var heavier = Rules.builtIn
    heavier.engagement.post = 9
    func isCorruptionAt4500(_ error: any Error) -> Bool {
        guard case LedgerError.corrupted(seq: 4_500, _)? = error as? LedgerError else { return false }
        return true
    }
    #expect(performing: { try temporary.ledger.diff(rules: heavier) }, throws: isCorruptionAt4500)  // two stages
    #expect(performing: { try temporary.ledger.diff(rules: heavier, base: .builtIn, atSeq: 4_999) }, throws: isCorruptionAt4500)
    #expect(performing: { try temporary.ledger.replay(rules: [heavier]) }, throws: isCorruptionAt4500)
    // A rebuild stops there too, and its transaction leaves the ledger as it was.
    let before = try temporary.ledger.stats()
    #expect(performing: { try temporary.ledger.rebuild() }, throws: isCorruptionAt4500)
    #expect(try temporary.ledger.stats().usedBytes == before.usedBytes && temporary.ledger.projectionsAreCurrent())
}

@Test func aDamagedRegistryEntryIsReportedAsCorruptionNotTrappedOn() throws {
    let temporary = try TemporaryLedger()
    try temporary.importLines(line("action_opened", "s", "2026-03-01T00:00:00Z", #"{"action":"a","title":"t","owner":"o","due":"2026-03-09"}"#))
    let key = EntityRegistry.key(.action, "a")
    for value in [[UInt8](ByteWriter.key(1)) + [200, 1, UInt8(ascii: "o")], [1, 2, 3]] {  // status 200; truncated
        try temporary.ledger.write { txn in try txn.put(temporary.ledger.schema.entities, key: key, value: value) }
        #expect {
            try temporary.ledger.append(try event(line("action_updated", "s", "2026-03-02T00:00:00Z", #"{"action":"a","status":"done"}"#)))
        } throws: { error in
            if case LedgerError.corrupted = error { return true }
            return false
        }
    }
}

/// Ids and content compare byte for byte, as the contract's "exact" and LMDB's keys do:
/// "é" written as U+00E9 and as "e" + U+0301 are canonically equivalent, and so equal as
/// Swift `String`s, but they are two members, and an event whose actor is the other is not
/// the same content.
@Test func idsAndContentCompareByteForByteNotByCanonicalEquivalence() throws {
    let temporary = try TemporaryLedger()
    try temporary.importLines([
        line("post", "\\u00e9", "2026-03-01T08:00:00Z", #"{"post":"p1"}"#, id: "e1"),
        line("points_award", "s", "2026-03-01T08:00:00Z", #"{"member":"\u00e9","points":10,"reason":"manual"}"#),
    ].joined(separator: "\n"))
    // The same id with the actor written the other way is a conflict, not a duplicate.
    let conflict = refusal { try temporary.importLines(line("post", "e\\u0301", "2026-03-01T08:00:00Z", #"{"post":"p1"}"#, id: "e1")) }
    #expect(conflict?.refusal.field == "id")
    // The other spelling has no points of its own to redeem, within one import or across two.
    let sameImport = refusal {
        try temporary.importLines([
            line("points_award", "s", "2026-03-01T09:00:00Z", #"{"member":"\u00e9","points":1,"reason":"manual"}"#),
            line("points_redeemed", "e\\u0301", "2026-03-01T09:00:00Z", #"{"points":5,"reward":"mug"}"#),
        ].joined(separator: "\n"))
    }
    #expect(sameImport?.refusal.field == "data.points" && sameImport?.line == 2)
    let laterImport = refusal { try temporary.importLines(line("points_redeemed", "e\\u0301", "2026-03-01T09:00:00Z", #"{"points":5,"reward":"mug"}"#)) }
    #expect(laterImport?.refusal.field == "data.points")
    try temporary.importLines(line("points_redeemed", "\\u00e9", "2026-03-01T09:00:00Z", #"{"points":5,"reward":"mug"}"#))
    #expect(try temporary.ledger.lastSeq() == 3)
}

/// The id index of a batch: written in key order, and for an id added twice (a damaged log,
/// reindexed), the later seq.
@Test func indexBatchWritesIdsInKeyOrderKeepingTheLaterSeqOfAnIdAddedTwice() throws {
    let temporary = try TemporaryLedger()
    let schema = temporary.ledger.schema
    var batch = IndexBatch()
    for (id, seq) in [("e-b", 1), ("e-a", 2), ("e-b", 3), ("e-c", 4)] as [(String, UInt64)] {
        Array(id.utf8).withUnsafeBytes { batch.add(id: $0, seq: seq) }
    }
    #expect(Array("e-b".utf8).withUnsafeBytes { batch.seq(ofID: $0) } == 3)
    #expect(Array("e-z".utf8).withUnsafeBytes { batch.seq(ofID: $0) } == nil)
    try temporary.ledger.write { txn in try batch.write(schema, txn, pages: PageReleaser(), written: WrittenKeys()) }
    #expect(batch.count == 0)
    let stored = try temporary.ledger.read { txn in
        try txn.withCursor(schema.ids) { cursor in
            var pairs: [String] = []
            var entry = try cursor.first()
            while let (key, value) = entry {
                pairs.append("\(String(decoding: key, as: UTF8.self))=\(ByteReader.uint64(value) ?? 0)")
                entry = try cursor.next()
            }
            return pairs
        }
    }
    #expect(stored == ["e-a=2", "e-b=3", "e-c=4"])
}

/// `seq(asOf:)` is the seq before the first event, by seq, whose time is later: an event
/// appended late with an earlier time (seq 2) counts only once the first event is in.
@Test func seqAsOfATimeEndsBeforeTheFirstLaterEvent() throws {
    let temporary = try TemporaryLedger()
    #expect(try temporary.ledger.seq(asOf: Timestamp(rfc3339: "2026-03-01T00:00:00Z")!) == 0)
    try temporary.importLines([
        line("post", "a", "2026-03-01T10:00:00Z", #"{"post":"p1"}"#),
        line("post", "b", "2026-03-01T09:00:00Z", #"{"post":"p2"}"#),
        line("post", "c", "2026-03-01T12:00:00Z", #"{"post":"p3"}"#),
        line("post", "d", "2026-03-02T08:00:00+08:00", #"{"post":"p4"}"#),  // 2 March, 00:00 UTC
        line("post", "e", "2026-03-03T00:00:00Z", #"{"post":"p5"}"#),
    ].joined(separator: "\n"))
    let expected: [(String, UInt64)] = [
        ("2026-02-01T00:00:00Z", 0), ("2026-03-01T09:30:00Z", 0), ("2026-03-01T10:00:00Z", 2), ("2026-03-01T11:59:59.999Z", 2),
        ("2026-03-01T23:59:59.999Z", 3), ("2026-03-02T00:00:00Z", 4), ("2026-03-02T23:00:00Z", 4), ("2026-03-03T00:00:00Z", 5),
        ("2027-01-01T00:00:00Z", 5),
    ]
    for (time, seq) in expected {
        #expect(try temporary.ledger.seq(asOf: Timestamp(rfc3339: time)!) == seq, "\(time)")
    }
}
