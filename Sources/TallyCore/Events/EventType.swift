/// The event types of catalog version 1 (CONTRACT.md section 1).
///
/// The raw value is the JSON `type`; ``code`` is the byte stored in the log.
public enum EventType: String, CaseIterable, Sendable {
    case memberJoined = "member_joined"
    case post
    case reply
    case vote
    case quizPublished = "quiz_published"
    case quizAnswer = "quiz_answer"
    case pointsAward = "points_award"
    case pointsRedeemed = "points_redeemed"
    case complaint
    case complaintResponse = "complaint_response"
    case resolution
    case actionOpened = "action_opened"
    case actionUpdated = "action_updated"

    /// The stored code, 1…13 in catalog order. Codes are never reused.
    public var code: UInt8 { UInt8(Self.allCases.firstIndex(of: self)! + 1) }

    /// The type stored under `code`, if any.
    public init?(code: UInt8) {
        guard code >= 1, Int(code) <= Self.allCases.count else { return nil }
        self = Self.allCases[Int(code) - 1]
    }
}
