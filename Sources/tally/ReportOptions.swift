import ArgumentParser
import TallyCore

/// The options of the report commands: rules, time travel and JSON.
struct ReportOptions: ParsableArguments {
    @Option(help: "A directory of rule files (default: the built-in rules).")
    var rules: String?

    // Numbers take the next argument whatever it looks like, so that `--at -1` is refused
    // as a bad number, not as a missing one.
    @Option(parsing: .unconditional, help: "Report the state as of this seq (time travel).")
    var at: UInt64?

    @Flag(help: "Print JSON (CONTRACT.md section 6) instead of text.")
    var json = false

    /// The rules in force.
    func loadRules() throws -> Rules {
        try rules.map { try Rules.load(directory: $0) } ?? .builtIn
    }

    /// The projection under the rules in force, as of --at, holding `parts` (right for
    /// `member` alone, when given): read from the stored projections when they answer the
    /// question, else replayed from the log. A person at a terminal who would read stored
    /// projections but finds them stale or kept under other rules is told why the report
    /// takes longer.
    func projection(_ ledger: Ledger, _ parts: Projector.Parts, for member: String? = nil) throws -> Projector {
        let rules = try loadRules()
        if at == nil, member == nil, Console.errorIsTerminal {
            let stored = try ledger.projectionRules()
            if stored == rules, try !ledger.projectionsAreCurrent() {
                Console.error("tally: stored projections are stale (written by another build), so this replays the log; run tally rebuild")
            } else if self.rules == nil, stored != rules {
                Console.error("tally: the stored projections are kept under the adopted rules \(stored.engagement.name), so this replays the log under the built-in rules")
            }
        }
        return try Console.withProgress(quiet: json) { show in
            try ledger.projection(rules: rules, atSeq: at, parts: parts, for: member, progress: show.map(replaying))
        }
    }
}

/// A progress reporter for replays of the log, for ``Console/withProgress(quiet:_:)``.
func replaying(_ show: @escaping (String) -> Void) -> (UInt64) -> Void {
    { show("replaying: \($0) events") }
}

/// The `--since` and `--until` options of the reports that count whole UTC days.
struct DayRangeOptions: ParsableArguments {
    @Option(help: "From this UTC day (YYYY-MM-DD) on.") var since: String?
    @Option(help: "Through this UTC day (YYYY-MM-DD).") var until: String?

    func validate() throws {
        for (option, value) in [("--since", since), ("--until", until)] {
            if let value, Timestamp.day(iso8601: value) == nil {
                throw ValidationError("\(option): '\(value)' is not a date (YYYY-MM-DD); whole UTC days are counted")
            }
        }
        if let first = since.flatMap(Timestamp.day(iso8601:)), let last = until.flatMap(Timestamp.day(iso8601:)), first > last {
            throw ValidationError("--since \(since!) is after --until \(until!)")
        }
    }

    /// The days given, as day numbers; nil when neither option is.
    var days: ClosedRange<Int64>? {
        guard since != nil || until != nil else { return nil }
        return (since.flatMap(Timestamp.day(iso8601:)) ?? .min)...(until.flatMap(Timestamp.day(iso8601:)) ?? .max)
    }
}

/// The `--now` option of the SLA reports.
struct NowOption: ParsableArguments {
    @Option(help: "The time to measure SLAs against (RFC 3339; default: the wall clock).")
    var now: String?

    func validate() throws {
        if let now, Timestamp(rfc3339: now) == nil { throw ValidationError("--now: '\(now)' is not an RFC 3339 time") }
    }

    var timestamp: Timestamp { now.flatMap(Timestamp.init(rfc3339:)) ?? .now() }
}

/// Refuses `value`, given for `option`, unless it is one of `allowed`.
func requireOneOf(_ allowed: [String], _ value: String?, option: String) throws {
    guard let value, !allowed.contains(value) else { return }
    throw ValidationError("\(option) must be one of \(allowed.joined(separator: ", ")), not '\(value)'")
}

/// Pads text to a column width, in the columns a terminal gives it: Chinese, Japanese and
/// Korean characters and emoji take two, so that tables of such names stay aligned.
func column(_ text: String, _ width: Int) -> String {
    let used = text.reduce(0) { $0 + $1.terminalColumns }
    return used >= width ? text : text + String(repeating: " ", count: width - used)
}

extension Character {
    /// How many terminal columns the character takes: two for East Asian wide and
    /// full-width characters and for emoji, else one.
    var terminalColumns: Int {
        guard let first = unicodeScalars.first else { return 0 }
        if first.properties.isEmojiPresentation || unicodeScalars.contains("\u{FE0F}") { return 2 }
        switch first.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }
}
