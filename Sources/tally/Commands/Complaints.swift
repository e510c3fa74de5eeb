import ArgumentParser
import TallyCore

struct Complaints: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "complaints", abstract: "Complaint handling and SLA breaches.",
        discussion: "With --sla, the SLA figures per severity instead: breaches, median and 90th-percentile hours to the first response and to the resolution, mean satisfaction. With --since or --until, only the complaints filed on those UTC days.")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var report: ReportOptions<TableOutputOptions>
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

    @Option(help: "Only complaints filed with this category (byte for byte).")
    var category: String?

    @OptionGroup(title: "Complaints filed in a period") var period: DayRangeOptions

    @Flag(help: "Print the SLA figures per severity, and for all, of the complaints kept.")
    var sla = false

    func validate() throws {
        try requireOneOf(Projector.ComplaintRow.statuses, status, option: "--status")
        try requireOneOf(Severity.allCases.map(\.rawValue), severity, option: "--severity")
    }

    func run() throws {
        try Console.run {
            let needsActions = withoutAction || (report.format == .text && !sla)  // the text shows each complaint's actions
            let ledger = try ledger.open()
            let projection = try report.projection(ledger, needsActions ? [.complaints, .actions] : .complaints, at: try report.position.seq(in: ledger))
            let actions = projection.complaintActions()
            let days = period.days
            var rows = projection.complaintRows(now: now.timestamp).filter { row in
                (!breached || row.responseBreached || row.resolutionBreached) && (status.map { $0 == row.status } ?? true)
                    && (severity.map { $0 == row.severity.rawValue } ?? true) && (days?.contains(row.openedAt.day) ?? true)
                    && (member.map(row.member.isExactly) ?? true) && (!withoutAction || actions[row.complaint].isEmpty)
            }
            if let category {
                let categories = try ledger.complaintCategories(rows.map(\.complaint))
                rows.removeAll { categories[$0.complaint]?.isExactly(category) != true }
            }
            if sla { return printSLA(SLASummary.bySeverity(rows, rules: projection.rules.service)) }
            let columns = "\(column("complaint", 14)) \(column("member", 16)) \(column("severity", 9)) \(column("status", 10)) \(column("breached", 20)) actions"
            Console.print(rows, as: report.format, header: "\(summary(of: rows, actions))\n\(columns)") { row in
                let breached = [row.responseBreached ? "response" : nil, row.resolutionBreached ? "resolution" : nil].compactMap { $0 }
                let named = actions[row.complaint]
                return "\(column(row.complaint, 14)) \(column(row.member, 16)) \(column(row.severity.rawValue, 9)) \(column(row.status, 10)) \(column(breached.isEmpty ? "-" : breached.joined(separator: ", "), 20)) \(named.isEmpty ? "none" : named.joined(separator: ", "))"
            }
        }
    }

    /// The SLA figures, a line per severity: in text, each limit with its breaches (and their
    /// share of the complaints) and the median and 90th-percentile hours.
    private func printSLA(_ lines: [SLASummary]) {
        let header = "\(column("severity", 9)) \(column("complaints", 10)) \(column("first response: limit", 22)) \(column("breached", 14)) \(column("median", 8)) \(column("p90", 8)) "
            + "\(column("resolution: limit", 18)) \(column("breached", 14)) \(column("median", 8)) \(column("p90", 8)) satisfaction"
        Console.print(lines, as: report.format, header: header) { line in
            func share(_ count: Int) -> String { countWithShare(count, of: line.complaints) }
            func hours(_ value: Hundredths?) -> String { value.map { "\($0) h" } ?? "-" }
            func limit(_ value: Int64?) -> String { value.map { "\($0) h" } ?? "-" }
            let satisfaction = line.satisfactionMean.map { "\($0) (\(line.rated) rated)" } ?? "-"
            return "\(column(line.severity?.rawValue ?? "all", 9)) \(column(String(line.complaints), 10)) \(column(limit(line.firstResponseLimitHours), 22)) "
                + "\(column(share(line.responseBreached), 14)) \(column(hours(line.responseMedianHours), 8)) \(column(hours(line.responseP90Hours), 8)) "
                + "\(column(limit(line.resolutionLimitHours), 18)) \(column(share(line.resolutionBreached), 14)) "
                + "\(column(hours(line.resolutionMedianHours), 8)) \(column(hours(line.resolutionP90Hours), 8)) \(satisfaction)"
        }
    }

    /// What the rows add up to: how many in each status, how many past each limit, and how
    /// many no improvement action names.
    private func summary(of rows: [Projector.ComplaintRow], _ actions: ComplaintActions) -> String {
        let statuses = Projector.ComplaintRow.statuses.map { status in "\(rows.count { $0.status == status }) \(status)" }
        func share(_ count: Int) -> String { countWithShare(count, of: rows.count) }
        let response = rows.count(where: \.responseBreached), resolution = rows.count(where: \.resolutionBreached)
        let unactioned = rows.count { actions[$0.complaint].isEmpty }
        return "\(counted(rows.count, "complaint", "complaints")): \(statuses.joined(separator: ", ")); first response breached "
            + "\(share(response)), resolution breached \(share(resolution)); \(unactioned) without an improvement action"
    }
}
