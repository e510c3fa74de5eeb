/// Where the points went: the awards per reason, with the ones the audit flagged, and the
/// redemptions per reward (`tally points`). Read from the log through the type index.
public struct PointsFlows: Sendable, Equatable {
    /// The awards given for one reason.
    public struct Reason: Sendable, Equatable {
        public var reason: String
        public var awards: Int
        /// Their points, deductions (negative awards) included.
        public var points: Int64
        /// The awards with at least one audit finding, and their points.
        public var flagged: Int
        public var flaggedPoints: Int64
    }

    /// The redemptions of one reward.
    public struct Reward: Sendable, Equatable {
        public var reward: String
        public var redemptions: Int
        public var points: Int64
    }

    /// By reason, in byte order.
    public var reasons: [Reason]
    /// By reward, in byte order.
    public var rewards: [Reward]

    /// Every reason's awards, and their points.
    public var awards: Int { reasons.reduce(0) { $0 + $1.awards } }
    public var pointsAwarded: Int64 { reasons.reduce(0) { $0 &+ $1.points } }
    /// Every reason's flagged awards, and their points.
    public var flagged: Int { reasons.reduce(0) { $0 + $1.flagged } }
    public var flaggedPoints: Int64 { reasons.reduce(0) { $0 &+ $1.flaggedPoints } }
    /// Every reward's redemptions, and their points.
    public var redemptions: Int { rewards.reduce(0) { $0 + $1.redemptions } }
    public var pointsRedeemed: Int64 { rewards.reduce(0) { $0 &+ $1.points } }
}
