import ArgumentParser
import TallyCore

struct Rebuild: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Rebuild every stored projection (the state of the reports) from the log, atomically.",
        discussion: """
            The stored projections are kept under the built-in rules unless the ledger adopted others \
            with --rules: every later write then keeps them in step under those rules, reports given \
            the same rules read them in milliseconds, and reports under the built-in rules replay the log. \
            A rebuild without --rules keeps the rules the projections are kept under.
            """)

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions

    @Flag(help: "Also rebuild the indexes, entity registries and points balances (no rule change alters them).")
    var all = false

    @Option(help: "Adopt the rules of this directory for the stored projections.")
    var rules: String?

    @Flag(help: "Keep the stored projections under the built-in rules again.")
    var builtInRules = false

    func validate() throws {
        if rules != nil, builtInRules { throw ValidationError("--rules and --built-in-rules exclude each other") }
    }

    func run() throws {
        try Console.run {
            let adopted = try builtInRules ? .builtIn : rules.map { try Rules.load(directory: $0) }
            let count = try Console.withProgress(quiet: output.json) { show in
                try ledger.open().rebuild(
                    all ? .everything : .projections, adopting: adopted, progress: show.map { show in { show("rebuilding: \($0) events") } })
            }
            if output.json {
                Console.print(json: .object(JSONObject([("events", .integer(Int64(count)))])))
            } else {
                Console.print("rebuilt from \(count) events" + (adopted.map { " under the rules \($0.engagement.name)" } ?? ""))
            }
        }
    }
}
