import Testing
@testable import TallyCore

/// Builds NDJSON lines tersely: `line("vote", "bob", "2026-03-01T10:00:00Z", #"{"target":"p1","value":1}"#)`.
func line(_ type: String, _ actor: String, _ time: String, _ data: String, id: String? = nil) -> String {
    let idField = id.map { #""id":"\#($0)","# } ?? ""
    return #"{\#(idField)"type":"\#(type)","actor":"\#(actor)","time":"\#(time)","data":\#(data)}"#
}

/// A ledger holding `lines`, and its projection under `rules`, as replayed from the log.
///
/// Without `atSeq`, it also checks that the stored projections agree with the replay,
/// both when the lines are imported at once and when they are appended one by one.
func project(_ lines: [String], rules: Rules = .builtIn, atSeq: UInt64? = nil) throws -> Projector {
    let imported = try TemporaryLedger(storedRules: rules)
    try imported.importLines(lines.joined(separator: "\n"))
    let replayed = try imported.ledger.replay(rules: [rules], atSeq: atSeq)[0]
    guard atSeq == nil else { return replayed }
    let appended = try TemporaryLedger(storedRules: rules)
    for text in lines { try appended.ledger.append(try event(text)) }
    let expected = try Reports.replayed(imported.ledger, rules: rules)
    #expect(try Reports.stored(imported.ledger, rules: rules) == expected)
    #expect(try Reports.stored(appended.ledger, rules: rules) == expected)
    return replayed
}

func scoreOf(_ projector: Projector, _ member: String) -> Int64? { projector.score(of: member)?.score }

@Test func votesCountOnlyTheLatestAndIgnoreSelfAndUnknownTargets() throws {
    let p = try project([
        line("vote", "carol", "2026-03-01T08:00:00Z", #"{"target":"p1","value":1}"#),  // unknown when appended
        line("post", "alice", "2026-03-01T09:00:00Z", #"{"post":"p1"}"#),                // alice +10
        line("vote", "alice", "2026-03-01T09:05:00Z", #"{"target":"p1","value":1}"#),  // self-vote: ignored
        line("vote", "bob", "2026-03-01T10:00:00Z", #"{"target":"p1","value":1}"#),    // replaced below
        line("vote", "bob", "2026-03-02T10:00:00Z", #"{"target":"p1","value":-1}"#),   // bob +1, alice -1 on 03-02
        line("vote", "dan", "2026-03-02T11:00:00Z", #"{"target":"p1","value":1}"#),    // retracted below
        line("vote", "dan", "2026-03-02T12:00:00Z", #"{"target":"p1","value":0}"#),
        line("vote", "bob", "2026-03-02T13:00:00Z", #"{"target":"nope","value":1}"#),  // unknown target
    ])
    #expect(scoreOf(p, "alice") == 9)  // 10 for the post, -1 for the downvote
    #expect(scoreOf(p, "bob") == 1)
    #expect(scoreOf(p, "carol") == 0)
    #expect(scoreOf(p, "dan") == 0)
}

@Test func aReplyToContentUnknownWhenAppendedEarnsNothing() throws {
    let p = try project([
        line("reply", "bob", "2026-03-01T08:00:00Z", #"{"reply":"r1","post":"p1"}"#),    // p1 unknown yet: nothing
        line("post", "alice", "2026-03-01T09:00:00Z", #"{"post":"p1"}"#),               // alice +10
        line("reply", "carol", "2026-03-01T10:00:00Z", #"{"reply":"r2","post":"r1"}"#),  // r1 is known: carol +5
        line("reply", "dan", "2026-03-01T11:00:00Z", #"{"reply":"r3","post":"r3"}"#),    // names itself: nothing
        line("vote", "alice", "2026-03-01T12:00:00Z", #"{"target":"r1","value":1}"#),  // alice +1, bob +2
    ])
    #expect(scoreOf(p, "alice") == 11)
    #expect(scoreOf(p, "bob") == 2)
    #expect(scoreOf(p, "carol") == 5)
    #expect(scoreOf(p, "dan") == 0)
}

@Test func dailyCapLimitsPositiveCreditButNotNegative() throws {
    var lines: [String] = []
    for index in 0..<25 { lines.append(line("post", "alice", "2026-03-01T10:00:\(10 + index)Z", #"{"post":"p\#(index)"}"#)) }  // 250 positive
    for voter in ["v1", "v2", "v3"] { lines.append(line("vote", voter, "2026-03-01T12:00:00Z", #"{"target":"p0","value":-1}"#)) }
    lines.append(line("post", "alice", "2026-03-02T00:00:00Z", #"{"post":"next-day"}"#))
    let p = try project(lines)
    #expect(scoreOf(p, "alice") == 207)  // min(200, 250) - 3, then 10 the next day
}

@Test func daysAreUTCEvenForOffsetTimes() throws {
    // 2026-03-02T07:30+08:00 is 03-01 23:30 UTC; 2026-03-02T08:30+08:00 is 03-02 00:30 UTC.
    var rules = Rules.builtIn
    rules.engagement.dailyCap = 15
    let p = try project([
        line("post", "alice", "2026-03-02T07:30:00+08:00", #"{"post":"a"}"#),
        line("reply", "alice", "2026-03-01T23:59:59.999Z", #"{"reply":"b","post":"a"}"#),  // same UTC day: 15, at the cap
        line("post", "alice", "2026-03-02T08:30:00+08:00", #"{"post":"c"}"#),              // next UTC day: 10
    ], rules: rules)
    #expect(scoreOf(p, "alice") == 25)
}

@Test func quizAnswersCountOnceBeforeCloseAndOnlyForKnownQuestions() throws {
    let p = try project([
        line("quiz_answer", "early", "2026-03-01T00:00:00Z", #"{"quiz":"q","question":"q1","answer":"A"}"#),  // before publication
        line("quiz_published", "staff", "2026-03-01T01:00:00Z", #"{"quiz":"q","answers":{"q1":"A","q2":"B"},"closes":"2026-03-05T00:00:00Z"}"#),
        line("quiz_answer", "early", "2026-03-01T02:00:00Z", #"{"quiz":"q","question":"q1","answer":"A"}"#),  // not the first
        line("quiz_answer", "ann", "2026-03-01T02:00:00Z", #"{"quiz":"q","question":"q1","answer":"C"}"#),    // wrong, counted
        line("quiz_answer", "ann", "2026-03-01T02:01:00Z", #"{"quiz":"q","question":"q1","answer":"A"}"#),    // not the first
        line("quiz_answer", "ann", "2026-03-05T00:00:00Z", #"{"quiz":"q","question":"q2","answer":"B"}"#),    // exactly at close: +3
        line("quiz_answer", "ben", "2026-03-05T00:00:00.001Z", #"{"quiz":"q","question":"q2","answer":"B"}"#), // 1 ms late
        line("quiz_answer", "ben", "2026-03-02T00:00:00Z", #"{"quiz":"q","question":"q9","answer":"B"}"#),    // unknown question
        line("quiz_answer", "cat", "2026-03-02T00:00:00Z", #"{"quiz":"q","question":"q1","answer":"a"}"#),    // exact string only
    ])
    #expect(scoreOf(p, "early") == 0)
    #expect(scoreOf(p, "ann") == 3)
    #expect(scoreOf(p, "ben") == 0)
    #expect(scoreOf(p, "cat") == 0)
}

@Test func tierHistoryGoesUpAndBackDown() throws {
    var rules = Rules.builtIn
    rules.engagement.tiers = [.init(name: "member", threshold: 0), .init(name: "bronze", threshold: 11)]
    let p = try project([
        line("post", "alice", "2026-03-01T09:00:00Z", #"{"post":"p1"}"#),                // 10: member
        line("vote", "bob", "2026-03-01T10:00:00Z", #"{"target":"p1","value":1}"#),    // 12: bronze (seq 2)
        line("vote", "bob", "2026-03-01T11:00:00Z", #"{"target":"p1","value":-1}"#),   // 9: member (seq 3)
    ], rules: rules)
    let history = p.tierHistory(of: "alice")
    #expect(history.map(\.seq) == [2, 3])
    #expect(history.map(\.from) == ["member", "bronze"])
    #expect(history.map(\.to) == ["bronze", "member"])
    #expect(history[0].time.rfc3339 == "2026-03-01T10:00:00.000Z")
    #expect(p.tierDistribution().map(\.count) == [2, 0])
}

/// With a tier below 0, a member's tier at score 0 is not the lowest: it starts in the lowest
/// and, after its first event, is in the tier of its score, whatever that event was.
@Test func aMemberMovesFromTheLowestTierToThatOfItsScoreAfterItsFirstEvent() throws {
    var rules = Rules.builtIn
    rules.engagement.tiers = [.init(name: "probation", threshold: -5), .init(name: "member", threshold: 0), .init(name: "bronze", threshold: 10)]
    let p = try project([
        line("member_joined", "carol", "2026-03-01T08:00:00Z", #"{}"#),                                 // carol: 0, member (seq 1)
        line("post", "alice", "2026-03-01T09:00:00Z", #"{"post":"p1"}"#),                               // alice: 10, bronze at once (seq 2)
        line("points_award", "staff", "2026-03-01T10:00:00Z", #"{"member":"dan","points":5,"reason":"manual"}"#),  // staff and dan: member (seq 3)
    ], rules: rules)
    #expect(p.tierHistory(of: "carol").map { [$0.from, $0.to] } == [["probation", "member"]])
    #expect(p.tierHistory(of: "carol").map(\.seq) == [1])
    #expect(p.tierHistory(of: "alice").map { [$0.from, $0.to] } == [["probation", "bronze"]])  // one entry per event
    #expect(p.tierHistory(of: "dan").map(\.seq) == [3] && p.tierHistory(of: "staff").map(\.seq) == [3])
    #expect(p.scores().map(\.tier) == ["bronze", "member", "member", "member"])
    #expect(p.tierDistribution().map(\.count) == [0, 3, 1])
}

@Test func timeTravelShowsTheStateAtASeq() throws {
    let lines = [
        line("post", "alice", "2026-03-01T09:00:00Z", #"{"post":"p1"}"#),
        line("reply", "alice", "2026-03-01T09:01:00Z", #"{"reply":"r1","post":"p1"}"#),
    ]
    #expect(scoreOf(try project(lines, atSeq: 1), "alice") == 10)
    #expect(scoreOf(try project(lines, atSeq: 2), "alice") == 15)
    #expect(try project(lines, atSeq: 0).scores().isEmpty)
}

@Test func auditReportsTheFirstFindingAndSelfAwards() throws {
    let p = try project([
        line("post", "alice", "2026-03-01T09:00:00Z", #"{"post":"p1"}"#, id: "post-1"),
        line("quiz_published", "staff", "2026-03-01T09:00:00Z", #"{"quiz":"q","answers":{"q1":"A"}}"#, id: "quiz"),
        line("quiz_answer", "bob", "2026-03-01T09:10:00Z", #"{"quiz":"q","question":"q1","answer":"B"}"#, id: "wrong"),
        line("quiz_answer", "alice", "2026-03-01T09:10:00Z", #"{"quiz":"q","question":"q1","answer":"A"}"#, id: "right"),
        line("complaint", "bob", "2026-03-01T09:00:00Z", #"{"complaint":"c1","severity":"low"}"#, id: "c1"),
        line("resolution", "staff", "2026-03-01T10:00:00Z", #"{"complaint":"c1","outcome":"resolved"}"#, id: "res-1"),
        line("points_award", "staff", "2026-03-01T11:00:00Z", #"{"member":"alice","points":2,"reason":"post","ref":"post-1"}"#),       // 7 ok
        line("points_award", "staff", "2026-03-01T11:00:00Z", #"{"member":"alice","points":2,"reason":"post","ref":"post-1"}"#),       // 8 duplicate
        line("points_award", "staff", "2026-03-01T11:00:00Z", #"{"member":"alice","points":5,"reason":"birthday"}"#),                  // 9 unknown_reason
        line("points_award", "staff", "2026-03-01T11:00:00Z", #"{"member":"alice","points":10,"reason":"quiz_correct"}"#),             // 10 missing_ref
        line("points_award", "staff", "2026-03-01T11:00:00Z", #"{"member":"alice","points":10,"reason":"quiz_correct","ref":"later"}"#), // 11 missing_ref (later)
        line("points_award", "staff", "2026-03-01T11:00:00Z", #"{"member":"bob","points":2,"reason":"post","ref":"post-1"}"#),         // 12 ref_mismatch (not bob's)
        line("points_award", "staff", "2026-03-01T11:00:00Z", #"{"member":"alice","points":10,"reason":"quiz_correct","ref":"post-1"}"#), // 13 ref_mismatch (type)
        line("points_award", "staff", "2026-03-01T11:00:00Z", #"{"member":"bob","points":10,"reason":"quiz_correct","ref":"wrong"}"#),  // 14 not_qualifying
        line("points_award", "staff", "2026-03-01T11:00:00Z", #"{"member":"bob","points":5,"reason":"feedback","ref":"res-1"}"#),      // 15 not_qualifying
        line("points_award", "staff", "2026-03-01T11:00:00Z", #"{"member":"alice","points":15,"reason":"quiz_correct","ref":"right"}"#), // 16 amount_mismatch
        line("points_award", "alice", "2026-03-01T11:00:00Z", #"{"member":"alice","points":50,"reason":"manual"}"#),                   // 17 self_award
        line("points_award", "bob", "2026-03-01T11:00:00Z", #"{"member":"bob","points":3,"reason":"gift"}"#),                          // 18 both
        line("post", "alice", "2026-03-01T12:00:00Z", #"{"post":"p2"}"#, id: "later"),
    ])
    let audit = p.audit()
    #expect(audit.awards == 12)
    #expect(audit.flagged == 11)
    let expected: [(UInt64, AuditFinding.Kind)] = [
        (8, .duplicate), (9, .unknownReason), (10, .missingRef), (11, .missingRef), (12, .refMismatch), (13, .refMismatch),
        (14, .notQualifying), (15, .notQualifying), (16, .amountMismatch), (17, .selfAward), (18, .selfAward), (18, .unknownReason),
    ]
    #expect(audit.findings.map(\.seq) == expected.map(\.0))
    #expect(audit.findings.map(\.finding) == expected.map(\.1))
    #expect(p.audit(member: "bob").awards == 4)
    #expect(p.score(of: "alice")?.points == 104)  // 2 + 2 + 5 + 10 + 10 + 10 + 15 + 50
}

@Test func complaintSLAIsBreachedOnlyPastTheLimit() throws {
    let p = try project([
        line("complaint", "m1", "2026-03-01T00:00:00Z", #"{"complaint":"at-limit","severity":"high"}"#),
        line("complaint_response", "s", "2026-03-01T04:00:00Z", #"{"complaint":"at-limit"}"#),               // exactly 4 h
        line("resolution", "s", "2026-03-04T00:00:00Z", #"{"complaint":"at-limit","outcome":"resolved","satisfaction":5}"#),  // exactly 72 h
        line("complaint", "m2", "2026-03-01T00:00:00Z", #"{"complaint":"late","severity":"high"}"#),
        line("complaint_response", "s", "2026-03-01T04:00:00.001Z", #"{"complaint":"late"}"#),
        line("resolution", "s", "2026-03-04T00:00:00.001Z", #"{"complaint":"late","outcome":"rejected"}"#),
        line("complaint", "m3", "2026-03-01T00:00:00Z", #"{"complaint":"waiting","severity":"critical"}"#),
    ])
    let rows = Dictionary(uniqueKeysWithValues: p.complaintRows(now: Timestamp(rfc3339: "2026-03-01T01:00:00Z")!).map { ($0.complaint, $0) })
    #expect(rows["at-limit"]?.responseBreached == false)
    #expect(rows["at-limit"]?.resolutionBreached == false)
    #expect(rows["at-limit"]?.status == "resolved")
    #expect(rows["at-limit"]?.satisfaction == 5)
    #expect(rows["late"]?.responseBreached == true)
    #expect(rows["late"]?.resolutionBreached == true)
    #expect(rows["late"]?.status == "rejected")
    #expect(rows["waiting"]?.status == "open")
    #expect(rows["waiting"]?.responseBreached == false)  // exactly 1 h at now
    let later = p.complaintRows(now: Timestamp(rfc3339: "2026-03-01T01:00:00.001Z")!).first { $0.complaint == "waiting" }
    #expect(later?.responseBreached == true)
    #expect(later?.resolutionBreached == false)
    #expect(p.complaintRows(now: .now()).map(\.complaint) == ["at-limit", "late", "waiting"])
}

/// The SLA figures per severity, by hand. High (limits 4 h and 72 h): h1 answered after 1 h
/// and resolved after 10 h (satisfaction 4), h2 after 5 h and 80 h (both breached), h3
/// resolved outright after 2.5 h (satisfaction 5), h4 still open at now, 24 h on (its first
/// response breached). Critical: k1 answered after 20 minutes (0.33 h), open at its 24 h
/// resolution limit, so not breached. Medians and 90th percentiles are nearest-rank: of
/// the spans 1, 2.5 and 5 h the 2nd and the 3rd.
@Test func slaSummaryGivesBreachesAndNearestRankSpansPerSeverity() throws {
    let p = try project([
        line("complaint", "m1", "2026-03-01T00:00:00Z", #"{"complaint":"h1","severity":"high"}"#),
        line("complaint", "m2", "2026-03-01T00:00:00Z", #"{"complaint":"h2","severity":"high"}"#),
        line("complaint", "m3", "2026-03-01T00:00:00Z", #"{"complaint":"h3","severity":"high"}"#),
        line("complaint", "m4", "2026-03-01T00:00:00Z", #"{"complaint":"h4","severity":"high"}"#),
        line("complaint", "m5", "2026-03-01T00:00:00Z", #"{"complaint":"k1","severity":"critical"}"#),
        line("complaint_response", "s", "2026-03-01T00:20:00Z", #"{"complaint":"k1"}"#),
        line("complaint_response", "s", "2026-03-01T01:00:00Z", #"{"complaint":"h1"}"#),
        line("resolution", "s", "2026-03-01T02:30:00Z", #"{"complaint":"h3","outcome":"resolved","satisfaction":5}"#),
        line("complaint_response", "s", "2026-03-01T05:00:00Z", #"{"complaint":"h2"}"#),
        line("resolution", "s", "2026-03-01T10:00:00Z", #"{"complaint":"h1","outcome":"resolved","satisfaction":4}"#),
        line("resolution", "s", "2026-03-04T08:00:00Z", #"{"complaint":"h2","outcome":"rejected"}"#),
    ])
    let lines = SLASummary.bySeverity(p.complaintRows(now: Timestamp(rfc3339: "2026-03-02T00:00:00Z")!), rules: p.rules.service)
    func hours(_ hundredths: Int64) -> Hundredths { Hundredths(hundredths, over: 100) }
    #expect(lines.map { $0.severity?.rawValue ?? "all" } == ["critical", "high", "medium", "low", "all"])
    #expect(lines[0] == SLASummary(severity: .critical, firstResponseLimitHours: 1, resolutionLimitHours: 24, complaints: 1, answered: 1,
                                   responseBreached: 0, responseMedianHours: hours(33), responseP90Hours: hours(33), closed: 0,
                                   resolutionBreached: 0, resolutionMedianHours: nil, resolutionP90Hours: nil, rated: 0, satisfactionMean: nil))
    #expect(lines[1] == SLASummary(severity: .high, firstResponseLimitHours: 4, resolutionLimitHours: 72, complaints: 4, answered: 3,
                                   responseBreached: 2, responseMedianHours: hours(250), responseP90Hours: hours(500), closed: 3,
                                   resolutionBreached: 1, resolutionMedianHours: hours(1000), resolutionP90Hours: hours(8000), rated: 2,
                                   satisfactionMean: hours(450)))
    #expect(lines[2].complaints == 0 && lines[2].responseMedianHours == nil && lines[2].firstResponseLimitHours == 24)
    // All five: the spans to a first response are 0.33, 1, 2.5 and 5 h (the 2nd and the 4th).
    #expect(lines[4] == SLASummary(severity: nil, firstResponseLimitHours: nil, resolutionLimitHours: nil, complaints: 5, answered: 4,
                                   responseBreached: 2, responseMedianHours: hours(100), responseP90Hours: hours(500), closed: 3,
                                   resolutionBreached: 1, resolutionMedianHours: hours(1000), resolutionP90Hours: hours(8000), rated: 2,
                                   satisfactionMean: hours(450)))
}

/// Hundredths round halves away from zero and print without trailing zeros.
@Test func hundredthsRoundAndPrintLikeDecimals() {
    #expect(Hundredths(1, over: 3).description == "0.33")
    #expect(Hundredths(2, over: 3).description == "0.67")
    #expect(Hundredths(1, over: 200).description == "0.01")
    #expect(Hundredths(-1, over: 200).description == "-0.01")
    #expect(Hundredths(-21, over: 20).description == "-1.05")
    #expect(Hundredths(5, over: 2).description == "2.5")
    #expect(Hundredths(12, over: 1).description == "12")
    #expect(Hundredths(0, over: 7).description == "0")
    #expect(Hundredths(hoursFromMilliseconds: 20 * 60_000).description == "0.33")
}

@Test func actionsAreOverdueFromTheMidnightAfterDue() throws {
    let p = try project([
        line("action_opened", "s", "2026-03-01T00:00:00Z", #"{"action":"a1","title":"t","owner":"o1","due":"2026-03-10","complaints":["c1"]}"#),
        line("action_opened", "s", "2026-03-01T00:00:00Z", #"{"action":"a2","title":"t","owner":"o1","due":"2026-03-10"}"#),
        line("action_updated", "s", "2026-03-02T00:00:00Z", #"{"action":"a1","status":"blocked","owner":"o2"}"#),
        line("action_updated", "s", "2026-03-02T00:00:00Z", #"{"action":"a2","status":"done"}"#),
    ])
    let before = p.actionRows(now: Timestamp(rfc3339: "2026-03-10T23:59:59.999Z")!)
    let after = p.actionRows(now: Timestamp(rfc3339: "2026-03-11T00:00:00Z")!)
    #expect(before.map(\.overdue) == [false, false])
    #expect(after.map(\.overdue) == [true, false])
    #expect(after[0].owner == "o2")
    #expect(after[0].status == .blocked)
    #expect(after[0].complaints == ["c1"])
    #expect(after[1].complaints == [])
}

@Test func diffListsOnlyMembersWhoseScoreOrTierChanges() throws {
    let temporary = try TemporaryLedger()
    try temporary.importLines([
        line("post", "alice", "2026-03-01T09:00:00Z", #"{"post":"p1"}"#),
        line("vote", "bob", "2026-03-01T10:00:00Z", #"{"target":"p1","value":1}"#),
        line("member_joined", "carol", "2026-03-01T10:00:00Z", #"{}"#),
    ].joined(separator: "\n"))
    var heavier = Rules.builtIn
    heavier.engagement.upvoteReceived = 95
    heavier.engagement.name = "heavier"
    let rows = try temporary.ledger.diff(rules: heavier)
    #expect(rows == [DiffRow(member: "alice", scoreBefore: 12, scoreAfter: 105, tierBefore: "member", tierAfter: "bronze")])
    // Renamed tiers change everyone's tier, carol's too, though no event of hers credits anyone.
    var renamed = Rules.builtIn
    renamed.engagement.tiers = [.init(name: "newbie", threshold: 0), .init(name: "regular", threshold: 100)]
    #expect(try temporary.ledger.diff(rules: renamed).map(\.member) == ["alice", "bob", "carol"])
    let carol = DiffRow(member: "carol", scoreBefore: 0, scoreAfter: 0, tierBefore: "member", tierAfter: "newbie")
    #expect(try temporary.ledger.diff(rules: renamed).last == carol)
    // Both rule sets replayed: against another base, and as of seq 3 once it is not the head.
    #expect(try temporary.ledger.diff(rules: renamed, base: heavier).last == carol)
    try temporary.importLines(line("post", "alice", "2026-03-02T09:00:00Z", #"{"post":"p2"}"#))
    #expect(try temporary.ledger.diff(rules: renamed, atSeq: 3).last == carol)
}

@Test func explainListsCreditsWithTheCapAndAwardsWithVerdicts() throws {
    var rules = Rules.builtIn
    rules.engagement.dailyCap = 12
    let temporary = try TemporaryLedger()
    try temporary.importLines([
        line("post", "alice", "2026-03-01T09:00:00Z", #"{"post":"p1"}"#, id: "e1"),
        line("reply", "alice", "2026-03-01T09:30:00Z", #"{"reply":"r1","post":"p1"}"#),
        line("points_award", "staff", "2026-03-01T10:00:00Z", #"{"member":"alice","points":3,"reason":"post","ref":"e1"}"#),
        line("points_redeemed", "alice", "2026-03-01T11:00:00Z", #"{"points":1,"reward":"mug"}"#),
    ].joined(separator: "\n"))
    let explanation = try #require(try temporary.ledger.explain("alice", rules: rules))
    #expect(explanation.score == 12)
    #expect(explanation.points == 2)
    #expect(explanation.credits.map(\.counted) == [10, 2])
    #expect(explanation.days.map(\.capCut) == [3])
    #expect(explanation.awards.map(\.findings) == [[.amountMismatch]])
    #expect(explanation.redemptions.map(\.points) == [1])
}

/// `explain` says why each of a member's replies, votes and answers, and each vote on its
/// content, earned nothing; a retraction that a later vote replaces is `superseded`.
@Test func explainSaysWhyEventsEarnedNothing() throws {
    let temporary = try TemporaryLedger()
    try temporary.importLines([
        line("vote", "bob", "2026-03-01T08:00:00Z", #"{"target":"p1","value":1}"#),                // 1 unknown_target
        line("post", "alice", "2026-03-01T09:00:00Z", #"{"post":"p1"}"#),
        line("vote", "alice", "2026-03-01T09:05:00Z", #"{"target":"p1","value":1}"#),              // 3 self_vote
        line("vote", "bob", "2026-03-01T10:00:00Z", #"{"target":"p1","value":1}"#),                // 4 superseded by 5
        line("vote", "bob", "2026-03-01T10:01:00Z", #"{"target":"p1","value":0}"#),                // 5 superseded by 6
        line("vote", "bob", "2026-03-01T10:02:00Z", #"{"target":"p1","value":0}"#),                // 6 retracted
        line("reply", "bob", "2026-03-01T11:00:00Z", #"{"reply":"r1","post":"nowhere"}"#),         // 7 reply_to_unknown
        line("quiz_answer", "bob", "2026-03-01T11:30:00Z", #"{"quiz":"q","question":"a","answer":"x"}"#),  // 8 unknown_quiz
        line("quiz_published", "staff", "2026-03-01T12:00:00Z", #"{"quiz":"q","answers":{"a":"x","b":"y","c":"z"},"closes":"2026-03-02T00:00:00Z"}"#),
        line("quiz_answer", "bob", "2026-03-01T12:30:00Z", #"{"quiz":"q","question":"a","answer":"x"}"#),  // 10 not_first_answer, by 8
        line("quiz_answer", "bob", "2026-03-01T12:30:00Z", #"{"quiz":"q","question":"d","answer":"x"}"#),  // 11 unknown_question
        line("quiz_answer", "bob", "2026-03-01T12:30:00Z", #"{"quiz":"q","question":"b","answer":"Y"}"#),  // 12 incorrect
        line("quiz_answer", "bob", "2026-03-02T00:00:00.001Z", #"{"quiz":"q","question":"c","answer":"z"}"#),  // 13 after_close
    ].joined(separator: "\n"))
    let bob = try #require(try temporary.ledger.explain("bob", rules: .builtIn))
    #expect(bob.score == 0)
    #expect(bob.uncredited == [
        Uncredited(seq: 1, reason: .unknownTarget), Uncredited(seq: 4, reason: .superseded, by: 5),
        Uncredited(seq: 5, reason: .superseded, by: 6), Uncredited(seq: 6, reason: .retracted),
        Uncredited(seq: 7, reason: .replyToUnknown), Uncredited(seq: 8, reason: .unknownQuiz),
        Uncredited(seq: 10, reason: .notFirstAnswer, by: 8), Uncredited(seq: 11, reason: .unknownQuestion),
        Uncredited(seq: 12, reason: .incorrect), Uncredited(seq: 13, reason: .afterClose),
    ])
    let alice = try #require(try temporary.ledger.explain("alice", rules: .builtIn))
    #expect(alice.score == 10)
    #expect(alice.uncredited == [
        Uncredited(seq: 3, reason: .selfVote), Uncredited(seq: 4, reason: .superseded, by: 5),
        Uncredited(seq: 5, reason: .superseded, by: 6), Uncredited(seq: 6, reason: .retracted),
    ])
    #expect(try temporary.ledger.explain("alice", rules: .builtIn, atSeq: 5)?.uncredited.last == Uncredited(seq: 5, reason: .retracted))
}

/// `explain` of a member who first appears late, after thousands of others' events.
@Test func explainTracesAMemberWhoFirstAppearsLate() throws {
    let filler = (0..<5_000).map { line("post", "m0", "2026-03-01T09:00:00Z", #"{"post":"p\#($0)"}"#) }
    let late = [
        line("post", "late", "2026-03-02T09:00:00Z", #"{"post":"mine"}"#, id: "e-late"),
        line("vote", "m0", "2026-03-02T10:00:00Z", #"{"target":"mine","value":1}"#),
        line("points_award", "staff", "2026-03-02T11:00:00Z", #"{"member":"late","points":2,"reason":"post","ref":"e-late"}"#),
    ]
    let temporary = try TemporaryLedger()
    try temporary.importLines((filler + late).joined(separator: "\n"))
    let explanation = try #require(try temporary.ledger.explain("late", rules: .builtIn))
    #expect(explanation.score == 12)
    #expect(explanation.credits.map(\.amount) == [10, 2])
    #expect(explanation.awards.map(\.findings) == [[]])
    #expect(try temporary.replayTracing("late", rules: .builtIn).explanation()?.credits == explanation.credits)
}

/// Quiz answers, quiz and complaint ids, and award refs compare byte for byte (CONTRACT.md:
/// "equal to the key (exact string)"), not by Unicode canonical equivalence, under which
/// "é" (U+00E9) and "e" + U+0301 are equal `String`s.
@Test func answersAndIdsCompareByteForByteNotByCanonicalEquivalence() throws {
    let p = try project([
        line("quiz_published", "staff", "2026-03-01T08:00:00Z", #"{"quiz":"q\u00e9","answers":{"1":"caf\u00e9"}}"#),
        line("quiz_answer", "alice", "2026-03-01T09:00:00Z", #"{"quiz":"q\u00e9","question":"1","answer":"cafe\u0301"}"#),  // not the key
        line("quiz_answer", "bob", "2026-03-01T09:00:00Z", #"{"quiz":"q\u00e9","question":"1","answer":"caf\u00e9"}"#),  // +3
        line("quiz_answer", "carol", "2026-03-01T09:00:00Z", #"{"quiz":"qe\u0301","question":"1","answer":"caf\u00e9"}"#),  // no such quiz
        line("post", "dan", "2026-03-01T10:00:00Z", #"{"post":"p1"}"#, id: #"p\u00e9"#),
        line("post", "dan", "2026-03-01T10:00:00Z", #"{"post":"p2"}"#, id: #"pe\u0301"#),
        line("points_award", "staff", "2026-03-01T11:00:00Z", #"{"member":"dan","points":2,"reason":"post","ref":"p\u00e9"}"#),
        line("points_award", "staff", "2026-03-01T11:00:00Z", #"{"member":"dan","points":2,"reason":"post","ref":"pe\u0301"}"#),
        line("complaint", "erin", "2026-03-01T12:00:00Z", #"{"complaint":"c\u00e9","severity":"low"}"#),
        line("complaint", "erin", "2026-03-01T12:00:00Z", #"{"complaint":"ce\u0301","severity":"low"}"#),
        line("complaint_response", "staff", "2026-03-01T13:00:00Z", #"{"complaint":"ce\u0301"}"#),
    ])
    #expect(scoreOf(p, "alice") == 0)
    #expect(scoreOf(p, "bob") == 3)
    #expect(scoreOf(p, "carol") == 0)
    #expect(p.audit().findings.isEmpty)  // two posts, two refs: no duplicate
    let rows = p.complaintRows(now: Timestamp(rfc3339: "2026-03-01T14:00:00Z")!)
    #expect(rows.map { Array($0.complaint.utf8) } == [Array("ce\u{301}".utf8), Array("c\u{e9}".utf8)])  // by bytes: 0x65 < 0xC3
    #expect(rows.map(\.status) == ["responded", "open"])
}

/// `members`, `points` and the texts read by id tell apart what differs only in how an accent
/// is encoded: "é" as U+00E9 and as "e" + U+0301 are two members with their own roles, two
/// reasons, two complaints with their own categories, and two actions, one with a KPI.
@Test func membersAndPointsCompareNamesByteForByte() throws {
    let temporary = try TemporaryLedger()
    try temporary.importLines([
        line("member_joined", "\u{e9}", "2026-03-01T08:00:00Z", #"{"channel":"wechat","role":"member"}"#),
        line("member_joined", "e\u{301}", "2026-03-01T09:00:00Z", #"{"channel":"qq","role":"staff"}"#),
        line("member_joined", "\u{e9}", "2026-03-02T08:00:00Z", #"{"channel":"wechat","role":"ambassador"}"#),
        line("points_award", "e\u{301}", "2026-03-02T10:00:00Z", #"{"member":"ghost","points":3,"reason":"caf\u00e9"}"#),
        line("points_award", "e\u{301}", "2026-03-03T10:00:00Z", #"{"member":"ghost","points":4,"reason":"cafe\u0301"}"#),
        line("complaint", "ghost", "2026-03-04T10:00:00Z", #"{"complaint":"k\u00e9","severity":"low","category":"billing"}"#),
        line("complaint", "ghost", "2026-03-04T10:00:00Z", #"{"complaint":"ke\u0301","severity":"low","category":"delivery"}"#),
        line("action_opened", "ghost", "2026-03-04T11:00:00Z", #"{"action":"a\u00e9","title":"t","owner":"o","due":"2026-03-09","kpi":"one"}"#),
        line("action_opened", "ghost", "2026-03-04T11:00:00Z", #"{"action":"ae\u0301","title":"t","owner":"o","due":"2026-03-09"}"#),
    ].joined(separator: "\n"))
    let members = try temporary.ledger.memberActivity()
    #expect(members.map { Array($0.member.utf8) } == [Array("e\u{301}".utf8), Array("ghost".utf8), Array("\u{e9}".utf8)])
    #expect(members.map(\.events) == [3, 4, 2])
    #expect(members.map(\.role) == ["staff", nil, "ambassador"])
    #expect(members[2].channels == ["wechat"])
    #expect(members[2].firstSeen == Timestamp(rfc3339: "2026-03-01T08:00:00Z") && members[2].lastSeen == Timestamp(rfc3339: "2026-03-02T08:00:00Z"))
    #expect(try temporary.ledger.memberActivity(atSeq: 1).map(\.events) == [1])
    let roles = try temporary.ledger.memberRoles()
    #expect(roles["\u{e9}"] == "ambassador" && roles["e\u{301}"] == "staff" && roles["ghost"] == nil)
    #expect(try temporary.ledger.memberRoles(atSeq: 2)["\u{e9}"] == "member")
    let flows = try temporary.ledger.pointsFlows(flagged: [5])
    #expect(flows.reasons.map { Array($0.reason.utf8) } == [Array("cafe\u{301}".utf8), Array("caf\u{e9}".utf8)])
    #expect(flows.reasons.map(\.points) == [4, 3] && flows.reasons.map(\.flagged) == [1, 0] && flows.flaggedPoints == 4)
    #expect(try temporary.ledger.pointsFlows(days: Timestamp.day(iso8601: "2026-03-02")!...Timestamp.day(iso8601: "2026-03-02")!, flagged: []).awards == 1)
    let categories = try temporary.ledger.complaintCategories(["k\u{e9}", "ke\u{301}", "k"])
    #expect(categories["k\u{e9}"] == "billing" && categories["ke\u{301}"] == "delivery" && categories["k"] == nil)
    let kpis = try temporary.ledger.actionKPIs(["a\u{e9}", "ae\u{301}"])
    #expect(kpis["a\u{e9}"] == "one" && kpis["ae\u{301}"] == nil)
}
