import ArgumentParser
import TallyCore

struct Tiers: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tiers", abstract: "The tier distribution, or one member's tier history.",
        discussion: """
            With --since or --until, the tier changes whose time falls on those UTC days instead of the \
            distribution: every member's (who moved up or down this month?), or with --member that \
            member's history in that period.
            """)

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var report: ReportOptions
    @Option(help: "Show this member's tier history.") var member: String?
    @OptionGroup var period: DayRangeOptions

    func run() throws {
        try Console.run {
            let days = period.days
            let projection = try report.projection(try ledger.open(), days == nil || member != nil ? .members : [.members, .tierChanges], for: member)
            if let member {
                let tier = projection.score(of: member)?.tier ?? projection.rules.engagement.tiers[0].name
                let history = projection.tierHistory(of: member).filter { days?.contains($0.time.day) ?? true }
                if report.json {
                    Console.print { writer in
                        writer.writeObject { object in
                            object.add("member", member)
                            object.add("tier", tier)
                            object.add("history", history)
                        }
                    }
                    return
                }
                Console.print("\(member): \(tier)")
                for change in history { Console.print("  seq \(change.seq)  \(change.time.rfc3339)  \(change.from) → \(change.to)") }
                return
            }
            if let days {
                let changes = projection.tierChanges(days: days)
                if report.json {
                    Console.print { writer in
                        writer.writeObject { object in
                            object.add("rules", projection.rules.engagement.name)
                            object.add("changes", changes)
                        }
                    }
                    return
                }
                Console.print("rules: \(projection.rules.engagement.name), \(counted(changes.count, "tier change", "tier changes"))")
                for row in changes {
                    Console.print("  seq \(column(String(row.change.seq), 8)) \(row.change.time.rfc3339)  \(column(row.member, 20)) \(row.change.from) → \(row.change.to)")
                }
                return
            }
            let distribution = projection.tierDistribution()
            if report.json {
                Console.print(json: .object(JSONObject([
                    ("rules", .string(projection.rules.engagement.name)),
                    ("distribution", .object(JSONObject(distribution.map { ($0.tier, JSONValue.integer(Int64($0.count))) }))),
                ])))
                return
            }
            Console.print("rules: \(projection.rules.engagement.name)")
            for (tier, count) in distribution { Console.print("  \(column(tier, 12)) \(count)") }
        }
    }
}
