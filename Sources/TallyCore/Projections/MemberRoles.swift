/// The role of each member's latest `member_joined` (``Ledger/memberRoles(atSeq:)``), looked
/// up byte for byte.
public struct MemberRoles: Sendable {
    var byMember: [ExactString: String] = [:]

    /// The member's role; nil for a member that never joined, or joined without a role.
    public subscript(member: String) -> String? { byMember[ExactString(member)] }
}
