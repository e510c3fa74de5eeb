import ArgumentParser
import TallyCore

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Show the rules in force as rule files, or write them out to edit.",
        discussion: """
            Without options: the rules this ledger keeps its stored projections under (the built-in \
            rules, unless it adopted others with rebuild --rules). --rules DIR checks a directory's \
            files and shows what they say, every rule spelled out; --built-in-rules shows the built-in \
            ones. Neither needs a ledger. --write DIR writes the rules as the three rule files, to edit \
            and try with diff --rules DIR.
            """)

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions

    @Option(help: "Check and show the rules of this directory instead.")
    var rules: String?

    @Flag(help: "Show the built-in rules instead.")
    var builtInRules = false

    @Option(help: ArgumentHelp("Write the rules as rule files into this directory (created if need be; rule files already there are never overwritten).", valueName: "dir"))
    var write: String?

    func validate() throws {
        if rules != nil, builtInRules { throw ValidationError("--rules and --built-in-rules exclude each other") }
        if write?.isEmpty == true { throw ValidationError("--write: the directory's path is empty") }
    }

    func run() throws {
        try Console.run {
            let (shown, source) = try rulesShown()
            if let write {
                try shown.write(directory: write)
                let paths = shown.files.map { "\(write)/\($0.name)" }
                if output.json {
                    Console.print(json: .object(JSONObject([("rules", .string(shown.engagement.name)), ("files", .array(paths.map(JSONValue.string)))])))
                } else {
                    Console.print("wrote the rules \(shown.engagement.name) (\(describe(source))) to \(paths.joined(separator: ", "))")
                }
            } else if output.json {
                var json = shown.json
                json.members.insert(("source", .string(source)), at: 1)
                Console.print(json: .object(json))
            } else {
                Console.print("# \(shown.engagement.name): \(describe(source))")
                for file in shown.files { Console.print("\n# ==> \(file.name) <==\n\(file.text.dropLast())") }
            }
        }
    }

    private func describe(_ source: String) -> String {
        switch source {
        case "directory": "the rules of \(rules ?? "")"
        case "adopted": "adopted by this ledger with rebuild --rules; its stored projections are kept under them"
        default: builtInRules ? "the built-in rules" : "the built-in rules, which this ledger's stored projections are kept under"
        }
    }

    /// The rules to show and where they come from: `directory`, `built-in` or `adopted`.
    private func rulesShown() throws -> (Rules, String) {
        if let rules { return (try Rules.load(directory: rules), "directory") }
        if builtInRules { return (.builtIn, "built-in") }
        let kept = try ledger.open().projectionRules()
        return (kept, kept == .builtIn ? "built-in" : "adopted")
    }
}
