/// A report row with the JSON shape of CONTRACT.md section 6. Times are RFC 3339 UTC.
public protocol JSONRepresentable {
    /// The row as JSON.
    var jsonValue: JSONValue { get }
}

extension Projector.ScoreRow: JSONRepresentable {
    public var jsonValue: JSONValue {
        .object(JSONObject([("member", .string(member)), ("score", .integer(score)), ("tier", .string(tier)), ("points", .integer(points))]))
    }
}

extension TierChange: JSONRepresentable {
    public var jsonValue: JSONValue {
        .object(JSONObject([("seq", .integer(Int64(seq))), ("time", .string(time.rfc3339)), ("from", .string(from)), ("to", .string(to))]))
    }
}

extension AuditFinding: JSONRepresentable {
    public var jsonValue: JSONValue {
        .object(JSONObject([("seq", .integer(Int64(seq))), ("member", .string(member)), ("points", .integer(points)),
                            ("reason", .string(reason)), ("finding", .string(finding.rawValue))]))
    }
}

extension Projector.ComplaintRow: JSONRepresentable {
    public var jsonValue: JSONValue {
        .object(JSONObject([
            ("complaint", .string(complaint)), ("member", .string(member)), ("severity", .string(severity.rawValue)),
            ("status", .string(status)), ("opened_at", .string(openedAt.rfc3339)),
            ("first_response_at", firstResponseAt.map { .string($0.rfc3339) } ?? .null),
            ("resolved_at", resolvedAt.map { .string($0.rfc3339) } ?? .null),
            ("response_breached", .bool(responseBreached)), ("resolution_breached", .bool(resolutionBreached)),
            ("satisfaction", satisfaction.map(JSONValue.integer) ?? .null),
        ]))
    }
}

extension Projector.ActionRow: JSONRepresentable {
    public var jsonValue: JSONValue {
        .object(JSONObject([
            ("action", .string(action)), ("title", .string(title)), ("owner", .string(owner)), ("due", .string(due)),
            ("status", .string(status.rawValue)), ("overdue", .bool(overdue)), ("complaints", .array(complaints.map(JSONValue.string))),
        ]))
    }
}

extension DiffRow: JSONRepresentable {
    public var jsonValue: JSONValue {
        .object(JSONObject([("member", .string(member)), ("score_before", .integer(scoreBefore)), ("score_after", .integer(scoreAfter)),
                            ("tier_before", .string(tierBefore)), ("tier_after", .string(tierAfter))]))
    }
}

extension Explanation: JSONRepresentable {
    public var jsonValue: JSONValue {
        .object(JSONObject([
            ("member", .string(member)), ("rules", .string(rules)), ("score", .integer(score)), ("tier", .string(tier)), ("points", .integer(points)),
            ("credits", .array(credits.map { credit in
                .object(JSONObject([("seq", .integer(Int64(credit.seq))), ("day", .string(Timestamp.dateString(day: credit.day))),
                                    ("rule", .string(credit.rule.rawValue)), ("amount", .integer(credit.amount)),
                                    ("counted", .integer(credit.counted)), ("capped", .bool(credit.counted != credit.amount))]))
            })),
            ("days", .array(days.map { day in
                .object(JSONObject([("day", .string(Timestamp.dateString(day: day.day))), ("positive", .integer(day.positive)),
                                    ("negative", .integer(day.negative)), ("cap_cut", .integer(day.capCut))]))
            })),
            ("awards", .array(awards.map { award in
                .object(JSONObject([("seq", .integer(Int64(award.seq))), ("points", .integer(award.points)), ("reason", .string(award.reason)),
                                    ("ref", award.ref.map(JSONValue.string) ?? .null),
                                    ("findings", .array(award.findings.map { .string($0.rawValue) }))]))
            })),
            ("redemptions", .array(redemptions.map { redemption in
                .object(JSONObject([("seq", .integer(Int64(redemption.seq))), ("points", .integer(redemption.points)), ("reward", .string(redemption.reward))]))
            })),
        ]))
    }
}
