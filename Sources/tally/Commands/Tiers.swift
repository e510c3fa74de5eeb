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
    @OptionGroup var report: ReportOptions<TableOutputOptions>
    @Option(help: "Show this member's tier history.") var member: String?
    @OptionGroup var period: DayRangeOptions

    func run() throws {
        try Console.run {
            let days = period.days
            let ledger = try ledger.open()
            let projection = try report.projection(ledger, days == nil || member != nil ? .members : [.members, .tierChanges],
                                                   at: try report.position.seq(in: ledger), for: member)
            if let member {
                printHistory(of: member, projection, days: days)
            } else if let days {
                printChanges(projection.tierChanges(days: days), rules: projection.rules.engagement.name)
            } else {
                printDistribution(projection.tierDistribution(), rules: projection.rules.engagement.name)
            }
        }
    }

    private func printHistory(of member: String, _ projection: Projector, days: ClosedRange<Int64>?) {
        let tier = projection.score(of: member)?.tier ?? projection.rules.engagement.tiers[0].name
        let history = projection.tierHistory(of: member).filter { days?.contains($0.time.day) ?? true }
        switch report.format {
        case .csv: Console.print(csv: history)
        case .json:
            Console.print { writer in
                writer.writeObject { object in
                    object.add("member", member)
                    object.add("tier", tier)
                    object.add("history", history)
                }
            }
        case .text:
            Console.print("\(member): \(tier)")
            for change in history { Console.print("  seq \(change.seq)  \(change.time.rfc3339)  \(change.from) → \(change.to)") }
        }
    }

    private func printChanges(_ changes: [MemberTierChange], rules: String) {
        switch report.format {
        case .csv: Console.print(csv: changes)
        case .json:
            Console.print { writer in
                writer.writeObject { object in
                    object.add("rules", rules)
                    object.add("changes", changes)
                }
            }
        case .text:
            Console.print("rules: \(rules), \(counted(changes.count, "tier change", "tier changes"))")
            for row in changes {
                Console.print("  seq \(column(String(row.change.seq), 8)) \(row.change.time.rfc3339)  \(column(row.member, 20)) \(row.change.from) → \(row.change.to)")
            }
        }
    }

    private func printDistribution(_ distribution: [(tier: String, count: Int)], rules: String) {
        switch report.format {
        case .csv: Console.print(csv: distribution.map(TierCount.init))
        case .json:
            Console.print(json: .object(JSONObject([
                ("rules", .string(rules)),
                ("distribution", .object(JSONObject(distribution.map { ($0.tier, JSONValue.integer(Int64($0.count))) }))),
            ])))
        case .text:
            Console.print("rules: \(rules)")
            for (tier, count) in distribution { Console.print("  \(column(tier, 12)) \(count)") }
        }
    }
}

/// A line of the tier distribution, for `--csv`.
private struct TierCount: CSVRow {
    static let columns = ["tier", "count"]
    var tier: String
    var count: Int

    func write(to writer: JSONWriter) {
        writer.writeObject { row in
            row.add("tier", tier)
            row.add("count", Int64(count))
        }
    }
}
