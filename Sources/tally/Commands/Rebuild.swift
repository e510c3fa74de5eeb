import ArgumentParser
import TallyCore

struct Rebuild: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rebuild every stored projection (indexes, registries, balances) from the log, atomically.")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try Console.run {
            let showProgress = Console.showsProgress(json: output.json)
            let count = try ledger.open().rebuild(progress: showProgress ? { Console.progress("rebuilding: \($0) events") } : nil)
            if showProgress { Console.endProgress() }
            if output.json {
                Console.print(json: .object(JSONObject([("events", .integer(Int64(count)))])))
            } else {
                Console.print("rebuilt from \(count) events")
            }
        }
    }
}
