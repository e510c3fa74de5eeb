/// The posting-index keys an event carries: what `query` can find it by.
///
/// - actor: `actor`; member: `data.member` (the member of a `points_award`);
/// - type: the type code; day: the UTC day of `time`;
/// - ref: every id the event creates or names: post, reply, target, quiz, complaint,
///   action, `complaints[]`, and a `points_award`'s `ref`.
enum IndexEntries {
    static func keys(for event: Event, _ body: (PostingIndex.Kind, [UInt8]) throws -> Void) rethrows {
        try body(.actor, Array(event.actor.utf8))
        try body(.type, [event.type.code])
        try body(.day, dayKey(event.time.day))
        if let member = event.string("member"), event.type == .pointsAward { try body(.member, Array(member.utf8)) }
        var seen: [String] = []
        for field in event.type.referenceFields {
            switch event.data[field] {
            case .string(let id)?:
                if !seen.contains(id) { seen.append(id) }
            case .array(let elements)?:
                for case .string(let id) in elements where !seen.contains(id) { seen.append(id) }
            default: break
            }
        }
        for id in seen { try body(.ref, Array(id.utf8)) }
    }

    /// The 8-byte key of a day: big-endian with the sign bit flipped, so days sort.
    static func dayKey(_ day: Int64) -> [UInt8] {
        ByteWriter.key(UInt64(bitPattern: day) ^ (1 << 63))
    }
}

extension EventType {
    /// The `data` fields holding ids this event creates or names, indexed as `ref`.
    var referenceFields: [String] {
        switch self {
        case .memberJoined, .pointsRedeemed: []
        case .post: ["post"]
        case .reply: ["reply", "post"]
        case .vote: ["target"]
        case .quizPublished, .quizAnswer: ["quiz"]
        case .pointsAward: ["ref"]
        case .complaint, .complaintResponse, .resolution: ["complaint"]
        case .actionOpened: ["action", "complaints"]
        case .actionUpdated: ["action"]
        }
    }
}
