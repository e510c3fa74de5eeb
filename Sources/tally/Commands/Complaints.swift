import ArgumentParser
import TallyCore

struct Complaints: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "complaints", abstract: "Complaint handling and SLA breaches.")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var report: ReportOptions
    @OptionGroup var now: NowOption

    func run() throws {
        try Console.run {
            let rows = try report.projection(try ledger.open(), .complaints).complaintRows(now: now.timestamp)
            let header = "\(column("complaint", 14)) \(column("member", 16)) \(column("severity", 9)) \(column("status", 10)) breached"
            Console.print(rows, json: report.json, header: header) { row in
                let breached = [row.responseBreached ? "response" : nil, row.resolutionBreached ? "resolution" : nil].compactMap { $0 }
                return "\(column(row.complaint, 14)) \(column(row.member, 16)) \(column(row.severity.rawValue, 9)) \(column(row.status, 10)) \(breached.isEmpty ? "-" : breached.joined(separator: ", "))"
            }
        }
    }
}
