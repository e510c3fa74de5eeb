/// The credits, awards and redemptions of one member, and the events of it that earned
/// nothing, recorded during a replay for `tally explain`. Credits of superseded votes are
/// withdrawn as the replay goes.
struct CreditTrace {
    /// The traced member's id.
    let name: String
    /// Its interned index, once it has appeared in the log.
    var member: Int32?
    var credits: [Credit] = []
    var awards: [(seq: UInt64, points: Int64, reason: String, ref: String?)] = []
    var redemptions: [(seq: UInt64, points: Int64, reward: String)] = []
    /// Events that earned nothing, by seq: a vote noted `retracted` becomes `superseded`
    /// when its voter votes again on the same target.
    var uncredited: [UInt64: Uncredited] = [:]

    /// Notes that event `seq` earned nothing, if `members` include the traced member.
    mutating func note(_ seq: UInt64, _ reason: Uncredited.Reason, by: UInt64? = nil, for members: Int32...) {
        guard let member, members.contains(member) else { return }
        uncredited[seq] = Uncredited(seq: seq, reason: reason, by: by)
    }

    mutating func record(seq: UInt64, day: Int64, rule: Projector.CreditRule, amount: Int64, withdrawn: Bool) {
        if withdrawn {
            if let index = credits.firstIndex(where: { $0.seq == seq && $0.rule == rule }) { credits.remove(at: index) }
        } else {
            credits.append(Credit(seq: seq, day: day, rule: rule, amount: amount, counted: amount))
        }
    }
}

/// One credit behind a member's score.
public struct Credit: Sendable, Equatable {
    /// The event that gave it (for votes, the latest vote of the voter on the target).
    public var seq: UInt64
    /// The UTC day it counts on.
    public var day: Int64
    public var rule: Projector.CreditRule
    public var amount: Int64
    /// What counted after the daily cap (positive credits are capped in seq order).
    public var counted: Int64
}
