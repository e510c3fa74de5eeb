import ArgumentParser
import TallyCore

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print stored events as NDJSON, with seq, recorded and hash.")

    @OptionGroup var ledger: LedgerOptions

    @Option(name: .customLong("from"), help: "Start at this seq.")
    var fromSeq: UInt64 = 1

    func run() throws {
        try Console.run {
            try ledger.open().exportLines(fromSeq: fromSeq, Console.writeLine)
        }
    }
}
