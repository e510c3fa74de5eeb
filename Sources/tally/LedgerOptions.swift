import ArgumentParser
import TallyCore

#if canImport(Glibc)
import Glibc
#endif

/// The options every command takes.
struct LedgerOptions: ParsableArguments {
    @Option(name: .long, help: "The ledger directory (default: $TALLY_DB, else ./tally.db).")
    var db: String?

    @Flag(help: "When this command creates the ledger, give the owner's group read and write access (default: owner only).")
    var sharedGroup = false

    func validate() throws {
        if db?.isEmpty == true { throw ValidationError("--db: the ledger's path is empty") }
    }

    /// The ledger path in force.
    var path: String {
        if let db { return db }
        if let fromEnvironment = getenv("TALLY_DB"), fromEnvironment.pointee != 0 { return String(cString: fromEnvironment) }
        return "./tally.db"
    }

    /// Opens the ledger; only appending commands create it.
    func open(create: Bool = false) throws -> Ledger {
        try Ledger(path: path, options: Ledger.Options(create: create, sharedGroup: sharedGroup))
    }
}

/// The `--json` flag of commands that print a report.
struct OutputOptions: OutputChoice {
    @Flag(help: "Print JSON (CONTRACT.md section 6) instead of text.")
    var json = false

    var format: OutputFormat { json ? .json : .text }
}
