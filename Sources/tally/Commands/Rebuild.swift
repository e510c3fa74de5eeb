import ArgumentParser
import TallyCore

struct Rebuild: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rebuild",
        abstract: "Rebuild every stored projection (the state of the reports) from the log, atomically.")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions

    @Flag(help: "Also rebuild the indexes, entity registries and points balances (no rule change alters them).")
    var all = false

    func run() throws {
        try Console.run {
            let count = try Console.withProgress(quiet: output.json) { show in
                try ledger.open().rebuild(all ? .everything : .projections, progress: show.map { show in { show("rebuilding: \($0) events") } })
            }
            if output.json {
                Console.print(json: .object(JSONObject([("events", .integer(Int64(count)))])))
            } else {
                Console.print("rebuilt from \(count) events")
            }
        }
    }
}
