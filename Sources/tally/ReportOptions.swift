import ArgumentParser
import TallyCore

/// The options of the report commands: rules, time travel and the output, whose choices
/// `Output` gives (``TableOutputOptions``, or ``OutputOptions`` for `explain`).
struct ReportOptions<Output: OutputChoice>: ParsableArguments {
    @Option(help: "A directory of rule files (default: the built-in rules).")
    var rules: String?

    @OptionGroup var position: PositionOptions

    @OptionGroup var output: Output

    /// The output asked for.
    var format: OutputFormat { output.format }

    /// The rules in force.
    func loadRules() throws -> Rules {
        try rules.map { try Rules.load(directory: $0) } ?? .builtIn
    }

    /// The projection under the rules in force, as of `atSeq` (``PositionOptions/seq(in:)``;
    /// nil for the head), holding `parts` (right for `member` alone, when given): read from
    /// the stored projections when they answer the question, else replayed from the log. A person at a terminal who would read stored
    /// projections but finds them stale or kept under other rules is told why the report
    /// takes longer.
    func projection(_ ledger: Ledger, _ parts: Projector.Parts, at atSeq: UInt64?, for member: String? = nil) throws -> Projector {
        let rules = try loadRules()
        if atSeq == nil, member == nil, Console.errorIsTerminal {
            let stored = try ledger.projectionRules()
            if stored == rules, try !ledger.projectionsAreCurrent() {
                Console.error("tally: stored projections are stale (written by another build), so this replays the log; run tally rebuild")
            } else if self.rules == nil, stored != rules {
                Console.error("tally: the stored projections are kept under the adopted rules \(stored.engagement.name), so this replays the log under the built-in rules")
            }
        }
        return try Console.withProgress(quiet: format != .text) { show in
            try ledger.projection(rules: rules, atSeq: atSeq, parts: parts, for: member, progress: show.map(replaying))
        }
    }
}

/// A progress reporter for replays of the log, for ``Console/withProgress(quiet:_:)``.
func replaying(_ show: @escaping (String) -> Void) -> (UInt64) -> Void {
    { show("replaying: \($0) events") }
}

/// Refuses `value`, given for `option`, unless it is one of `allowed`.
func requireOneOf(_ allowed: [String], _ value: String?, option: String) throws {
    guard let value, !allowed.contains(value) else { return }
    throw ValidationError("\(option) must be one of \(allowed.joined(separator: ", ")), not '\(value)'")
}
