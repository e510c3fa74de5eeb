import ArgumentParser
import TallyCore

struct Diff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "What a rule change would do, member by member, before anyone adopts it.")

    @OptionGroup var ledger: LedgerOptions
    @Option(help: "The proposed rules directory.") var rules: String
    @Option(help: "The rules to compare against (default: the built-in rules).") var base: String?
    @Option(parsing: .unconditional, help: "Compare as of this seq.") var at: UInt64?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try Console.run {
            let proposed = try Rules.load(directory: rules)
            let baseline = try base.map { try Rules.load(directory: $0) } ?? .builtIn
            let rows = try Console.withProgress(quiet: json) { show in
                try ledger.open().diff(rules: proposed, base: baseline, atSeq: at, progress: show.map(replaying))
            }
            let header = "\(summary(of: rows)) (\(baseline.engagement.name) → \(proposed.engagement.name))"
            Console.print(rows, json: json, header: header) { row in
                "\(column(row.member, 24)) \(column("\(row.scoreBefore) → \(row.scoreAfter)", 20)) \(row.tierBefore) → \(row.tierAfter)"
            }
        }
    }

    /// What the rows add up to, for the text header: how many members change, how many
    /// scores go up and down, and each move between tiers with how many members make it.
    private func summary(of rows: [DiffRow]) -> String {
        let members = rows.count == 1 ? "1 member changes" : "\(rows.count) members change"
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
}
