/// A member's move from one tier to another, for `tally tiers --since/--until`.
public struct MemberTierChange: Sendable, Equatable {
    public var member: String
    public var change: TierChange
}

extension Projector {
    /// Every member's tier changes whose time falls on the UTC days `days`, by seq, then
    /// member (an event can move the tiers of two: a voter's and the author's). The
    /// projection must hold every member's tier history: a replay, or stored state loaded
    /// with ``Parts/tierChanges``.
    public func tierChanges(days: ClosedRange<Int64>) -> [MemberTierChange] {
        tierHistory.flatMap { member, changes in
            changes.lazy.filter { days.contains($0.time.day) }.map { MemberTierChange(member: self.members.string(member), change: $0) }
        }.sorted(byBytesOf: \.member) { Int64(truncatingIfNeeded: $0.change.seq) }
    }
}
