import ArgumentParser
import TallyCore

struct Query: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Print the events matching every given condition, as NDJSON, found through the indexes.")

    @OptionGroup var ledger: LedgerOptions

    @Option(help: "The event type.") var type: String?
    @Option(help: "Who did it.") var actor: String?
    @Option(help: "The member a points_award is for.") var member: String?
    @Option(help: "An id the event creates or names: a post, reply, quiz, complaint, action, or an award's ref.") var ref: String?
    @Option(help: "Events at or after this time (RFC 3339), or from the start of this UTC day (YYYY-MM-DD).") var since: String?
    @Option(help: "Events at or before this time (RFC 3339), or through the end of this UTC day (YYYY-MM-DD).") var until: String?
    @Option(name: .customLong("from"), parsing: .unconditional, help: "Events at or after this seq.") var fromSeq: UInt64 = 1
    @Option(parsing: .unconditional, help: "At most this many events.") var limit: Int?

    func validate() throws {
        try requireOneOf(EventType.allCases.map(\.rawValue), type, option: "--type")
        if let since, Timestamp.bound(since, endOfDay: false) == nil { throw ValidationError("--since: '\(since)' is not an RFC 3339 time or a date") }
        if let until, Timestamp.bound(until, endOfDay: true) == nil { throw ValidationError("--until: '\(until)' is not an RFC 3339 time or a date") }
        if let limit, limit < 0 { throw ValidationError("--limit must not be negative") }
    }

    func run() throws {
        var query = EventQuery()
        query.type = type.flatMap(EventType.init(rawValue:))
        query.actor = actor
        query.member = member
        query.ref = ref
        query.since = since.flatMap { Timestamp.bound($0, endOfDay: false) }
        query.until = until.flatMap { Timestamp.bound($0, endOfDay: true) }
        query.fromSeq = fromSeq
        query.limit = limit
        try Console.run {
            try ledger.open().queryLines(query, Console.writeLine)
        }
    }
}
