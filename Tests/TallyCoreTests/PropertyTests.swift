import Testing
@testable import TallyCore
import LMDB

/// Random community histories: mostly valid, with some events the ledger must refuse.
enum RandomHistory {
    static func lines(seed: UInt64, count: Int, members memberCount: Int = 5) -> [String] {
        var rng = SeededGenerator(state: seed)
        let members = (0..<memberCount).map { "m\($0)" } + ["会员-😀"]
        let reasons = ["post", "quiz_correct", "manual", "feedback", String(repeating: "长", count: 120)]  // the last: a 360-byte reason
        var lines: [String] = []
        for index in 0..<count {
            let actor = members.randomElement(using: &rng)!
            let minute = index * 7 + Int.random(in: 0..<600, using: &rng)
            let time = Timestamp(milliseconds: 1_772_000_000_000 + Int64(minute) * 60_000).rfc3339
            let content = "c\(Int.random(in: 0..<12, using: &rng))"
            let data: (String, String)
            switch Int.random(in: 0..<14, using: &rng) {
            case 0: data = ("post", #"{"post":"\#(content)"}"#)
            case 1: data = ("reply", #"{"reply":"\#(content)","post":"c\#(Int.random(in: 0..<12, using: &rng))"}"#)
            case 2, 3: data = ("vote", #"{"target":"\#(content)","value":\#([1, 1, -1, 0].randomElement(using: &rng)!)}"#)
            case 4: data = ("quiz_published", #"{"quiz":"q\#(Int.random(in: 0..<2, using: &rng))","answers":{"a":"X","b":"Y"},"closes":"2026-03-10T00:00:00Z"}"#)
            case 5: data = ("quiz_answer", #"{"quiz":"q\#(Int.random(in: 0..<2, using: &rng))","question":"\#(["a", "b", "z"].randomElement(using: &rng)!)","answer":"\#(["X", "Y"].randomElement(using: &rng)!)"}"#)
            case 6: data = ("points_award", #"{"member":"\#(members.randomElement(using: &rng)!)","points":\#([2, 10, 5, -3].randomElement(using: &rng)!),"reason":"\#(reasons.randomElement(using: &rng)!)","ref":"e\#(Int.random(in: 0..<count, using: &rng))"}"#)
            case 7: data = ("points_redeemed", #"{"points":\#(Int.random(in: 1...8, using: &rng)),"reward":"mug"}"#)
            case 8: data = ("complaint", #"{"complaint":"k\#(Int.random(in: 0..<5, using: &rng))","severity":"high"}"#)
            case 9: data = ("complaint_response", #"{"complaint":"k\#(Int.random(in: 0..<5, using: &rng))"}"#)
            case 10: data = ("resolution", #"{"complaint":"k\#(Int.random(in: 0..<5, using: &rng))","outcome":"resolved","satisfaction":4}"#)
            case 11: data = ("action_opened", #"{"action":"a\#(Int.random(in: 0..<4, using: &rng))","title":"fix","owner":"\#(actor)","due":"2026-03-0\#(Int.random(in: 1...9, using: &rng))","complaints":["k1","k2"]}"#)
            case 12: data = ("action_updated", #"{"action":"a\#(Int.random(in: 0..<4, using: &rng))","status":"\#(ActionStatus.allCases.randomElement(using: &rng)!.rawValue)","owner":"o\#(index)"}"#)
            default: data = ("member_joined", #"{"channel":"forum"}"#)
            }
            lines.append(line(data.0, actor, time, data.1, id: "e\(index)"))
        }
        return lines
    }
}

/// A second rule set, different in every file.
let generousRules: Rules = {
    var rules = Rules.builtIn
    rules.engagement.dailyCap = 7
    rules.engagement.upvoteReceived = 4
    rules.incentives.reasons["manual"]?.points = 5
    rules.service.firstResponseHours[.high] = 200
    return rules
}()

/// Appends `lines` one by one; returns those the ledger accepted.
func appendEach(_ lines: [String], to ledger: Ledger) throws -> [String] {
    try lines.filter { text in
        do {
            try ledger.append(try event(text))
            return true
        } catch LedgerError.refused {
            return false
        }
    }
}

@Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
func storedProjectionsEqualAReplayAppendedOneByOneOrImported(seed: UInt64) throws {
    let history = RandomHistory.lines(seed: seed, count: 300)
    for rules in [Rules.builtIn, generousRules] {
        let incremental = try TemporaryLedger(storedRules: rules)
        let accepted = try appendEach(history, to: incremental.ledger)
        #expect(accepted.count > 120)
        // Imported in two files: the second reads what the first stored (see `WrittenKeys`).
        let batch = try TemporaryLedger(storedRules: rules)
        let half = accepted.count / 2
        #expect(try batch.importLines(accepted[..<half].joined(separator: "\n")).appended == half)
        #expect(try batch.importLines(accepted[half...].joined(separator: "\n")).appended == accepted.count - half)

        let expected = try Reports.replayed(batch.ledger, rules: rules)
        #expect(expected.findings.count > 10 && expected.complaints.count > 2 && expected.actions.count > 1)
        #expect(expected.periodScores.allSatisfy { $0 != expected.scores && $0.contains { $0.score != 0 } })
        #expect(expected.firstDayTierChanges.map(\.change) == expected.histories.joined().filter { $0.time.day == 20_509 }.sorted { $0.seq < $1.seq })
        #expect(try Reports.replayed(incremental.ledger, rules: rules) == expected)
        #expect(try Reports.stored(incremental.ledger, rules: rules) == expected)
        #expect(try Reports.stored(batch.ledger, rules: rules) == expected)
        #expect(try incremental.ledger.verifyProjections() == .ok && batch.ledger.verifyProjections() == .ok)
        // One transaction that writes early every 17 events, as long imports do every 100,000:
        // later events read back what was written (through `WrittenKeys`).
        let chunked = try TemporaryLedger(storedRules: rules)
        try chunked.ledger.write { txn in
            let session = try AppendSession(schema: chunked.ledger.schema, txn, storedRules: rules, expectedEvents: accepted.count)
            for (index, text) in accepted.enumerated() {
                if index % 17 == 16 { try session.flush(txn) }
                _ = try session.append(try event(text), txn)
            }
            try session.finish(txn)
        }
        #expect(try Reports.stored(chunked.ledger, rules: rules) == expected)
        #expect(try chunked.ledger.verifyProjections() == .ok && chunked.ledger.verify().ok)
        // Against the stored base (rules as stored) and replaying both (the base swapped): mirror images.
        let forward = try batch.ledger.diff(rules: rules == .builtIn ? generousRules : .builtIn, base: rules)
        let backward = try batch.ledger.diff(rules: rules, base: rules == .builtIn ? generousRules : .builtIn)
        #expect(!forward.isEmpty)
        #expect(forward == backward.map { DiffRow(member: $0.member, scoreBefore: $0.scoreAfter, scoreAfter: $0.scoreBefore,
                                                   tierBefore: $0.tierAfter, tierAfter: $0.tierBefore) })
        for scope in [RebuildScope.projections, .everything] {
            try incremental.ledger.rebuild(scope)
            #expect(try Reports.stored(incremental.ledger, rules: rules) == expected)
            #expect(try incremental.ledger.verify().ok)
        }
        #expect(try incremental.events().map(\.event) == batch.events().map(\.event))
        for actor in ["m1", "m4"] {
            var query = EventQuery()
            query.actor = actor
            var left: [UInt64] = [], right: [UInt64] = []
            try incremental.ledger.query(query) { left.append($0.seq) }
            try batch.ledger.query(query) { right.append($0.seq) }
            #expect(left == right)
        }
    }
}

/// A long import writes its index batch and its projections when each holds too much, at
/// different times: a projector that has written its state reads the registry (who wrote a
/// post) back from the tables, so the registry's changes must be there by then.
@Test(arguments: [
    AppendSession.MemoryLimits(checkInterval: 5, indexEntries: 1_000_000, projectionEntries: 30),
    AppendSession.MemoryLimits(checkInterval: 3, indexEntries: 40, projectionEntries: 1_000_000),
    AppendSession.MemoryLimits(checkInterval: 7, indexEntries: 100, projectionEntries: 60),
])
func longImportsThatWriteAsTheyGoStoreWhatAReplayComputes(limits: AppendSession.MemoryLimits) throws {
    let history = RandomHistory.lines(seed: 21, count: 400)
    let reference = try TemporaryLedger()
    let accepted = try appendEach(history, to: reference.ledger)
    let expected = try Reports.replayed(reference.ledger, rules: .builtIn)
    let temporary = try TemporaryLedger()
    try temporary.ledger.write { txn in
        let session = try AppendSession(
            schema: temporary.ledger.schema, txn, storedRules: .builtIn, expectedEvents: accepted.count, limits: limits)
        for text in accepted { _ = try session.append(try event(text), txn) }
        try session.finish(txn)
    }
    #expect(try Reports.stored(temporary.ledger, rules: .builtIn) == expected)
    #expect(try temporary.ledger.verifyProjections() == .ok && temporary.ledger.verify().ok)
}

/// A rebuild replays in two stages until its projector holds too much, writes it early,
/// then goes on in one stage reading back what it dropped: the reader had interned ahead.
@Test(arguments: [
    (RebuildScope.projections, AppendSession.MemoryLimits(checkInterval: 7, projectionEntries: 40)),
    (RebuildScope.everything, AppendSession.MemoryLimits(checkInterval: 5, indexEntries: 50, projectionEntries: 60)),
    (RebuildScope.projections, AppendSession.MemoryLimits(checkInterval: 1, projectionEntries: 0)),
])
func rebuildsThatWriteEarlyStoreWhatAReplayComputes(scope: RebuildScope, limits: AppendSession.MemoryLimits) throws {
    let temporary = try TemporaryLedger()
    _ = try appendEach(RandomHistory.lines(seed: 23, count: 400), to: temporary.ledger)
    let expected = try Reports.replayed(temporary.ledger, rules: .builtIn)
    #expect(try temporary.ledger.rebuild(scope, limits: limits) > 150)
    #expect(try Reports.stored(temporary.ledger, rules: .builtIn) == expected)
    #expect(try temporary.ledger.verifyProjections() == .ok && temporary.ledger.verify().ok)
}

@Test func storedProjectionsCatchUpWithAnOlderBuildAndWaitForARebuildAfterARuleChange() throws {
    let history = RandomHistory.lines(seed: 11, count: 240)
    let temporary = try TemporaryLedger()
    _ = try appendEach(Array(history[0..<80]), to: temporary.ledger)

    try temporary.reopen(storedRules: nil)  // a build that does not store projections
    _ = try appendEach(Array(history[80..<160]), to: temporary.ledger)
    #expect(try !temporary.ledger.projectionsAreCurrent())
    let behind = try temporary.ledger.projection()  // replayed, since the stored state is behind
    #expect(Reports(behind) { behind.tierHistory(of: $0) } == (try Reports.replayed(temporary.ledger, rules: .builtIn)))

    try temporary.reopen(storedRules: .builtIn)  // catches up on its first write
    _ = try appendEach(Array(history[160..<200]), to: temporary.ledger)
    #expect(try Reports.stored(temporary.ledger, rules: .builtIn) == (try Reports.replayed(temporary.ledger, rules: .builtIn)))

    try temporary.reopen(storedRules: generousRules)  // new built-in rules: stale until rebuilt
    _ = try appendEach(Array(history[200...]), to: temporary.ledger)
    #expect(try !temporary.ledger.projectionsAreCurrent())
    try temporary.ledger.rebuild()
    #expect(try Reports.stored(temporary.ledger, rules: generousRules) == (try Reports.replayed(temporary.ledger, rules: generousRules)))
}

/// Rules a ledger adopts (`tally rebuild --rules DIR`) are kept by every later write, of
/// any process, until it goes back to the built-in ones; reports under either set say what
/// a replay says.
@Test func adoptedRulesAreKeptInStepByEveryLaterWrite() throws {
    let history = RandomHistory.lines(seed: 12, count: 240)
    let temporary = try TemporaryLedger()
    _ = try appendEach(Array(history[0..<80]), to: temporary.ledger)
    try temporary.ledger.rebuild(adopting: generousRules)
    #expect(try temporary.ledger.projectionRules() == generousRules)
    _ = try appendEach(Array(history[80..<160]), to: temporary.ledger)
    try temporary.reopen(storedRules: .builtIn)  // another process of the same build
    try temporary.importLines(history[160...].joined(separator: "\n"), skipInvalid: true)
    #expect(try temporary.ledger.projectionRules() == generousRules)
    #expect(try Reports.stored(temporary.ledger, rules: generousRules) == (try Reports.replayed(temporary.ledger, rules: generousRules)))
    #expect(try temporary.ledger.verifyProjections() == .ok)
    let underBuiltIn = try temporary.ledger.projection(rules: .builtIn)  // replayed
    #expect(Reports(underBuiltIn) { underBuiltIn.tierHistory(of: $0) } == (try Reports.replayed(temporary.ledger, rules: .builtIn)))

    try temporary.ledger.rebuild()  // keeps the adopted rules
    #expect(try temporary.ledger.projectionRules() == generousRules)
    #expect(try temporary.ledger.projectionsAreCurrent())
    try temporary.ledger.rebuild(adopting: .builtIn)
    #expect(try temporary.ledger.projectionRules() == .builtIn)
    #expect(try Reports.stored(temporary.ledger, rules: .builtIn) == (try Reports.replayed(temporary.ledger, rules: .builtIn)))
}

@Test func verifyingProjectionsFindsEveryKindOfDifferenceAndARebuildMendsThem() throws {
    let temporary = try TemporaryLedger()
    _ = try appendEach(RandomHistory.lines(seed: 5, count: 200), to: temporary.ledger)
    #expect(try temporary.ledger.verifyProjections() == .ok)
    let tables = temporary.ledger.schema.projection
    func firstEntry(_ table: Database) throws -> (key: [UInt8], value: [UInt8]) {
        try temporary.ledger.read { txn in
            try txn.withCursor(table) { cursor in
                let (key, value) = try #require(try cursor.first())
                return (Array(key), Array(value))
            }
        }
    }
    let day = try firstEntry(tables.days), vote = try firstEntry(tables.votes)
    let tampering: [(table: String, key: [UInt8], problem: String, change: (borrowing Transaction) throws -> Void)] = [
        ("projection.days", day.key, "stored with a value other than a replay's",
         { try $0.put(tables.days, key: day.key, value: day.value.map { $0 ^ 1 }) }),
        ("projection.votes", vote.key, "in a replay of the log, but not stored", { try $0.delete(tables.votes, key: vote.key) }),
        ("projection.members", [0x00], "stored, but not in a replay of the log", { try $0.put(tables.members, key: [0x00], value: [1]) }),
    ]
    for tamper in tampering {
        try temporary.ledger.write { try tamper.change($0) }
        #expect(try temporary.ledger.verifyProjections() == .differs(table: tamper.table, key: Hex.encode(tamper.key), problem: tamper.problem))
        #expect(try temporary.ledger.verify().ok)  // the log and its indexes are untouched
        try temporary.ledger.rebuild()
        #expect(try temporary.ledger.verifyProjections() == .ok)
    }
    try temporary.reopen(storedRules: generousRules)  // other built-in rules: not kept in step
    #expect(try temporary.ledger.verifyProjections() == .stale)
}

@Test func daysBeforeNineteenSeventyAreStoredInKeyOrder() throws {
    // A day's key is its Int64, big-endian, so 1969's days sort after 2026's: the flush must
    // write them in that order (appends into empty tables fail on any key out of order).
    let lines = [
        line("post", "ann", "1969-12-31T23:00:00Z", #"{"post":"old"}"#),
        line("post", "ann", "2026-03-01T08:00:00Z", #"{"post":"new"}"#),
        line("post", "bob", "1900-01-01T00:00:00Z", #"{"post":"older"}"#),
        line("vote", "bob", "1969-06-01T00:00:00Z", #"{"target":"old","value":1}"#),
        line("vote", "ann", "1970-01-01T00:00:00Z", #"{"target":"older","value":-1}"#),
    ]
    let imported = try TemporaryLedger(), appended = try TemporaryLedger()
    try imported.importLines(lines.joined(separator: "\n"))
    _ = try appendEach(lines, to: appended.ledger)
    for temporary in [imported, appended] {
        let ledger: Ledger = temporary.ledger
        #expect(try ledger.verifyProjections() == .ok)
        #expect(try Reports.stored(ledger, rules: .builtIn) == (try Reports.replayed(ledger, rules: .builtIn)))
    }
}

/// A report on one member replays only the events that bear on it: for every member, at the
/// head and back in time, under both rule sets, `explain`, its score, tier history and audit
/// say what a replay of the whole log says.
@Test(arguments: [31, 32, 33] as [UInt64])
func reportsOnOneMemberFromItsEventsEqualTheFullReplay(seed: UInt64) throws {
    let temporary = try TemporaryLedger()
    let accepted = try appendEach(RandomHistory.lines(seed: seed, count: 600, members: 24), to: temporary.ledger)
    func rendered(_ explanation: Explanation?) -> [UInt8]? {
        explanation.map { explanation in
            let writer = JSONWriter()
            explanation.write(to: writer)
            return writer.bytes
        }
    }
    let members = (0..<24).map { "m\($0)" } + ["会员-😀", "nobody"]
    for rules in [Rules.builtIn, generousRules] {
        for atSeq in [nil, UInt64(accepted.count / 3)] {
            var explained = 0
            for member in members {
                let full = try temporary.replayTracing(member, rules: rules, atSeq: atSeq)
                let alone = try temporary.ledger.memberProjection(member, rules: rules, atSeq: atSeq)
                #expect(rendered(alone.explanation()) == rendered(full.explanation()), "\(member)")
                #expect(alone.score(of: member) == full.score(of: member), "\(member)")
                #expect(alone.tierHistory(of: member) == full.tierHistory(of: member), "\(member)")
                #expect(alone.audit(member: member) == full.audit(member: member), "\(member)")
                #expect(alone.scores(days: 20_510...20_510).filter { $0.member == member } == full.scores(days: 20_510...20_510).filter { $0.member == member }, "\(member)")
                if full.explanation() != nil { explained += 1 }
            }
            #expect(explained > 20)
        }
    }
}
