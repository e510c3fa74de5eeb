/// The posting-index keys an event carries: what `query` can find it by.
///
/// - actor: `actor`; member: `data.member` of a `points_award`;
/// - type: the type code; day: the UTC day of `time`;
/// - ref: every id the event creates or names: post, reply, target, quiz, complaint,
///   action, `complaints[]`, and a `points_award`'s `ref` (each id once).
///
/// Keys are read from the stored record, so appends, rebuilds and `verify` agree by
/// construction. The key buffers are valid only during the call.
enum IndexEntries {
    static func keys(for record: RecordView, _ body: (PostingIndex.Kind, UnsafeRawBufferPointer) throws -> Void) rethrows {
        try body(.actor, record.actor)
        try withUnsafeBytes(of: record.typeCode) { try body(.type, $0) }
        try withUnsafeBytes(of: dayKey(record.time.day)) { try body(.day, $0) }
        let type = record.type
        if type == .pointsAward, let member = record.field("member")?.string, member.count <= FieldRule.maxIDBytes { try body(.member, member) }
        // Most events name one or two ids: the first is kept apart, so that they allocate nothing.
        var first: UnsafeRawBufferPointer?
        var others: [UnsafeRawBufferPointer] = []
        func add(_ id: UnsafeRawBufferPointer?) throws {
            guard let id, id.count <= FieldRule.maxIDBytes else { return }
            if let first {
                guard !first.hasSameBytes(as: id), !others.contains(where: { $0.hasSameBytes(as: id) }) else { return }
                others.append(id)
            } else {
                first = id
            }
            try body(.ref, id)
        }
        try type.forEachReferenceField { name in
            guard let value = record.field(name) else { return }
            if value.tag == .array {
                for element in BinaryJSON.elements(of: value) { try add(element.string) }
            } else {
                try add(value.string)
            }
        }
    }

    /// The day as an 8-byte big-endian key with the sign bit flipped, so days sort.
    static func dayKey(_ day: Int64) -> UInt64 {
        (UInt64(bitPattern: day) ^ (1 << 63)).bigEndian
    }

    /// The day a day index key (``dayKey(_:)``'s bytes) stands for; `Int64.min` for a key
    /// of another length.
    static func day(ofDayKey key: UnsafeRawBufferPointer) -> Int64 {
        guard key.count == 8 else { return .min }
        return Int64(bitPattern: UInt64(bigEndian: key.loadUnaligned(as: UInt64.self)) ^ (1 << 63))
    }
}

extension EventType {
    /// Calls `body` with each `data` field holding ids this event creates or names, indexed
    /// as `ref`.
    func forEachReferenceField(_ body: (StaticString) throws -> Void) rethrows {
        switch self {
        case .memberJoined, .pointsRedeemed: break
        case .post: try body("post")
        case .reply: try body("reply"); try body("post")
        case .vote: try body("target")
        case .quizPublished, .quizAnswer: try body("quiz")
        case .pointsAward: try body("ref")
        case .complaint, .complaintResponse, .resolution: try body("complaint")
        case .actionOpened: try body("action"); try body("complaints")
        case .actionUpdated: try body("action")
        }
    }
}
