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

    @Option(help: "Only complaints this member filed.")
    var member: String?

    func validate() throws {
        try requireOneOf(Projector.ComplaintRow.statuses, status, option: "--status")
    }

    func run() throws {
        try Console.run {
            let rows = try report.projection(try ledger.open(), .complaints).complaintRows(now: now.timestamp).filter { row in
                (!breached || row.responseBreached || row.resolutionBreached) && (status.map { $0 == row.status } ?? true)
                    && (member.map(row.member.isExactly) ?? true)
            }
            let header = "\(column("complaint", 14)) \(column("member", 16)) \(column("severity", 9)) \(column("status", 10)) breached"
            Console.print(rows, json: report.json, header: header) { row in
                let breached = [row.responseBreached ? "response" : nil, row.resolutionBreached ? "resolution" : nil].compactMap { $0 }
                return "\(column(row.complaint, 14)) \(column(row.member, 16)) \(column(row.severity.rawValue, 9)) \(column(row.status, 10)) \(breached.isEmpty ? "-" : breached.joined(separator: ", "))"
            }
        }
    }
}
