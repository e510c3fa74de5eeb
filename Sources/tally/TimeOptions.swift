import ArgumentParser
import TallyCore

/// The `--since` and `--until` options of the reports that count whole UTC days.
struct DayRangeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("From this UTC day (YYYY-MM-DD) on.", valueName: "day")) var since: String?
    @Option(help: ArgumentHelp("Through this UTC day (YYYY-MM-DD).", valueName: "day")) var until: String?

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

/// The `--by` option of the reports that count per day, ISO week or month.
struct PeriodOption: ParsableArguments {
    @Option(help: "The period: day, week (ISO, from Monday) or month.") var by = ActivityPeriod.week.rawValue

    func validate() throws {
        try requireOneOf(ActivityPeriod.allCases.map(\.rawValue), by, option: "--by")
    }

    /// The period asked for.
    var period: ActivityPeriod { ActivityPeriod(rawValue: by) ?? .week }
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

/// `--at SEQ` or `--as-of TIME`: the position of the log a report is made as of (time travel).
struct PositionOptions: ParsableArguments {
    // Numbers take the next argument whatever it looks like, so that `--at -1` is refused
    // as a bad number, not as a missing one.
    @Option(parsing: .unconditional, help: "Report the state as of this seq (time travel).")
    var at: UInt64?

    @Option(help: ArgumentHelp(
        "Report the state as of this time (RFC 3339, or a UTC day YYYY-MM-DD for its end): after every event before the first one whose time is later.",
        valueName: "time"))
    var asOf: String?

    func validate() throws {
        if at != nil, asOf != nil { throw ValidationError("--at and --as-of exclude each other") }
        if let asOf, Timestamp.bound(asOf, endOfDay: true) == nil {
            throw ValidationError("--as-of: '\(asOf)' is neither an RFC 3339 time nor a date (YYYY-MM-DD)")
        }
    }

    /// The seq asked for; nil for the head of the log.
    func seq(in ledger: Ledger) throws -> UInt64? {
        try at ?? asOf.flatMap { Timestamp.bound($0, endOfDay: true) }.map(ledger.seq(asOf:))
    }
}

extension Timestamp {
    /// The time `text` gives: an RFC 3339 time, or a UTC date standing for its first
    /// millisecond (or, with `endOfDay`, its last).
    static func bound(_ text: String, endOfDay: Bool) -> Timestamp? {
        if let time = Timestamp(rfc3339: text) { return time }
        guard let day = Timestamp.day(iso8601: text) else { return nil }
        let start = day * Timestamp.millisecondsPerDay
        return Timestamp(milliseconds: endOfDay ? start + Timestamp.millisecondsPerDay - 1 : start)
    }
}
