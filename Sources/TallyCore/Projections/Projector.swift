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

    // Members, interned; per-member totals are indexed by member id.
    var members = Interner()
    var score: [Int64] = []
    var tier: [Int] = []
    var points: [Int64] = []
    /// Awards checked, per member.
    var awardsChecked: [Int] = []
    /// Tier changes; over stored tables, those since the last flush.
    var tierHistory: [Int32: [TierChange]] = [:]

    // Engagement state.
    /// Post and reply ids, interned.
    var contents = Interner()
    /// The author of each interned post or reply; -1 while unknown.
    var contentAuthor: [Int32] = []
    /// Voter ‖ content → the latest vote.
    var latestVote = IntegerTable<Vote>()
    var quizzes: [ExactString: Quiz] = [:]
    /// Quiz ‖ 0xFF ‖ question, interned.
    var questions = Interner()
    /// Member ‖ question → the member's first answer.
    var answers = IntegerTable<Answer>()
    /// Member ‖ UTC day → the day's credits.
    var dayCredit = IntegerTable<DayCredit>()
    /// Member ‖ UTC day and the day's credits, as read from the stored table for a report
    /// (``Parts/days``): a list, since a report only walks them.
    var loadedDayCredits: [(key: UInt64, credit: DayCredit)] = []

    // Audit state; over stored tables, what was added since the last flush.
    var findings: [AuditFinding] = []
    /// The reason ‖ ref of every award with a ref, as ``ProjectionKey/award(reason:ref:)``
    /// stores it.
    var awardKeys = Interner()

    // Service state.
    var complaints = StatesByID<ComplaintState>()
    var actions = StatesByID<ActionState>()

    /// Whether only engagement scores and tiers are kept (for `diff`): of events that credit
    /// no one only their members are kept, and tier changes are not recorded.
    let scoresOnly: Bool

    /// When set, the credits of this member are recorded for `explain`.
    var trace: CreditTrace?

    /// The last `seq` applied.
    public internal(set) var lastSeq: UInt64 = 0

    /// The checksum of the last ``readAhead(_:)``, kept so that its reads are.
    var readAheadChecksum: UInt64 = 0

    /// Creates an empty projection under `rules`, held in memory, sized for about
    /// `expectedEvents` events.
    public convenience init(rules: Rules, expectedEvents: Int = 0) {
        self.init(rules: rules, expectedEvents: expectedEvents, scoresOnly: false)
    }

    init(rules: Rules, expectedEvents: Int, scoresOnly: Bool) {
        self.rules = rules
        self.store = nil
        self.holdsEverything = true
        self.scoresOnly = scoresOnly
        reserve(forEvents: expectedEvents)
    }

    /// Creates a projector over the stored tables, whose state is as of `checkpoint`; from
    /// checkpoint 0 (empty tables), sized for about `expectedEvents` events.
    init(rules: Rules, store: ProjectionStore, checkpoint: UInt64, expectedEvents: Int = 0) {
        self.rules = rules
        self.store = store
        self.holdsEverything = checkpoint == 0
        self.scoresOnly = false
        self.lastSeq = checkpoint
        if checkpoint == 0 { reserve(forEvents: expectedEvents) }
    }

    /// Sizes the tables for about `events` events of the standard mix, so that a long
    /// replay does not rehash them as it goes.
    private func reserve(forEvents events: Int) {
        dayCredit = IntegerTable(capacity: events / 4 * 3)
        latestVote = IntegerTable(capacity: events / 3)
        answers = IntegerTable(capacity: events / 10)
        contents = Interner(capacity: events / 2)
        contentAuthor.reserveCapacity(events / 2)
        members = Interner(capacity: events / 40)
    }

    /// Applies the next event of the log.
    /// - Parameters:
    ///   - referenced: for a `points_award`, the stored event its `ref` names, if any.
    ///   - txn: the transaction stored state is read from (unused by a replay in memory).
    func apply(_ event: RecordView, referenced: RecordView? = nil, _ txn: borrowing Transaction) throws {
        try apply(event, names: Names(of: event, members: &members, contents: &contents), referenced: referenced, txn)
    }

    /// Applies the next event of the log, whose ``Names`` were interned ahead: by this
    /// projector, or by another thread into its interners while it replays in memory (see
    /// ``Ledger/feedInTwoStages(_:through:_:progress:stoppingAfter:)``), when nothing here reads them.
    func apply(_ event: RecordView, names: Names, referenced: RecordView?, _ txn: borrowing Transaction) throws {
        lastSeq = event.seq
        // Members are every actor and every awarded member, whatever else the event does.
        let actor = names.actor, awarded = names.awarded
        try memberAdded(ifNew: actor, txn)
        if let awarded { try memberAdded(ifNew: awarded, txn) }
        // Content ids are dense, and interned in this order: each new one is the next slot.
        func addSlot(for content: Int32?) {
            if let content, Int(content) == contentAuthor.count { contentAuthor.append(-1) }
        }
        addSlot(for: names.content)
        addSlot(for: names.parent)
        if !scoresOnly || event.type.creditsEngagement {
            switch event.type {
            case .post, .reply: try applyContent(event, actor: actor, content: names.content, parent: names.parent, txn)
            case .vote: try applyVote(event, voter: actor, target: names.content, txn)
            case .quizPublished: applyQuizPublished(event)
            case .quizAnswer: try applyQuizAnswer(event, member: actor, txn)
            case .pointsAward: if let awarded { try applyAward(event, names: names, member: awarded, referenced: referenced, txn) }
            case .pointsRedeemed:
                let amount = event.integer("points") ?? 0
                points[Int(actor)] &-= amount
                if actor == trace?.member { trace!.redemptions.append((event.seq, amount, event.string("reward") ?? "")) }
            case .complaint, .complaintResponse, .resolution: try applyComplaintEvent(event, txn)
            case .actionOpened, .actionUpdated: try applyActionEvent(event, txn)
            case .memberJoined: break
            }
        }
        // A member starts in the lowest tier; after its first event it is in the tier of its
        // score, which for rules with a tier below 0 is not the lowest even at score 0.
        updateTier(actor, event)
        if let awarded { updateTier(awarded, event) }
    }

    /// The id of the member whose UTF-8 id is `bytes`, adding it (at the lowest tier if
    /// new) on first use.
    func member(_ bytes: UnsafeRawBufferPointer, _ txn: borrowing Transaction) throws -> Int32 {
        let id = members.intern(bytes).id
        try memberAdded(ifNew: id, txn)
        return id
    }

    /// The id of the member `name`, adding it on first use.
    func member(_ name: String, _ txn: borrowing Transaction) throws -> Int32 {
        let id = members.intern(name).id
        try memberAdded(ifNew: id, txn)
        return id
    }

    /// Sets up the totals of member `id` if it was just interned (ids are dense, so it is
    /// new when it has no totals yet): stored ones, or zeros.
    private func memberAdded(ifNew id: Int32, _ txn: borrowing Transaction) throws {
        guard Int(id) == score.count else { return }
        let stored = holdsEverything ? nil : try store!.member(members.string(id), txn)
        if let trace, trace.member == nil, members.string(id).isExactly(trace.name) { self.trace!.member = id }
        score.append(stored?.score ?? 0)
        tier.append(stored?.tier ?? 0)
        points.append(stored?.points ?? 0)
        awardsChecked.append(stored?.awardsChecked ?? 0)
    }

    /// How many members and posts or replies the projector has applied events of: the
    /// first ids of its interners.
    var internedCounts: (members: Int, contents: Int) { (score.count, contentAuthor.count) }

    /// Two 32-bit ids as one table key.
    static func key(_ high: Int32, _ low: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: high)) << 32 | UInt64(UInt32(bitPattern: low))
    }

    /// Records a tier change for `member` if its score moved it to another tier.
    func updateTier(_ member: Int32, _ event: RecordView) {
        let index = Int(member)
        let newTier = rules.engagement.tierIndex(for: score[index])
        guard newTier != tier[index] else { return }
        let tiers = rules.engagement.tiers
        if !scoresOnly {
            tierHistory[member, default: []].append(
                TierChange(seq: event.seq, time: event.time, from: tiers[tier[index]].name, to: tiers[newTier].name))
        }
        tier[index] = newTier
    }
}

extension EventType {
    /// Whether events of this type can change an engagement score: those and quiz keys.
    var creditsEngagement: Bool {
        switch self {
        case .post, .reply, .vote, .quizPublished, .quizAnswer: true
        default: false
        }
    }
}

/// One entry of a member's tier history.
public struct TierChange: Sendable, Equatable {
    public var seq: UInt64
    public var time: Timestamp
    public var from: String
    public var to: String
}
