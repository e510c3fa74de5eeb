/// One complaint whose SLA verdicts a change of the service rules would change.
public struct ComplaintDiffRow: Sendable, Equatable {
    public var complaint: String
    public var severity: Severity
    public var responseBreachedBefore: Bool
    public var responseBreachedAfter: Bool
    public var resolutionBreachedBefore: Bool
    public var resolutionBreachedAfter: Bool

    /// The complaints of `before` and `after`, the same complaints under two rule sets, whose
    /// verdicts differ, in id order.
    static func changes(from before: [Projector.ComplaintRow], to after: [Projector.ComplaintRow]) -> [ComplaintDiffRow] {
        zip(before, after).compactMap { old, new in
            guard old.responseBreached != new.responseBreached || old.resolutionBreached != new.resolutionBreached else { return nil }
            return ComplaintDiffRow(
                complaint: old.complaint, severity: old.severity,
                responseBreachedBefore: old.responseBreached, responseBreachedAfter: new.responseBreached,
                resolutionBreachedBefore: old.resolutionBreached, resolutionBreachedAfter: new.resolutionBreached)
        }
    }
}

/// One points award whose audit findings a change of the rules would change.
public struct AuditDiffRow: Sendable, Equatable {
    public var seq: UInt64
    public var member: String
    public var points: Int64
    public var reason: String
    /// The award's findings under each rule set, in the audit's order.
    public var findingsBefore: [String]
    public var findingsAfter: [String]

    /// The awards whose findings differ between two audits of the same log, by seq.
    static func changes(from before: [AuditFinding], to after: [AuditFinding]) -> [AuditDiffRow] {
        var rows: [UInt64: AuditDiffRow] = [:]
        for (finding, isBefore) in before.map({ ($0, true) }) + after.map({ ($0, false) }) {
            var row = rows[finding.seq] ?? AuditDiffRow(
                seq: finding.seq, member: finding.member, points: finding.points, reason: finding.reason, findingsBefore: [], findingsAfter: [])
            if isBefore { row.findingsBefore.append(finding.finding.rawValue) } else { row.findingsAfter.append(finding.finding.rawValue) }
            rows[finding.seq] = row
        }
        return rows.values.filter { $0.findingsBefore != $0.findingsAfter }.sorted { $0.seq < $1.seq }
    }
}
