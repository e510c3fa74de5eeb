import ArgumentParser
import TallyCore

struct Tiers: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tiers", abstract: "The tier distribution, or one member's tier history.")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var report: ReportOptions
    @Option(help: "Show this member's tier history.") var member: String?

    func run() throws {
        try Console.run {
            let projection = try report.projection(try ledger.open(), .members, for: member)
            if let member {
                let tier = projection.score(of: member)?.tier ?? projection.rules.engagement.tiers[0].name
                let history = projection.tierHistory(of: member)
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
