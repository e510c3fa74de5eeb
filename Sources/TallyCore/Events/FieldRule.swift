/// What one `data` field of an event type must hold.
public struct FieldRule: Sendable {
    /// The kinds of value a field can hold.
    public enum Kind: Sendable, Equatable {
        /// An id: a string of 1–128 bytes.
        case id
        /// Any string.
        case text
        /// A non-empty string.
        case label
        /// One of the listed strings.
        case oneOf([String])
        case bool
        /// An integer in the closed range.
        case integer(ClosedRange<Int64>)
        /// A vote value: 1, -1 or 0.
        case voteValue
        /// A non-zero integer of at most 10^12 in magnitude.
        case nonZeroPoints
        /// An RFC 3339 date-time.
        case time
        /// A calendar date `YYYY-MM-DD`.
        case date
        /// An object mapping question ids to answer strings.
        case answerKey
        /// An array of ids.
        case idList
    }

    public let name: String
    public let kind: Kind
    public let isRequired: Bool

    init(_ name: String, _ kind: Kind, required: Bool = false) {
        self.name = name
        self.kind = kind
        self.isRequired = required
    }

    /// The largest magnitude of a points amount.
    public static let maxPoints: Int64 = 1_000_000_000_000
    /// The longest id, in UTF-8 bytes.
    public static let maxIDBytes = 128
}

extension EventType {
    /// The values the `data` field `name` of this type may take, when it takes one of a list:
    /// a post's `kind`, a join's `role`.
    public func allowedValues(of name: String) -> [String]? {
        guard case .oneOf(let values)? = fields.first(where: { $0.name == name })?.kind else { return nil }
        return values
    }

    /// The `data` fields of this type, required first (CONTRACT.md section 1).
    public var fields: [FieldRule] {
        switch self {
        case .memberJoined:
            [FieldRule("channel", .text), FieldRule("role", .oneOf(["member", "staff", "ambassador"]))]
        case .post:
            [FieldRule("post", .id, required: true), FieldRule("channel", .text),
             FieldRule("kind", .oneOf(["text", "image", "video", "live"])), FieldRule("title", .text), FieldRule("body", .text)]
        case .reply:
            [FieldRule("reply", .id, required: true), FieldRule("post", .id, required: true), FieldRule("body", .text)]
        case .vote:
            [FieldRule("target", .id, required: true), FieldRule("value", .voteValue, required: true)]
        case .quizPublished:
            [FieldRule("quiz", .id, required: true), FieldRule("answers", .answerKey, required: true), FieldRule("closes", .time)]
        case .quizAnswer:
            [FieldRule("quiz", .id, required: true), FieldRule("question", .id, required: true), FieldRule("answer", .text, required: true)]
        case .pointsAward:
            [FieldRule("member", .id, required: true), FieldRule("points", .nonZeroPoints, required: true),
             FieldRule("reason", .label, required: true), FieldRule("ref", .id), FieldRule("note", .text)]
        case .pointsRedeemed:
            [FieldRule("points", .integer(1...FieldRule.maxPoints), required: true), FieldRule("reward", .label, required: true)]
        case .complaint:
            [FieldRule("complaint", .id, required: true), FieldRule("severity", .oneOf(Severity.allCases.map(\.rawValue)), required: true),
             FieldRule("category", .text), FieldRule("public", .bool), FieldRule("text", .text)]
        case .complaintResponse:
            [FieldRule("complaint", .id, required: true), FieldRule("text", .text)]
        case .resolution:
            [FieldRule("complaint", .id, required: true), FieldRule("outcome", .oneOf(["resolved", "rejected"]), required: true),
             FieldRule("satisfaction", .integer(1...5)), FieldRule("text", .text)]
        case .actionOpened:
            [FieldRule("action", .id, required: true), FieldRule("title", .label, required: true), FieldRule("owner", .id, required: true),
             FieldRule("due", .date, required: true), FieldRule("complaints", .idList), FieldRule("kpi", .text)]
        case .actionUpdated:
            [FieldRule("action", .id, required: true), FieldRule("status", .oneOf(ActionStatus.allCases.map(\.rawValue)), required: true),
             FieldRule("owner", .id), FieldRule("note", .text)]
        }
    }
}

/// A complaint's severity.
public enum Severity: String, CaseIterable, Sendable {
    case low, medium, high, critical
}

/// An improvement action's status.
public enum ActionStatus: String, CaseIterable, Sendable {
    case planned
    case inProgress = "in_progress"
    case blocked, done, verified, cancelled

    /// Whether the action can no longer be updated.
    public var isFinal: Bool { self == .verified || self == .cancelled }
    /// Whether the action is still being worked on (and so can be overdue).
    public var isOpen: Bool { self == .planned || self == .inProgress || self == .blocked }
}
