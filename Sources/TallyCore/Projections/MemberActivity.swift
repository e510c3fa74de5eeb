/// One member's activity in the log, for `tally members`: when it was first and last seen,
/// how many events it made, and the channels it joined.
public struct MemberActivity: Sendable, Equatable {
    public var member: String
    /// The times of the member's first and last events of its own (as `actor`), by seq; nil
    /// for a member who was only ever awarded points.
    public var firstSeen: Timestamp?
    public var lastSeen: Timestamp?
    /// How many events the member made (as `actor`).
    public var events: Int
    /// The role of its latest `member_joined` that gave one, if any.
    public var role: String?
    /// The channels of its `member_joined` events, byte for byte distinct, first joined first.
    public var channels: [String]
}
