/// The members who made their first event in one period, and how many of them were active in
/// each period since, for `tally retention`.
public struct RetentionCohort: Sendable, Equatable {
    public var period: ActivityPeriod
    /// The first day of the cohort's period (days since 1970-01-01).
    public var start: Int64
    /// How many members made their first event of their own (by seq, as `tally members` has
    /// it) in the period.
    public var members: Int
    /// `active[k]`: how many of them made an event in the k-th period after the cohort's
    /// (`active[0]`, the cohort's own, is ``members``), up to the last period of the log.
    public var active: [Int]

    /// The cohort's period's name (``ActivityPeriod/label(start:)``).
    public var label: String { period.label(start: start) }
}

extension ActivityPeriod {
    /// A number for the period starting on `start`, one more for each period after it.
    func ordinal(ofStart start: Int64) -> Int64 {
        switch self {
        case .day: return start
        case .week: return start >= 0 ? start / 7 : (start - 6) / 7  // Mondays are 7 apart
        case .month:
            let (year, month, _) = Timestamp.civil(fromDays: start)
            return Int64(year) * 12 + Int64(month - 1)
        }
    }
}
