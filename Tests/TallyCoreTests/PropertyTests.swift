import Testing
@testable import TallyCore

/// Random community histories: mostly valid, with some events the ledger must refuse.
enum RandomHistory {
    static func lines(seed: UInt64, count: Int) -> [String] {
        var rng = SeededGenerator(state: seed)
        let members = (0..<6).map { "m\($0)" }
        var lines: [String] = []
        for index in 0..<count {
            let actor = members.randomElement(using: &rng)!
            let minute = index * 7 + Int.random(in: 0..<600, using: &rng)
            let time = Timestamp(milliseconds: 1_772_000_000_000 + Int64(minute) * 60_000).rfc3339
            let content = "c\(Int.random(in: 0..<12, using: &rng))"
            let data: (String, String)
            switch Int.random(in: 0..<12, using: &rng) {
            case 0: data = ("post", #"{"post":"\#(content)"}"#)
            case 1: data = ("reply", #"{"reply":"\#(content)","post":"c\#(Int.random(in: 0..<12, using: &rng))"}"#)
            case 2, 3: data = ("vote", #"{"target":"\#(content)","value":\#([1, 1, -1, 0].randomElement(using: &rng)!)}"#)
            case 4: data = ("quiz_published", #"{"quiz":"q\#(Int.random(in: 0..<2, using: &rng))","answers":{"a":"X","b":"Y"},"closes":"2026-03-10T00:00:00Z"}"#)
            case 5: data = ("quiz_answer", #"{"quiz":"q\#(Int.random(in: 0..<2, using: &rng))","question":"\#(["a", "b", "z"].randomElement(using: &rng)!)","answer":"\#(["X", "Y"].randomElement(using: &rng)!)"}"#)
            case 6: data = ("points_award", #"{"member":"\#(members.randomElement(using: &rng)!)","points":\#([2, 10, 5, -3].randomElement(using: &rng)!),"reason":"\#(["post", "quiz_correct", "manual", "feedback"].randomElement(using: &rng)!)","ref":"e\#(Int.random(in: 0..<count, using: &rng))"}"#)
            case 7: data = ("points_redeemed", #"{"points":\#(Int.random(in: 1...8, using: &rng)),"reward":"mug"}"#)
            case 8: data = ("complaint", #"{"complaint":"k\#(Int.random(in: 0..<5, using: &rng))","severity":"high"}"#)
            case 9: data = ("complaint_response", #"{"complaint":"k\#(Int.random(in: 0..<5, using: &rng))"}"#)
            case 10: data = ("resolution", #"{"complaint":"k\#(Int.random(in: 0..<5, using: &rng))","outcome":"resolved","satisfaction":4}"#)
            default: data = ("member_joined", #"{"channel":"forum"}"#)
            }
            lines.append(line(data.0, actor, time, data.1, id: "e\(index)"))
        }
        return lines
    }
}

@Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
func appendingOneByOneEqualsOneImportAndRebuildKeepsItVerifiable(seed: UInt64) throws {
    let history = RandomHistory.lines(seed: seed, count: 300)
    let incremental = try TemporaryLedger()
    var accepted: [String] = []
    for text in history {
        do {
            try incremental.ledger.append(try event(text))
            accepted.append(text)
        } catch LedgerError.refused {
            continue
        }
    }
    #expect(accepted.count > 150)
    let batch = try TemporaryLedger()
    let report = try batch.importLines(accepted.joined(separator: "\n"))
    #expect(report.appended == accepted.count)

    var generous = Rules.builtIn
    generous.engagement.dailyCap = 7
    generous.engagement.upvoteReceived = 4
    generous.incentives.reasons["manual"]?.points = 5
    for rules in [Rules.builtIn, generous] {
        let one = try incremental.ledger.projection(rules: rules), other = try batch.ledger.projection(rules: rules)
        #expect(one.scores() == other.scores())
        #expect(one.audit().findings == other.audit().findings)
        #expect(one.complaintRows(now: .now()) == other.complaintRows(now: .now()))
        for member in ["m0", "m3"] { #expect(one.tierHistory(of: member) == other.tierHistory(of: member)) }
    }
    #expect(try incremental.events().map(\.event) == batch.events().map(\.event))
    try incremental.ledger.rebuild()
    #expect(try incremental.ledger.verify().ok)
    for actor in ["m1", "m4"] {
        var query = EventQuery()
        query.actor = actor
        var left: [UInt64] = [], right: [UInt64] = []
        try incremental.ledger.query(query) { left.append($0.seq) }
        try batch.ledger.query(query) { right.append($0.seq) }
        #expect(left == right)
    }
}
