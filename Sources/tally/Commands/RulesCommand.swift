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
                    Console.print("wrote the rules \(shown.engagement.name) (\(source.description)) to \(paths.joined(separator: ", "))")
                }
            } else if output.json {
                var json = shown.json
                json.members.insert(("source", .string(source.name)), at: 1)
                Console.print(json: .object(json))
            } else {
                Console.print("# \(shown.engagement.name): \(source.description)")
                for file in shown.files { Console.print("\n# ==> \(file.name) <==\n\(file.text.dropLast())") }
            }
        }
    }

    /// Where the rules shown come from.
    private enum Source {
        case directory(String), builtIn, keptBuiltIn, adopted

        /// The `source` of the JSON.
        var name: String {
            switch self {
            case .directory: "directory"
            case .builtIn, .keptBuiltIn: "built-in"
            case .adopted: "adopted"
            }
        }

        var description: String {
            switch self {
            case .directory(let path): "the rules of \(path)"
            case .builtIn: "the built-in rules"
            case .keptBuiltIn: "the built-in rules, which this ledger's stored projections are kept under"
            case .adopted: "adopted by this ledger with rebuild --rules; its stored projections are kept under them"
            }
        }
    }

    /// The rules to show and where they come from.
    private func rulesShown() throws -> (Rules, Source) {
        if let rules { return (try Rules.load(directory: rules), .directory(rules)) }
        if builtInRules { return (.builtIn, .builtIn) }
        let kept = try ledger.open().projectionRules()
        return (kept, kept == .builtIn ? .keptBuiltIn : .adopted)
    }
}
