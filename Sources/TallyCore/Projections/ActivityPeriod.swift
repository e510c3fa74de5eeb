/// The periods `tally activity` counts in: UTC days, ISO 8601 weeks (Monday to Sunday) or
/// calendar months.
public enum ActivityPeriod: String, Sendable, CaseIterable {
    case day, week, month

    /// The first day (a day number, days since 1970-01-01) of the period holding `day`.
    public func start(ofDay day: Int64) -> Int64 {
        switch self {
        case .day: return day
        case .week: return day - Self.daysSinceMonday(day)
        case .month:
            let (year, month, _) = Timestamp.civil(fromDays: day)
            return Int64(Timestamp.daysFromCivil(year: year, month: month, day: 1))
        }
    }

    /// The first day of the period after the one starting on `start`.
    public func next(after start: Int64) -> Int64 {
        switch self {
        case .day: return start + 1
        case .week: return start + 7
        case .month:
            let (year, month, _) = Timestamp.civil(fromDays: start)
            return start + Int64(Timestamp.daysInMonth(year: year, month: month))
        }
    }

    /// The first days of every period from the one starting on `first` through the one
    /// starting on `last`.
    func starts(from first: Int64, through last: Int64) -> [Int64] {
        Array(sequence(first: first) { next(after: $0) }.prefix { $0 <= last })
    }

    /// The period's name: `2026-03-05`, `2026-W10` (the ISO week-numbering year and week) or
    /// `2026-03`.
    public func label(start: Int64) -> String {
        let date = Timestamp.dateString(day: start)
        switch self {
        case .day: return date
        case .month: return String(date.dropLast(3))
        case .week:
            // The ISO year is that of the week's Thursday; week 1 holds the year's first Thursday.
            let thursday = start + 3
            let (year, _, _) = Timestamp.civil(fromDays: thursday)
            let week = (thursday - Int64(Timestamp.daysFromCivil(year: year, month: 1, day: 1))) / 7 + 1
            let isoYear = Timestamp.dateString(day: thursday).dropLast(6)  // the date without -MM-DD
            return "\(isoYear)-W\(week < 10 ? "0" : "")\(week)"
        }
    }

    /// 0 for a Monday … 6 for a Sunday (1970-01-01, day 0, was a Thursday).
    private static func daysSinceMonday(_ day: Int64) -> Int64 {
        ((day + 3) % 7 + 7) % 7
    }
}
