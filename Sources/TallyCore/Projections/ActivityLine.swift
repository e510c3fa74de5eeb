/// The log's activity in one period, for `tally activity`: how many events, how many members
/// made them, how many of those made their first, and how many events of each type.
public struct ActivityLine: Sendable, Equatable {
    public var period: ActivityPeriod
    /// The period's first day (days since 1970-01-01).
    public var start: Int64
    public var events: Int
    /// The members (actors) with at least one event in the period.
    public var activeMembers: Int
    /// The members whose first event of their own (by seq, as `tally members` has it) falls in
    /// the period.
    public var newMembers: Int
    /// Events per type, in catalog order (``EventType/allCases``).
    public var byType: [Int]

    /// A period with no events.
    init(period: ActivityPeriod, start: Int64) {
        (self.period, self.start, events, activeMembers, newMembers) = (period, start, 0, 0, 0)
        byType = Array(repeating: 0, count: EventType.allCases.count)
    }

    /// The period's name (``ActivityPeriod/label(start:)``).
    public var label: String { period.label(start: start) }

    /// How many events of `type` the period holds.
    public func count(_ type: EventType) -> Int { byType[Int(type.code) - 1] }
}
