/// One line of `tally actions --by-owner`: the improvement actions whose latest owner is
/// `owner`, how many are still open and overdue, and how many are in each status.
public struct OwnerWorkload: Sendable, Equatable {
    public var owner: String
    public var actions: Int
    /// Planned, in progress or blocked.
    public var open: Int
    public var overdue: Int
    /// How many are in each status, in ``ActionStatus`` order.
    public var statuses: [Int]

    /// How many of the owner's actions are in `status`.
    public func count(_ status: ActionStatus) -> Int { statuses[ActionStatus.allCases.firstIndex(of: status)!] }

    /// A line per owner of `rows`, by owner in byte order.
    public static func byOwner(_ rows: [Projector.ActionRow]) -> [OwnerWorkload] {
        var lines: [ExactString: OwnerWorkload] = [:]
        for row in rows {
            let empty = OwnerWorkload(owner: row.owner, actions: 0, open: 0, overdue: 0, statuses: Array(repeating: 0, count: ActionStatus.allCases.count))
            lines[ExactString(row.owner), default: empty].add(row)
        }
        return lines.values.sorted(byBytesOf: \.owner)
    }

    private mutating func add(_ row: Projector.ActionRow) {
        actions += 1
        if row.status.isOpen { open += 1 }
        if row.overdue { overdue += 1 }
        statuses[ActionStatus.allCases.firstIndex(of: row.status)!] += 1
    }
}
