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
            let rows = try ledger.open().diff(rules: proposed, base: baseline, atSeq: at)
            Console.print(rows, json: json, header: "\(rows.count) members change (\(baseline.engagement.name) → \(proposed.engagement.name))") { row in
                "\(column(row.member, 24)) \(column("\(row.scoreBefore) → \(row.scoreAfter)", 20)) \(row.tierBefore) → \(row.tierAfter)"
            }
        }
    }
}
