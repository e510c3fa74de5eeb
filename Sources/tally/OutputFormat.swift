import ArgumentParser

/// How a report is printed: text for people, JSON (CONTRACT.md section 6) for scripts, CSV
/// for spreadsheets.
enum OutputFormat {
    case text, json, csv
}

/// The output options of a command: ``OutputOptions`` (text or JSON) or
/// ``TableOutputOptions`` (text, JSON or CSV, for the reports made of rows).
protocol OutputChoice: ParsableArguments {
    /// The output asked for.
    var format: OutputFormat { get }
}

/// `--json` and `--csv`.
struct TableOutputOptions: OutputChoice {
    @Flag(help: "Print JSON (CONTRACT.md section 6) instead of text.")
    var json = false

    @Flag(help: "Print CSV (a header, then a line per row) instead of text, for spreadsheets.")
    var csv = false

    func validate() throws {
        if json, csv { throw ValidationError("--json and --csv exclude each other") }
    }

    var format: OutputFormat { json ? .json : csv ? .csv : .text }
}
