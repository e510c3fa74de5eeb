internal import LMDB

/// Folds events, in `seq` order, into every projection of CONTRACT.md section 5 under one
/// set of rules: engagement scores and tiers, points balances, the incentive audit,
/// complaints and improvement actions.
///
/// A projector either holds its whole state in memory (a replay), or works over the
/// stored projections: state it has not seen yet is read from the tables on first use, and
/// ``flush(_:)`` writes what changed back, in the caller's write transaction.
///
/// ```swift
/// let projector = Projector(rules: .builtIn)
/// for record in log { try projector.apply(record, referenced: recordNamedByItsRef, txn) }
/// projector.scores()
/// ```
public final class Projector {
    public let rules: Rules

    /// The stored tables behind this projector; nil for a replay held in memory.
    let store: ProjectionStore?
    /// Whether memory holds the whole state, so that a miss means "absent" without a lookup.
    var holdsEverything: Bool

    // Members, interned: index → id.
    var memberNames: [String] = []
    var memberIndex: [String: Int32] = [:]
    var score: [Int64] = []
    var tier: [Int] = []
    var points: [Int64] = []
    /// Awards checked, per member.
    var awardsChecked: [Int] = []
    /// Tier changes; over stored tables, those since the last flush.
    var tierHistory: [Int32: [TierChange]] = [:]

    // Engagement state.
    var contentAuthor: [String: Int32] = [:]
    var latestVote: [VoteKey: Vote] = [:]
    var quizzes: [String: Quiz] = [:]
    var answers: [AnswerKey: Answer] = [:]
    var dayCredit: [DayKey: DayCredit] = [:]

    // Audit state; over stored tables, what was added since the last flush.
    var findings: [AuditFinding] = []
    var awardKeys: Set<AwardKey> = []

    // Service state.
    var complaints: [String: ComplaintState] = [:]
    var actions: [String: ActionState] = [:]

    /// When set, the credits of this member are recorded for `explain`.
    var trace: CreditTrace?

    /// The last `seq` applied.
    public internal(set) var lastSeq: UInt64 = 0

    /// Creates an empty projection under `rules`, held in memory, sized for about
    /// `expectedEvents` events.
    public init(rules: Rules, expectedEvents: Int = 0) {
        self.rules = rules
        self.store = nil
        self.holdsEverything = true
        dayCredit.reserveCapacity(expectedEvents / 4)
        latestVote.reserveCapacity(expectedEvents / 3)
        contentAuthor.reserveCapacity(expectedEvents / 2)
        memberIndex.reserveCapacity(expectedEvents / 40)
    }

    /// Creates a projector over the stored tables, whose state is as of `checkpoint`.
    init(rules: Rules, store: ProjectionStore, checkpoint: UInt64) {
        self.rules = rules
        self.store = store
        self.holdsEverything = checkpoint == 0
        self.lastSeq = checkpoint
    }

    /// Applies the next event of the log.
    /// - Parameters:
    ///   - referenced: for a `points_award`, the stored event its `ref` names, if any.
    ///   - txn: the transaction stored state is read from (unused by a replay in memory).
    func apply(_ event: RecordView, referenced: RecordView? = nil, _ txn: borrowing Transaction) throws {
        let actor = try member(event.actorName, txn)
        switch event.type {
        case .post, .reply: try applyContent(event, actor: actor, txn)
        case .vote: try applyVote(event, voter: actor, txn)
        case .quizPublished: applyQuizPublished(event)
        case .quizAnswer: try applyQuizAnswer(event, member: actor, txn)
        case .pointsAward: try applyAward(event, actor: actor, referenced: referenced, txn)
        case .pointsRedeemed:
            let amount = event.integer("points") ?? 0
            points[Int(actor)] &-= amount
            if actor == trace?.member { trace!.redemptions.append((event.seq, amount, event.string("reward") ?? "")) }
        case .complaint, .complaintResponse, .resolution: try applyComplaintEvent(event, txn)
        case .actionOpened, .actionUpdated: try applyActionEvent(event, txn)
        case .memberJoined: break
        }
        lastSeq = event.seq
    }

    /// The interned index of a member, adding it (at the lowest tier if new) on first use.
    func member(_ id: String, _ txn: borrowing Transaction) throws -> Int32 {
        if let index = memberIndex[id] { return index }
        let stored = holdsEverything ? nil : try store!.member(id, txn)
        let index = Int32(memberNames.count)
        memberIndex[id] = index
        memberNames.append(id)
        if id == trace?.name { trace!.member = index }
        score.append(stored?.score ?? 0)
        tier.append(stored?.tier ?? 0)
        points.append(stored?.points ?? 0)
        awardsChecked.append(stored?.awardsChecked ?? 0)
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
