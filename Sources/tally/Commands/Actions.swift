import ArgumentParser
import TallyCore

struct Actions: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "actions", abstract: "Improvement actions: owner, due date, status and whether overdue.")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var report: ReportOptions
    @OptionGroup var now: NowOption

    func run() throws {
        try Console.run {
            let rows = try report.projection(try ledger.open(), .actions).actionRows(now: now.timestamp)
            Console.print(rows, json: report.json) { row in
                "\(column(row.action, 10)) \(column(row.status.rawValue, 12)) due \(row.due)\(row.overdue ? " OVERDUE" : "")  owner \(row.owner)  \(row.title)"
            }
        }
    }
}
