import ArgumentParser
import TallyCore

struct Actions: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "actions", abstract: "Improvement actions: owner, due date, status and whether overdue.",
        discussion: "With --by-owner, a line per owner instead: how many of the actions kept each owner holds, open, overdue and in each status.")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var report: ReportOptions<TableOutputOptions>
    @OptionGroup var now: NowOption

    @Flag(help: "Only overdue actions.")
    var overdue = false

    @Option(help: "Only actions whose latest owner is this one.")
    var owner: String?

    @Option(help: "Only actions in this status: planned, in_progress, blocked, done, verified or cancelled.")
    var status: String?

    @Option(help: "Only actions that name this complaint.")
    var complaint: String?

    @Flag(help: "Print a line per owner (the latest one given) of the actions kept.")
    var byOwner = false

    func validate() throws {
        try requireOneOf(ActionStatus.allCases.map(\.rawValue), status, option: "--status")
    }

    func run() throws {
        try Console.run {
            let ledger = try ledger.open()
            let rows = try report.projection(ledger, .actions, at: try report.position.seq(in: ledger)).actionRows(now: now.timestamp).filter { row in
                (!overdue || row.overdue) && (owner.map(row.owner.isExactly) ?? true)
                    && (status.map { $0 == row.status.rawValue } ?? true)
                    && (complaint.map { complaint in row.complaints.contains { $0.isExactly(complaint) } } ?? true)
            }
            if byOwner { return printOwners(OwnerWorkload.byOwner(rows)) }
            let kpis = report.format == .text ? try ledger.actionKPIs(rows.map(\.action)) : TextByID()
            Console.print(rows, as: report.format, header: summary(of: rows)) { row in
                let complaints = row.complaints.isEmpty ? "" : "  complaints \(row.complaints.joined(separator: ", "))"
                let kpi = kpis[row.action].map { "  KPI: \($0)" } ?? ""
                return "\(column(row.action, 10)) \(column(row.status.rawValue, 12)) due \(row.due)\(row.overdue ? " OVERDUE" : "")  owner \(row.owner)  \(row.title)\(complaints)\(kpi)"
            }
        }
    }

    /// The owners' lines, in text a table of their counts.
    private func printOwners(_ lines: [OwnerWorkload]) {
        let statuses = ActionStatus.allCases
        let widths = [20, 8, 6, 8] + statuses.map { $0.rawValue.count + 1 }
        let header = tableLine(["owner", "actions", "open", "overdue"] + statuses.map(\.rawValue), widths: widths)
        Console.print(lines, as: report.format, header: header) { line in
            tableLine([line.owner, String(line.actions), String(line.open), String(line.overdue)] + statuses.map { String(line.count($0)) }, widths: widths)
        }
    }

    /// What the rows add up to: how many in each status, and how many are overdue.
    private func summary(of rows: [Projector.ActionRow]) -> String {
        let statuses = ActionStatus.allCases.compactMap { status in
            let count = rows.count { $0.status == status }
            return count == 0 ? nil : "\(count) \(status.rawValue)"
        }
        return "\(counted(rows.count, "action", "actions")): \(statuses.isEmpty ? "none" : statuses.joined(separator: ", ")); \(rows.count(where: \.overdue)) overdue"
    }
}
