import ArgumentParser
import TallyCore

struct Points: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "points", abstract: "Points awarded per reason (and how many the audit flags), redeemed per reward, and still held.",
        discussion: "With --since or --until, only the awards and redemptions whose time falls on those UTC days; with --actor, only those the actor made. The points held stay as they stand.")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var report: ReportOptions<TableOutputOptions>
    @Option(help: "Only the awards and redemptions this actor made (the awards a staff member paid).") var actor: String?
    @OptionGroup var period: DayRangeOptions

    func run() throws {
        try Console.run {
            let ledger = try ledger.open(), at = try report.position.seq(in: ledger)
            let projection = try report.projection(ledger, [.members, .findings], at: at)
            let flows = try ledger.pointsFlows(days: period.days, by: actor, atSeq: at, flagged: Set(projection.audit().findings.map(\.seq)))
            let outstanding = projection.pointsOutstanding()
            switch report.format {
            case .csv: Console.print(csv: flows.reasons.map(PointsLine.init) + flows.rewards.map(PointsLine.init))
            case .json: Console.print { writer in write(flows, outstanding, rules: projection.rules.engagement.name, to: writer) }
            case .text: printText(flows, outstanding, rules: projection.rules.engagement.name)
            }
        }
    }

    private func write(_ flows: PointsFlows, _ outstanding: (points: Int64, holders: Int), rules: String, to writer: JSONWriter) {
        writer.writeObject { object in
            object.add("rules", rules)
            object.add("awards", Int64(flows.awards))
            object.add("points_awarded", flows.pointsAwarded)
            object.add("flagged", Int64(flows.flagged))
            object.add("flagged_points", flows.flaggedPoints)
            object.add("redemptions", Int64(flows.redemptions))
            object.add("points_redeemed", flows.pointsRedeemed)
            object.add("outstanding", outstanding.points)
            object.add("holders", Int64(outstanding.holders))
            object.add("reasons", flows.reasons) { row, reason in
                row.add("reason", reason.reason)
                row.add("awards", Int64(reason.awards))
                row.add("points", reason.points)
                row.add("flagged", Int64(reason.flagged))
                row.add("flagged_points", reason.flaggedPoints)
            }
            object.add("rewards", flows.rewards) { row, reward in
                row.add("reward", reward.reward)
                row.add("redemptions", Int64(reward.redemptions))
                row.add("points", reward.points)
            }
        }
    }

    private func printText(_ flows: PointsFlows, _ outstanding: (points: Int64, holders: Int), rules: String) {
        Console.print("\(counted(flows.awards, "award", "awards")), \(flows.pointsAwarded) points; flagged \(countWithShare(flows.flagged, of: flows.awards)), "
            + "\(flows.flaggedPoints) points (rules \(rules)); \(counted(flows.redemptions, "redemption", "redemptions")), \(flows.pointsRedeemed) points; "
            + "\(outstanding.points) points held by \(counted(outstanding.holders, "member", "members"))")
        Console.print("\(column("reason", 24)) \(column("awards", 10)) \(column("points", 12)) \(column("flagged", 16)) flagged points")
        for reason in flows.reasons {
            Console.print("\(column(reason.reason, 24)) \(column(String(reason.awards), 10)) \(column(String(reason.points), 12)) "
                + "\(column(countWithShare(reason.flagged, of: reason.awards), 16)) \(reason.flaggedPoints)")
        }
        Console.print("\(column("reward", 24)) \(column("redeemed", 10)) points")
        for reward in flows.rewards {
            Console.print("\(column(reward.reward, 24)) \(column(String(reward.redemptions), 10)) \(reward.points)")
        }
    }
}

/// A line of `tally points --csv`: a reason's awards or a reward's redemptions, in one table.
private struct PointsLine: CSVRow {
    static let columns = ["kind", "name", "count", "points", "flagged", "flagged_points"]

    var kind: String, name: String, count: Int, points: Int64, flagged: Int?, flaggedPoints: Int64?

    init(_ reason: PointsFlows.Reason) {
        (kind, name, count, points, flagged, flaggedPoints) = ("award", reason.reason, reason.awards, reason.points, reason.flagged, reason.flaggedPoints)
    }

    init(_ reward: PointsFlows.Reward) {
        (kind, name, count, points, flagged, flaggedPoints) = ("redemption", reward.reward, reward.redemptions, reward.points, nil, nil)
    }

    func write(to writer: JSONWriter) {
        writer.writeObject { row in
            row.add("kind", kind)
            row.add("name", name)
            row.add("count", Int64(count))
            row.add("points", points)
            row.add("flagged", flagged.map(Int64.init))
            row.add("flagged_points", flaggedPoints)
        }
    }
}
