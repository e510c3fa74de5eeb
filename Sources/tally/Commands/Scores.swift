import ArgumentParser
import TallyCore

struct Scores: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scores", abstract: "Engagement score, tier and points balance per member.",
        discussion: "With --since or --until, a period's leaderboard: scores count only the credits of those UTC days; tiers and points stay as they stand.")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var report: ReportOptions<TableOutputOptions>
    @Option(help: "Only this member.") var member: String?
    @Option(parsing: .unconditional, help: "Only the first N members.") var top: Int?
    @Option(help: "Only members in this tier.") var tier: String?
    @Option(help: "Only members whose latest member_joined gave this role (--role member leaves out staff, and whoever never joined).")
    var role: String?
    @OptionGroup var period: DayRangeOptions

    func validate() throws {
        if let top, top < 0 { throw ValidationError("--top must not be negative") }
        try requireOneOf(EventType.memberJoined.allowedValues(of: "role") ?? [], role, option: "--role")
    }

    func run() throws {
        try Console.run {
            let days = period.days, ledger = try ledger.open(), at = try report.position.seq(in: ledger)
            let projection = try report.projection(ledger, days == nil ? .members : [.members, .days], at: at, for: member)
            var rows: [Projector.ScoreRow]
            if let days {
                rows = projection.scores(days: days)
                if let member { rows.removeAll { !$0.member.isExactly(member) } }
            } else {
                rows = member.map { projection.score(of: $0).map { [$0] } ?? [] } ?? projection.scores()
            }
            if let tier {
                guard projection.rules.engagement.tiers.contains(where: { $0.name == tier }) else {
                    throw CommandError(description: "--tier: the rules \(projection.rules.engagement.name) have no tier '\(tier)'")
                }
                rows.removeAll { $0.tier != tier }
            }
            if let role {
                let roles = try ledger.memberRoles(atSeq: at)
                rows.removeAll { roles[$0.member]?.isExactly(role) != true }
            }
            if let top { rows = Array(rows.prefix(top)) }
            Console.print(rows, as: report.format, header: "\(column("member", 24)) \(column("score", 10)) \(column("tier", 12)) points") { row in
                "\(column(row.member, 24)) \(column(String(row.score), 10)) \(column(row.tier, 12)) \(row.points)"
            }
        }
    }
}
