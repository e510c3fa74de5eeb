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
    @Option(help: "Score only the credits of this UTC day (YYYY-MM-DD) and later: a period's leaderboard.") var since: String?
    @Option(help: "Score only the credits of this UTC day (YYYY-MM-DD) and earlier.") var until: String?

    func validate() throws {
        if let top, top < 0 { throw ValidationError("--top must not be negative") }
        for (option, value) in [("--since", since), ("--until", until)] {
            if let value, Timestamp.day(iso8601: value) == nil {
                throw ValidationError("\(option): '\(value)' is not a date (YYYY-MM-DD); scores count whole UTC days")
            }
        }
        if let first = since.flatMap(Timestamp.day(iso8601:)), let last = until.flatMap(Timestamp.day(iso8601:)), first > last {
            throw ValidationError("--since \(since!) is after --until \(until!)")
        }
    }

    /// The UTC days scored, when --since or --until limits them.
    private var days: ClosedRange<Int64>? {
        guard since != nil || until != nil else { return nil }
        return (since.flatMap(Timestamp.day(iso8601:)) ?? .min)...(until.flatMap(Timestamp.day(iso8601:)) ?? .max)
    }

    func run() throws {
        try Console.run {
            let projection = try report.projection(try ledger.open(), days == nil ? .members : [.members, .days], for: member)
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
            if let top { rows = Array(rows.prefix(top)) }
            Console.print(rows, json: report.json, header: "\(column("member", 24)) \(column("score", 10)) \(column("tier", 12)) points") { row in
                "\(column(row.member, 24)) \(column(String(row.score), 10)) \(column(row.tier, 12)) \(row.points)"
            }
        }
    }
}
