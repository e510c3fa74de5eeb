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

/// The `--now` option of the SLA reports.
struct NowOption: ParsableArguments {
    @Option(help: "The time to measure SLAs against (RFC 3339; default: the wall clock).")
    var now: String?

    func validate() throws {
        if let now, Timestamp(rfc3339: now) == nil { throw ValidationError("--now: '\(now)' is not an RFC 3339 time") }
    }

    var timestamp: Timestamp { now.flatMap(Timestamp.init(rfc3339:)) ?? .now() }
}
