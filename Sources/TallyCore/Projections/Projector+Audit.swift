internal import LMDB

/// The incentive audit: every `points_award` checked against `incentives.toml`
/// (CONTRACT.md section 5).
extension Projector {
    /// Adds a `points_award` to `member` (the interned `data.member`) and audits it.
    func applyAward(_ event: RecordView, names: Names, member: Int32, referenced: RecordView?, _ txn: borrowing Transaction) throws {
        guard let amount = event.integer("points"), let memberID = event.string("member") else { return }
        points[Int(member)] &+= amount
        awardsChecked[Int(member)] += 1
        let reason = event.string("reason") ?? ""
        let ref = event.string("ref")
        if member == trace?.member { trace!.awards.append((event.seq, amount, reason, ref)) }
        // The reason and ref as the `duplicate` finding compares them, byte for byte: as stored.
        let awardKey = ref.map { ProjectionKey.award(reason: reason, ref: $0) }
        let finding = try firstFinding(
            event, member: member, memberID: memberID, reason: reason, awardKey: awardKey, amount: amount, referenced: referenced, txn)
        if let finding {
            findings.append(AuditFinding(seq: event.seq, member: memberID, points: amount, reason: reason, finding: finding))
        }
        if names.actor == member {
            findings.append(AuditFinding(seq: event.seq, member: memberID, points: amount, reason: reason, finding: .selfAward))
        }
        if let awardKey { _ = awardKeys.intern(awardKey) }
    }

    /// The first finding that applies, in the contract's order. `member` is the awarded
    /// member, interned, whose id is `memberID`; `awardKey` is the award's reason and ref as
    /// ``ProjectionKey/award(reason:ref:)`` stores them, nil when it names no ref.
    private func firstFinding(
        _ award: RecordView, member: Int32, memberID: String, reason: String, awardKey: [UInt8]?, amount: Int64,
        referenced: RecordView?, _ txn: borrowing Transaction
    ) throws -> AuditFinding.Kind? {
        guard let rule = rules.incentives.reason(named: reason) else { return .unknownReason }
        if let wanted = rule.ref {
            guard awardKey != nil, let target = referenced, target.seq < award.seq else { return .missingRef }
            guard target.type == wanted, try owner(of: target, txn)?.isExactly(memberID) == true else { return .refMismatch }
            if try !qualifies(target, by: member, txn) { return .notQualifying }
        }
        if let awardKey, try wasAwarded(awardKey, txn) { return .duplicate }
        if let fixed = rule.points, fixed != amount { return .amountMismatch }
        return nil
    }

    /// Whether an earlier award had this ``ProjectionKey/award(reason:ref:)``.
    private func wasAwarded(_ key: [UInt8], _ txn: borrowing Transaction) throws -> Bool {
        if key.withUnsafeBytes({ awardKeys.id(of: $0) }) != nil { return true }
        return holdsEverything ? false : try store!.wasAwarded(key, txn)
    }

    /// Whose event it is: the complaint's member for complaint workflow events, the
    /// awarded member for an award, else the actor.
    private func owner(of event: RecordView, _ txn: borrowing Transaction) throws -> String? {
        switch event.type {
        case .complaintResponse, .resolution: try event.string("complaint").flatMap { try complaint($0, txn)?.member }
        case .pointsAward: event.string("member")
        default: event.actorName
        }
    }

    /// Whether `event`, owned by `member` (interned), is what its award's reason asks for.
    private func qualifies(_ event: RecordView, by member: Int32, _ txn: borrowing Transaction) throws -> Bool {
        switch event.type {
        case .quizAnswer:  // the member's own answer: its actor
            guard let quiz = event.bytes("quiz"), let question = event.bytes("question") else { return false }
            let questionID = questions.intern(Self.questionKey(quiz, question)).id
            guard let answer = try firstAnswer(member: member, question: questionID, txn) else { return false }
            return answer.seq == event.seq && answer.counted && answer.correct
        case .resolution: return event.integer("satisfaction") != nil
        default: return true
        }
    }
}

/// One audit finding about a `points_award`.
public struct AuditFinding: Sendable, Equatable {
    /// What the rules say is wrong with the award.
    public enum Kind: String, Sendable, CaseIterable {
        case unknownReason = "unknown_reason"
        case missingRef = "missing_ref"
        case refMismatch = "ref_mismatch"
        case notQualifying = "not_qualifying"
        case duplicate
        case amountMismatch = "amount_mismatch"
        case selfAward = "self_award"
    }

    public var seq: UInt64
    public var member: String
    public var points: Int64
    public var reason: String
    public var finding: Kind
}
