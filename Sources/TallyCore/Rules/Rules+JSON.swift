extension Rules {
    /// Every rule as JSON, for `tally rules --json`: the name, the weights, the daily cap,
    /// the tiers lowest first, the reasons by name, and the SLA limits in hours.
    public var json: JSONObject {
        let tiers = engagement.tiers.map { tier in
            JSONValue.object(JSONObject([("tier", .string(tier.name)), ("threshold", .integer(tier.threshold))]))
        }
        let reasons = incentives.reasons.sorted(byBytesOf: \.key).map { name, reason in
            JSONValue.object(JSONObject([
                ("reason", .string(name)), ("points", reason.points.map(JSONValue.integer) ?? .null),
                ("ref", reason.ref.map { .string($0.rawValue) } ?? .null),
            ]))
        }
        func hours(_ limits: [Severity: Int64]) -> JSONValue {
            .object(JSONObject(Severity.allCases.reversed().map { ($0.rawValue, .integer(limits[$0] ?? 0)) }))
        }
        return JSONObject([
            ("rules", .string(engagement.name)),
            ("weights", .object(JSONObject(engagement.weights.map { ($0.name, .integer($0.value)) }))),
            ("daily_cap", .integer(engagement.dailyCap)),
            ("tiers", .array(tiers)),
            ("reasons", .array(reasons)),
            ("first_response_hours", hours(service.firstResponseHours)),
            ("resolution_hours", hours(service.resolutionHours)),
        ])
    }
}
