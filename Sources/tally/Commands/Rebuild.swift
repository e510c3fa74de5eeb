import ArgumentParser
import TallyCore

struct Rebuild: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rebuild every stored projection (indexes, registries, balances, report state) from the log, atomically.")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try Console.run {
            let count = try Console.withProgress(json: output.json) { show in
                try ledger.open().rebuild(progress: show.map { show in { show("rebuilding: \($0) events") } })
            }
            if output.json {
                Console.print(json: .object(JSONObject([("events", .integer(Int64(count)))])))
            } else {
                Console.print("rebuilt from \(count) events")
            }
        }
    }
}
