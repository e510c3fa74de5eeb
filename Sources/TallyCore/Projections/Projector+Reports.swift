/// The reports of CONTRACT.md section 6, read from a projection.
extension Projector {
    /// One row of `tally scores`.
    public struct ScoreRow: Sendable, Equatable {
        public var member: String
        public var score: Int64
        public var tier: String
        public var points: Int64
    }

    /// Every member, by score descending, then member ascending.
    public func scores() -> [ScoreRow] { rows(scores: score) }

    /// Every member's score over the UTC days `days` alone (a period's leaderboard: the sum of
    /// those days' credits, each day capped as in the full score), with the tier and points as
    /// they stand, sorted as ``scores()``. The projection must hold every day's credits: a
    /// replay, or stored state loaded with ``Parts/days``.
    public func scores(days: ClosedRange<Int64>) -> [ScoreRow] {
        var period = [Int64](repeating: 0, count: members.count)
        let cap = rules.engagement.dailyCap
        func add(_ key: UInt64, _ credit: DayCredit) {
            let member = Int(Self.high(key))
            if days.contains(Int64(Self.low(key))), member < period.count { period[member] &+= credit.contribution(cap: cap) }
        }
        dayCredit.forEach(add)
        for (key, credit) in loadedDayCredits { add(key, credit) }
        return rows(scores: period)
    }

    /// Every member's row with its score in `scores` (by member id), by score descending, then
    /// member ascending.
    private func rows(scores: [Int64]) -> [ScoreRow] {
        let tiers = rules.engagement.tiers
        return (0..<members.count)
            .map { ScoreRow(member: members.string(Int32($0)), score: scores[$0], tier: tiers[tier[$0]].name, points: points[$0]) }
            .sorted(byBytesOf: \.member) { 0 &- $0.score }  // score descending
    }

    /// The points members hold: the sum of the positive balances (what the community can
    /// still redeem) and how many members have one.
    public func pointsOutstanding() -> (points: Int64, holders: Int) {
        points.reduce(into: (points: Int64(0), holders: 0)) { total, balance in
            if balance > 0 { total = (total.points &+ balance, total.holders + 1) }
        }
    }

    /// One member's row, if the member has appeared.
    public func score(of member: String) -> ScoreRow? {
        guard let index = members.id(of: member).map(Int.init) else { return nil }
        return ScoreRow(member: member, score: score[index], tier: rules.engagement.tiers[tier[index]].name, points: points[index])
    }

    /// How many members are in each tier, every tier of the rules included, lowest first.
    public func tierDistribution() -> [(tier: String, count: Int)] {
        var counts = [Int](repeating: 0, count: rules.engagement.tiers.count)
        for index in tier { counts[index] += 1 }
        return rules.engagement.tiers.enumerated().map { ($0.element.name, counts[$0.offset]) }
    }

    /// A member's tier changes, oldest first.
    public func tierHistory(of member: String) -> [TierChange] {
        members.id(of: member).flatMap { tierHistory[$0] } ?? []
    }

    /// The audit: awards checked, awards flagged, and the findings by seq, then finding.
    public func audit(member: String? = nil) -> (awards: Int, flagged: Int, findings: [AuditFinding]) {
        let selected = member.map { id in findings.filter { $0.member.isExactly(id) } } ?? findings
        let sorted = selected.sorted { $0.seq != $1.seq ? $0.seq < $1.seq : $0.finding.rawValue < $1.finding.rawValue }
        let awards: Int = member.map { id in members.id(of: id).map { awardsChecked[Int($0)] } ?? 0 } ?? awardsChecked.reduce(0, +)
        return (awards, Set(sorted.map(\.seq)).count, sorted)
    }

    /// The audit of the awards at `awardSeqs` alone (``Ledger/awardSeqs(by:to:days:atSeq:)``: the
    /// awards one staff member made), as ``audit(member:)`` counts and sorts it.
    public func audit(ofAwardsAt awardSeqs: Set<UInt64>) -> (awards: Int, flagged: Int, findings: [AuditFinding]) {
        let (_, _, findings) = audit()
        let selected = findings.filter { awardSeqs.contains($0.seq) }
        return (awardSeqs.count, Set(selected.map(\.seq)).count, selected)
    }

    /// One row of `tally complaints`.
    public struct ComplaintRow: Sendable, Equatable {
        public var complaint: String
        public var member: String
        public var severity: Severity
        /// `open`, `responded`, `resolved` or `rejected` (``statuses``).
        public var status: String
        public var openedAt: Timestamp
        public var firstResponseAt: Timestamp?
        public var resolvedAt: Timestamp?
        public var responseBreached: Bool
        public var resolutionBreached: Bool
        public var satisfaction: Int64?

        /// Every status a complaint can be in, in the order it moves through them.
        public static let statuses = ["open", "responded", "resolved", "rejected"]
    }

    /// Every complaint by id, with its SLA figures as of `now`.
    public func complaintRows(now: Timestamp) -> [ComplaintRow] {
        complaints.inIDOrder().map { id, state in
            let status = state.outcome ?? (state.firstResponseAt == nil ? "open" : "responded")
            func breached(_ end: Timestamp?, hours: Int64) -> Bool {
                (end ?? now).milliseconds - state.openedAt.milliseconds > hours &* 3_600_000
            }
            return ComplaintRow(
                complaint: id, member: state.member, severity: state.severity, status: status,
                openedAt: state.openedAt, firstResponseAt: state.firstResponseAt, resolvedAt: state.resolvedAt,
                responseBreached: breached(state.firstResponseAt, hours: rules.service.firstResponseHours[state.severity]!),
                resolutionBreached: breached(state.resolvedAt, hours: rules.service.resolutionHours[state.severity]!),
                satisfaction: state.satisfaction)
        }
    }

    /// One row of `tally actions`.
    public struct ActionRow: Sendable, Equatable {
        public var action: String
        public var title: String
        public var owner: String
        public var due: String
        public var status: ActionStatus
        public var overdue: Bool
        public var complaints: [String]
    }

    /// Every improvement action by id; overdue once `now` reaches the midnight after `due`.
    public func actionRows(now: Timestamp) -> [ActionRow] {
        actions.inIDOrder().map { id, state in
            let deadline = (state.dueDay + 1) * Timestamp.millisecondsPerDay
            return ActionRow(action: id, title: state.title, owner: state.owner, due: state.due, status: state.status,
                             overdue: state.status.isOpen && now.milliseconds >= deadline, complaints: state.complaints)
        }
    }
}
