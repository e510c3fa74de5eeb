import ArgumentParser
import TallyCore

struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a hot, consistent, compacted copy of the ledger into a new directory.")

    @OptionGroup var ledger: LedgerOptions

    @Argument(help: "The destination directory; it must not exist.")
    var destination: String

    func validate() throws {
        if destination.isEmpty { throw ValidationError("the destination's path is empty") }
    }

    func run() throws {
        try Console.run {
            try ledger.open().backup(to: destination)
            Console.print("backed up \(ledger.path) to \(destination)")
        }
    }
}
