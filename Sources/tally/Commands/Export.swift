import ArgumentParser
import TallyCore

#if canImport(Glibc)
import Glibc
#endif

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print stored events as NDJSON, with seq, recorded and hash.")

    @OptionGroup var ledger: LedgerOptions

    @Option(name: .customLong("from"), parsing: .unconditional, help: "Start at this seq.")
    var fromSeq: UInt64 = 1

    func run() throws {
        try Console.run {
            let opened = try ledger.open()
            // Progress only when the lines go elsewhere than the terminal it is shown on.
            try Console.withProgress(quiet: isatty(1) == 1) { show in
                try opened.exportLines(fromSeq: fromSeq, progress: show.map { show in { show("exporting: \($0) events") } }, Console.writeLine)
            }
        }
    }
}
