internal import Crypto

extension Rules {
    /// SHA-256 of a canonical rendering of every rule: two rule sets have the same
    /// fingerprint exactly when they are equal, however their files are written.
    /// The stored projections record the fingerprint of the rules they were computed under.
    var fingerprint: [UInt8] {
        var text = "semantics \(Self.semanticsVersion)\n"
        text += "engagement \(engagement.name.debugDescription)"
        for (name, value) in engagement.weights { text += " \(name) \(value)" }
        text += " daily_cap \(engagement.dailyCap)\n"
        for tier in engagement.tiers { text += "tier \(tier.name.debugDescription) \(tier.threshold)\n" }
        for (name, reason) in incentives.reasons.sorted(byBytesOf: \.key) {
            text += "reason \(name.debugDescription) \(reason.points.map(String.init) ?? "-") \(reason.ref?.rawValue ?? "-")\n"
        }
        for severity in Severity.allCases {
            text += "service \(severity.rawValue) \(service.firstResponseHours[severity] ?? -1) \(service.resolutionHours[severity] ?? -1)\n"
        }
        return Array(SHA256.hash(data: Array(text.utf8)))
    }

    /// The version of what the rules mean, raised when a build computes the projections
    /// differently under the same rules: projections stored by an earlier build then no
    /// longer match, so reports replay until `tally rebuild` stores them afresh.
    /// 2: a reply to content unknown when it is appended earns no credit.
    static let semanticsVersion = 2
}
