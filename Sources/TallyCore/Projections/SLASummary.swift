/// One line of `tally complaints --sla`: how the complaints of one severity (or of all,
/// `severity` nil) were handled against the service rules' limits.
///
/// Spans are hours from a complaint's `time` to its first response and to its resolution,
/// over the complaints that have one; the median and the 90th percentile are nearest-rank
/// (the smallest span that at least half, or nine tenths, of them do not exceed). Breaches
/// count every complaint, open ones measured to *now* as in `tally complaints`.
public struct SLASummary: Sendable, Equatable {
    /// nil for the line that sums every severity.
    public var severity: Severity?
    /// The limits of the rules in force; nil on the line of every severity.
    public var firstResponseLimitHours: Int64?
    public var resolutionLimitHours: Int64?
    /// The complaints of the line.
    public var complaints: Int
    /// Complaints with a first response (a `complaint_response` or a `resolution`).
    public var answered: Int
    /// Complaints past the first-response limit (open ones measured to *now*), and the
    /// spans to a first response.
    public var responseBreached: Int
    public var responseMedianHours: Hundredths?
    public var responseP90Hours: Hundredths?
    /// Complaints resolved or rejected.
    public var closed: Int
    /// Complaints past the resolution limit (unresolved ones measured to *now*), and the
    /// spans to a resolution.
    public var resolutionBreached: Int
    public var resolutionMedianHours: Hundredths?
    public var resolutionP90Hours: Hundredths?
    /// Resolutions that gave a satisfaction score, and their mean.
    public var rated: Int
    public var satisfactionMean: Hundredths?
}

extension SLASummary {
    /// A line per severity, most severe first, then the line of all: every severity of the
    /// rules, with zero counts when none of `rows` has it.
    public static func bySeverity(_ rows: [Projector.ComplaintRow], rules: ServiceRules) -> [SLASummary] {
        let lines = Severity.allCases.reversed().map { severity in
            var line = SLASummary(rows.filter { $0.severity == severity })
            line.severity = severity
            line.firstResponseLimitHours = rules.firstResponseHours[severity]
            line.resolutionLimitHours = rules.resolutionHours[severity]
            return line
        }
        return lines + [SLASummary(rows)]
    }

    private init(_ rows: [Projector.ComplaintRow]) {
        func spans(to end: KeyPath<Projector.ComplaintRow, Timestamp?>) -> [Int64] {
            rows.compactMap { row in row[keyPath: end].map { $0.milliseconds - row.openedAt.milliseconds } }.sorted()
        }
        let responses = spans(to: \.firstResponseAt), resolutions = spans(to: \.resolvedAt)
        let ratings = rows.compactMap(\.satisfaction)
        complaints = rows.count
        answered = responses.count
        responseBreached = rows.count(where: \.responseBreached)
        responseMedianHours = Self.hours(responses, percentile: 50)
        responseP90Hours = Self.hours(responses, percentile: 90)
        closed = resolutions.count
        resolutionBreached = rows.count(where: \.resolutionBreached)
        resolutionMedianHours = Self.hours(resolutions, percentile: 50)
        resolutionP90Hours = Self.hours(resolutions, percentile: 90)
        rated = ratings.count
        satisfactionMean = ratings.isEmpty ? nil : Hundredths(ratings.reduce(0, +), over: Int64(ratings.count))
    }

    /// The nearest-rank `percentile` (1 to 100) of sorted spans in milliseconds, as hours.
    private static func hours(_ sorted: [Int64], percentile: Int) -> Hundredths? {
        guard !sorted.isEmpty else { return nil }
        let rank = (percentile * sorted.count + 99) / 100  // at least 1, as `percentile` is
        return Hundredths(hoursFromMilliseconds: sorted[rank - 1])
    }
}
