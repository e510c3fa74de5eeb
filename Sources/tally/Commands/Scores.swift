import ArgumentParser
import TallyCore

struct Scores: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scores", abstract: "Engagement score, tier and points balance per member.")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var report: ReportOptions
    @Option(help: "Only this member.") var member: String?
    @Option(parsing: .unconditional, help: "Only the first N members.") var top: Int?
    @Option(help: "Only members in this tier.") var tier: String?

    func validate() throws {
        if let top, top < 0 { throw ValidationError("--top must not be negative") }
    }

    func run() throws {
        try Console.run {
            let projection = try report.projection(try ledger.open(), .members, for: member)
            var rows = member.map { projection.score(of: $0).map { [$0] } ?? [] } ?? projection.scores()
            if let tier {
                guard projection.rules.engagement.tiers.contains(where: { $0.name == tier }) else {
                    throw CommandError(description: "--tier: the rules \(projection.rules.engagement.name) have no tier '\(tier)'")
                }
                rows.removeAll { $0.tier != tier }
            }
            if let top { rows = Array(rows.prefix(top)) }
            Console.print(rows, json: report.json, header: "\(column("member", 24)) \(column("score", 10)) \(column("tier", 12)) points") { row in
                "\(column(row.member, 24)) \(column(String(row.score), 10)) \(column(row.tier, 12)) \(row.points)"
            }
        }
    }
}
