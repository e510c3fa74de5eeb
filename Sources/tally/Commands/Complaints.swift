import ArgumentParser
import TallyCore

struct Complaints: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "complaints", abstract: "Complaint handling and SLA breaches.")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var report: ReportOptions
    @OptionGroup var now: NowOption

    @Flag(help: "Only complaints past their first-response or resolution limit.")
    var breached = false

    @Option(help: "Only complaints in this status: open, responded, resolved or rejected.")
    var status: String?

    @Option(help: "Only complaints of this severity: low, medium, high or critical.")
    var severity: String?

    @Option(help: "Only complaints this member filed.")
    var member: String?

    @Flag(help: "Only complaints that no improvement action names (cancelled actions do not count).")
    var withoutAction = false

    func validate() throws {
        try requireOneOf(Projector.ComplaintRow.statuses, status, option: "--status")
        try requireOneOf(Severity.allCases.map(\.rawValue), severity, option: "--severity")
    }

    func run() throws {
        try Console.run {
            let needsActions = withoutAction || report.format == .text  // the text shows each complaint's actions
            let projection = try report.projection(try ledger.open(), needsActions ? [.complaints, .actions] : .complaints)
            let actions = projection.complaintActions()
            let rows = projection.complaintRows(now: now.timestamp).filter { row in
                (!breached || row.responseBreached || row.resolutionBreached) && (status.map { $0 == row.status } ?? true)
                    && (severity.map { $0 == row.severity.rawValue } ?? true)
                    && (member.map(row.member.isExactly) ?? true) && (!withoutAction || actions[row.complaint].isEmpty)
            }
            let columns = "\(column("complaint", 14)) \(column("member", 16)) \(column("severity", 9)) \(column("status", 10)) \(column("breached", 20)) actions"
            Console.print(rows, as: report.format, header: "\(summary(of: rows, actions))\n\(columns)") { row in
                let breached = [row.responseBreached ? "response" : nil, row.resolutionBreached ? "resolution" : nil].compactMap { $0 }
                let named = actions[row.complaint]
                return "\(column(row.complaint, 14)) \(column(row.member, 16)) \(column(row.severity.rawValue, 9)) \(column(row.status, 10)) \(column(breached.isEmpty ? "-" : breached.joined(separator: ", "), 20)) \(named.isEmpty ? "none" : named.joined(separator: ", "))"
            }
        }
    }

    /// What the rows add up to: how many in each status, how many past each limit, and how
    /// many no improvement action names.
    private func summary(of rows: [Projector.ComplaintRow], _ actions: ComplaintActions) -> String {
        let statuses = Projector.ComplaintRow.statuses.map { status in "\(rows.count { $0.status == status }) \(status)" }
        func share(_ count: Int) -> String {
            guard !rows.isEmpty else { return "\(count)" }
            let tenths = (count * 1000 + rows.count / 2) / rows.count
            return "\(count) (\(tenths / 10).\(tenths % 10)%)"
        }
        let response = rows.count(where: \.responseBreached), resolution = rows.count(where: \.resolutionBreached)
        let unactioned = rows.count { actions[$0.complaint].isEmpty }
        return "\(counted(rows.count, "complaint", "complaints")): \(statuses.joined(separator: ", ")); first response breached "
            + "\(share(response)), resolution breached \(share(resolution)); \(unactioned) without an improvement action"
    }
}
