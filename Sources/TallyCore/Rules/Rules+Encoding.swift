extension Rules {
    /// The version of ``encoded()``'s layout.
    private static let encodingVersion: UInt8 = 1

    /// Every rule, in a compact binary form that ``init(decoding:)`` reads back equal: how
    /// a ledger keeps the rules its stored projections were adopted under
    /// (`tally rebuild --rules DIR`), for every later write to maintain them.
    func encoded() -> [UInt8] {
        var writer = ByteWriter(capacity: 512)
        writer.append(Self.encodingVersion)
        writer.append(lengthPrefixed: engagement.name)
        for weight in engagement.weights.map(\.value) + [engagement.dailyCap] { writer.append(bigEndian: weight) }
        writer.append(varint: UInt64(engagement.tiers.count))
        for tier in engagement.tiers {
            writer.append(lengthPrefixed: tier.name)
            writer.append(bigEndian: tier.threshold)
        }
        writer.append(varint: UInt64(incentives.reasons.count))
        for (name, reason) in incentives.reasons.sorted(byBytesOf: \.key) {
            writer.append(lengthPrefixed: name)
            writer.append((reason.points == nil ? 0 : 1) | (reason.ref == nil ? 0 : 2))
            if let points = reason.points { writer.append(bigEndian: points) }
            if let ref = reason.ref { writer.append(lengthPrefixed: ref.rawValue) }
        }
        for severity in Severity.allCases {
            writer.append(bigEndian: service.firstResponseHours[severity] ?? 0)
            writer.append(bigEndian: service.resolutionHours[severity] ?? 0)
        }
        return writer.bytes
    }

    /// Reads rules that ``encoded()`` wrote.
    /// - Throws: ``DecodeError`` for bytes it did not write, or rules no file could give.
    init(decoding bytes: UnsafeRawBufferPointer) throws(DecodeError) {
        var reader = ByteReader(bytes)
        let version = try reader.byte()
        guard version == Self.encodingVersion else { throw .unsupportedVersion(version) }
        let name = try reader.string()
        var weights: [Int64] = []
        for _ in 0..<7 { weights.append(try reader.int64()) }
        var tiers: [EngagementRules.Tier] = []
        for _ in 0..<(try reader.varint()) {
            tiers.append(EngagementRules.Tier(name: try reader.string(), threshold: try reader.int64()))
        }
        guard !tiers.isEmpty, zip(tiers, tiers.dropFirst()).allSatisfy({ $0.threshold < $1.threshold }) else {
            throw .malformed("rules: tiers must be distinct and ascending")
        }
        engagement = EngagementRules(
            name: name, post: weights[0], reply: weights[1], voteCast: weights[2], upvoteReceived: weights[3],
            downvoteReceived: weights[4], quizCorrect: weights[5], dailyCap: weights[6], tiers: tiers)
        var reasons: [String: IncentiveRules.Reason] = [:]
        for _ in 0..<(try reader.varint()) {
            let reasonName = try reader.string()
            let flags = try reader.byte()
            var reason = IncentiveRules.Reason()
            if flags & 1 != 0 { reason.points = try reader.int64() }
            if flags & 2 != 0 {
                guard let ref = EventType(rawValue: try reader.string()) else { throw .malformed("rules: a ref names no event type") }
                reason.ref = ref
            }
            reasons[reasonName] = reason
        }
        incentives = IncentiveRules(reasons: reasons)
        var firstResponse: [Severity: Int64] = [:], resolution: [Severity: Int64] = [:]
        for severity in Severity.allCases {
            firstResponse[severity] = try reader.int64()
            resolution[severity] = try reader.int64()
        }
        service = ServiceRules(firstResponseHours: firstResponse, resolutionHours: resolution)
        guard reader.isAtEnd else { throw .malformed("rules: trailing bytes") }
    }
}
