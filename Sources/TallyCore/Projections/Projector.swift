/// Folds events, in `seq` order, into every projection of CONTRACT.md section 5 under one
/// set of rules: engagement scores and tiers, points balances, the incentive audit,
/// complaints and improvement actions.
///
/// ```swift
/// let projector = Projector(rules: .builtIn)
/// for record in log { projector.apply(record, referenced: recordNamedByItsRef) }
/// projector.scores()
/// ```
public final class Projector {
    public let rules: Rules

    // Members, interned: index → id.
    var memberNames: [String] = []
    var memberIndex: [String: Int32] = [:]
    var score: [Int64] = []
    var tier: [Int] = []
    var points: [Int64] = []
    var tierHistory: [Int32: [TierChange]] = [:]

    // Engagement state.
    var contentAuthor: [String: Int32] = [:]
    var latestVote: [VoteKey: Vote] = [:]
    var quizzes: [String: Quiz] = [:]
    var answered: Set<AnswerKey> = []
    /// Counted quiz answers by seq: whether each was correct.
    var countedAnswers: [UInt64: Bool] = [:]
    var dayCredit: [DayKey: DayCredit] = [:]

    // Audit state.
    var awardsChecked: [Int32: Int] = [:]
    var findings: [AuditFinding] = []
    var awardKeys: Set<AwardKey> = []

    // Service state.
    var complaints: [String: ComplaintState] = [:]
    var actions: [String: ActionState] = [:]

    /// When set, the credits of this member are recorded for `explain`.
    var trace: CreditTrace?

    /// The last `seq` applied.
    public private(set) var lastSeq: UInt64 = 0

    /// Creates an empty projection under `rules`, sized for about `expectedEvents` events.
    public init(rules: Rules, expectedEvents: Int = 0) {
        self.rules = rules
        dayCredit.reserveCapacity(expectedEvents / 4)
        latestVote.reserveCapacity(expectedEvents / 3)
        contentAuthor.reserveCapacity(expectedEvents / 2)
        memberIndex.reserveCapacity(expectedEvents / 40)
    }

    /// Applies the next event of the log.
    /// - Parameter referenced: for a `points_award`, the stored event its `ref` names, if any.
    func apply(_ event: RecordView, referenced: RecordView? = nil) {
        let actor = member(event.actorName)
        switch event.type {
        case .post, .reply: applyContent(event, actor: actor)
        case .vote: applyVote(event, voter: actor)
        case .quizPublished: applyQuizPublished(event)
        case .quizAnswer: applyQuizAnswer(event, member: actor)
        case .pointsAward: applyAward(event, actor: actor, referenced: referenced)
        case .pointsRedeemed:
            let amount = event.integer("points") ?? 0
            points[Int(actor)] &-= amount
            if actor == trace?.member { trace!.redemptions.append((event.seq, amount, event.string("reward") ?? "")) }
        case .complaint, .complaintResponse, .resolution: applyComplaintEvent(event)
        case .actionOpened, .actionUpdated: applyActionEvent(event)
        case .memberJoined: break
        }
        lastSeq = event.seq
    }

    /// The interned index of a member, adding it at the lowest tier if new.
    func member(_ id: String) -> Int32 {
        if let index = memberIndex[id] { return index }
        let index = Int32(memberNames.count)
        memberIndex[id] = index
        memberNames.append(id)
        if id == trace?.name { trace!.member = index }
        score.append(0)
        tier.append(0)
        points.append(0)
        return index
    }

    /// Records a tier change for `member` if its score moved it to another tier.
    func updateTier(_ member: Int32, _ event: RecordView) {
        let index = Int(member)
        let newTier = rules.engagement.tierIndex(for: score[index])
        guard newTier != tier[index] else { return }
        let tiers = rules.engagement.tiers
        tierHistory[member, default: []].append(
            TierChange(seq: event.seq, time: event.time, from: tiers[tier[index]].name, to: tiers[newTier].name))
        tier[index] = newTier
    }
}

/// One entry of a member's tier history.
public struct TierChange: Sendable, Equatable {
    public var seq: UInt64
    public var time: Timestamp
    public var from: String
    public var to: String
}
