import ArgumentParser
import TallyCore

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "What a rule change would do, member by member, before anyone adopts it.",
        discussion: """
            By default, the members whose score or tier would change. --complaints shows instead the \
            complaints whose SLA verdicts would change (as of --now), --audit the points awards whose \
            audit findings would.
            """)

    @OptionGroup var ledger: LedgerOptions
    @Option(help: "The proposed rules directory.") var rules: String
    @Option(help: "The rules to compare against (default: the built-in rules).") var base: String?
    @OptionGroup var position: PositionOptions
    @Flag(help: "Compare the complaints' SLA verdicts instead of the members' scores and tiers.") var complaints = false
    @Flag(help: "Compare the points awards' audit findings instead of the members' scores and tiers.") var audit = false
    @OptionGroup var now: NowOption
    @OptionGroup var output: TableOutputOptions

    func validate() throws {
        if complaints, audit { throw ValidationError("--complaints and --audit exclude each other") }
        if now.now != nil, !complaints { throw ValidationError("--now applies to --complaints only") }
    }

    func run() throws {
        try Console.run {
            let proposed = try Rules.load(directory: rules)
            let baseline = try base.map { try Rules.load(directory: $0) } ?? .builtIn
            let names = "(\(baseline.engagement.name) → \(proposed.engagement.name))"
            let ledger = try ledger.open(), at = try position.seq(in: ledger)
            let format = output.format
            /// Runs a replay with progress at a terminal; the report is printed after it.
            func withReplayProgress<R>(_ body: (((UInt64) -> Void)?) throws -> R) throws -> R {
                try Console.withProgress(quiet: format != .text) { show in try body(show.map(replaying)) }
            }
            if complaints {
                let rows = try withReplayProgress { try ledger.complaintsDiff(rules: proposed, base: baseline, atSeq: at, now: now.timestamp, progress: $0) }
                Console.print(rows, as: format, header: "\(counted(rows.count, "complaint changes", "complaints change")) \(names)") { row in
                    "\(column(row.complaint, 14)) \(column(row.severity.rawValue, 9)) response \(column(verdicts(row.responseBreachedBefore, row.responseBreachedAfter), 22)) resolution \(verdicts(row.resolutionBreachedBefore, row.resolutionBreachedAfter))"
                }
            } else if audit {
                let rows = try withReplayProgress { try ledger.auditDiff(rules: proposed, base: baseline, atSeq: at, progress: $0) }
                Console.print(rows, as: format, header: "\(summary(of: rows)) \(names)") { row in
                    "\(column("seq \(row.seq)", 12)) \(column(row.member, 16)) \(column("\(row.points) \(row.reason)", 24)) \(findings(row.findingsBefore)) → \(findings(row.findingsAfter))"
                }
            } else {
                let rows = try withReplayProgress { try ledger.diff(rules: proposed, base: baseline, atSeq: at, progress: $0) }
                Console.print(rows, as: format, header: "\(summary(of: rows)) \(names)") { row in
                    "\(column(row.member, 24)) \(column("\(row.scoreBefore) → \(row.scoreAfter)", 20)) \(row.tierBefore) → \(row.tierAfter)"
                }
            }
        }
    }

    /// What the rows add up to, for the text header: how many members change, how many
    /// scores go up and down, and each move between tiers with how many members make it.
    private func summary(of rows: [DiffRow]) -> String {
        let members = counted(rows.count, "member changes", "members change")
        guard !rows.isEmpty else { return members }
        let up = rows.count { $0.scoreAfter > $0.scoreBefore }, down = rows.count { $0.scoreAfter < $0.scoreBefore }
        var moves: [(move: String, count: Int)] = []
        for row in rows where row.tierBefore != row.tierAfter {
            let move = "\(row.tierBefore) → \(row.tierAfter)"
            if let index = moves.firstIndex(where: { $0.move == move }) { moves[index].count += 1 } else { moves.append((move, 1)) }
        }
        let tiers = moves.isEmpty ? "no tier moves" : "tiers " + moves.sorted { $0.count != $1.count ? $0.count > $1.count : $0.move < $1.move }.map { "\($0.move) \($0.count)" }.joined(separator: ", ")
        return "\(members): \(up) up, \(down) down; \(tiers)"
    }

    /// How many awards change, and how many are flagged before and after.
    private func summary(of rows: [AuditDiffRow]) -> String {
        let before = rows.count { !$0.findingsBefore.isEmpty }, after = rows.count { !$0.findingsAfter.isEmpty }
        return "\(counted(rows.count, "award changes", "awards change")): \(before) flagged before, \(after) after"
    }

    private func verdicts(_ before: Bool, _ after: Bool) -> String {
        "\(before ? "breached" : "met") → \(after ? "breached" : "met")"
    }

    private func findings(_ findings: [String]) -> String { findings.isEmpty ? "justified" : findings.joined(separator: ", ") }
}
