/// Everything behind one member's score and points, for `tally explain`.
public struct Explanation: Sendable {
    public var member: String
    public var score: Int64
    public var tier: String
    public var points: Int64
    /// The rule set's name.
    public var rules: String
    /// The credits that make the score, by seq.
    public var credits: [Credit]
    /// Per day: positive and negative credit and what the cap cut.
    public var days: [(day: Int64, positive: Int64, negative: Int64, capCut: Int64)]
    /// Every award to the member, with the audit's findings (empty when justified).
    public var awards: [(seq: UInt64, points: Int64, reason: String, ref: String?, findings: [AuditFinding.Kind])]
    /// Every redemption by the member.
    public var redemptions: [(seq: UInt64, points: Int64, reward: String)]
    /// The member's replies, votes and quiz answers, and the votes on its content, that
    /// earned nothing, by seq, with the reason.
    public var uncredited: [Uncredited]
}

extension Projector {
    /// Starts recording `member`'s credits; call before applying events.
    public func startTracing(_ member: String) {
        trace = CreditTrace(name: member, member: members.id(of: member))
    }

    /// The explanation of the traced member once the events are applied; nil when the
    /// member has not appeared (as an actor or an awarded member).
    public func explanation() -> Explanation? {
        guard let trace, let member = trace.member else { return nil }
        let index = Int(member)
        let cap = rules.engagement.dailyCap
        var credits = trace.credits.sorted { $0.seq < $1.seq }
        var days: [(day: Int64, positive: Int64, negative: Int64, capCut: Int64)] = []
        var positiveSoFar: [Int64: Int64] = [:]
        for position in credits.indices where credits[position].amount > 0 {
            let day = credits[position].day
            let before = positiveSoFar[day, default: 0]
            positiveSoFar[day] = before + credits[position].amount
            if cap > 0 { credits[position].counted = max(0, min(credits[position].amount, cap - before)) }
        }
        for day in Set(credits.map(\.day)).sorted() {
            let ofDay = credits.filter { $0.day == day }
            let positive = ofDay.filter { $0.amount > 0 }.reduce(0) { $0 + $1.amount }
            let negative = ofDay.filter { $0.amount < 0 }.reduce(0) { $0 + $1.amount }
            days.append((day, positive, negative, cap > 0 ? max(0, positive - cap) : 0))
        }
        let byAward = Dictionary(grouping: findings.filter { $0.member.isExactly(trace.name) }, by: \.seq)
        return Explanation(
            member: trace.name, score: score[index], tier: rules.engagement.tiers[tier[index]].name, points: points[index],
            rules: rules.engagement.name, credits: credits, days: days,
            awards: trace.awards.map { ($0.seq, $0.points, $0.reason, $0.ref, (byAward[$0.seq] ?? []).map(\.finding).sorted { $0.rawValue < $1.rawValue }) },
            redemptions: trace.redemptions,
            uncredited: trace.uncredited.values.sorted { $0.seq < $1.seq })
    }
}
