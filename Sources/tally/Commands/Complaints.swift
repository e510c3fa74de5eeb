import ArgumentParser
import TallyCore

struct Complaints: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Complaint handling and SLA breaches.")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var report: ReportOptions
    @OptionGroup var now: NowOption

    func run() throws {
        try Console.run {
            let rows = try report.projection(try ledger.open()).complaintRows(now: now.timestamp)
            if report.json {
                Console.print(json: .array(rows.map(\.jsonValue)))
                return
            }
            Console.print("\(column("complaint", 14)) \(column("member", 16)) \(column("severity", 9)) \(column("status", 10)) breached")
            for row in rows {
                let breached = [row.responseBreached ? "response" : nil, row.resolutionBreached ? "resolution" : nil].compactMap { $0 }
                Console.print("\(column(row.complaint, 14)) \(column(row.member, 16)) \(column(row.severity.rawValue, 9)) \(column(row.status, 10)) \(breached.isEmpty ? "-" : breached.joined(separator: ", "))")
            }
        }
    }
}
