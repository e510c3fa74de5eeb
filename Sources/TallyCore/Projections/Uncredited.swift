/// An event of the explained member that could have earned engagement credit and did not,
/// and why: the answer `tally explain` gives to "why did this not count?".
public struct Uncredited: Sendable, Equatable {
    /// Why an event earned nothing, as CONTRACT.md section 5 decides it.
    public enum Reason: String, Sendable, CaseIterable {
        /// A reply to a post or reply unknown when it was appended.
        case replyToUnknown = "reply_to_unknown"
        /// A vote on a post or reply unknown when it was appended: ignored entirely.
        case unknownTarget = "unknown_target"
        /// A vote on the voter's own post or reply: ignored entirely.
        case selfVote = "self_vote"
        /// A vote of 0, the latest of its voter on its target: it takes back, gives nothing.
        case retracted
        /// A vote followed by a later one of the same voter on the same target (`by`).
        case superseded
        /// An answer to a quiz not published before it.
        case unknownQuiz = "unknown_quiz"
        /// An answer to a question that is not in the quiz's answer key.
        case unknownQuestion = "unknown_question"
        /// An answer given after the quiz's `closes` time.
        case afterClose = "after_close"
        /// Not the member's first answer to the question (`by` is the first one).
        case notFirstAnswer = "not_first_answer"
        /// A counted answer that differs from the key.
        case incorrect
    }

    /// The event that earned nothing: the member's own, or a vote on the member's content.
    public var seq: UInt64
    public var reason: Reason
    /// The event that decided it, for `superseded` and `not_first_answer`.
    public var by: UInt64?

    public init(seq: UInt64, reason: Reason, by: UInt64? = nil) {
        (self.seq, self.reason, self.by) = (seq, reason, by)
    }
}
