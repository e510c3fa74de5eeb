import ArgumentParser
import TallyCore

struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Counts by type, size and the last seq.")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try Console.run {
            let stats = try ledger.open().stats()
            if output.json {
                let byType = JSONObject(stats.byType.map { ($0.type.rawValue, JSONValue.integer(Int64($0.count))) })
                Console.print(json: .object(JSONObject([
                    ("events", .integer(Int64(stats.events))), ("last_seq", .integer(Int64(stats.events))),
                    ("by_type", .object(byType)), ("actors", .integer(Int64(stats.actors))),
                    ("file_bytes", .integer(Int64(stats.fileBytes))), ("used_bytes", .integer(Int64(stats.usedBytes))),
                    ("head", .string(stats.head)),
                    ("projections", .string(stats.projectionsAreCurrent ? "current" : "stale")),
                    ("projection_rules", .string(stats.projectionRules.engagement.name)),
                    ("projection_rules_built_in", .bool(stats.projectionRules == .builtIn)),
                ])))
                return
            }
            Console.print("events     \(stats.events) (last seq \(stats.events))")
            Console.print("actors     \(stats.actors)")
            Console.print("file       \(stats.fileBytes) bytes (\(stats.usedBytes) in use)")
            Console.print("head       \(stats.head)")
            Console.print("reports    \(stats.projectionsAreCurrent ? "read from stored projections" : "replayed: stored projections are stale, run tally rebuild")")
            if stats.projectionRules != .builtIn {
                Console.print("rules      \(stats.projectionRules.engagement.name), adopted: reports given these --rules read the stored projections, others replay")
            }
            for (type, count) in stats.byType { Console.print("  \(column(type.rawValue, 20)) \(count)") }
        }
    }
}
