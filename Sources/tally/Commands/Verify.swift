import ArgumentParser
import TallyCore

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the hash chain, that seq has no gap, and every index against the log.",
        discussion: "Exits 1 naming the first bad seq when anything is wrong.")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try Console.run {
            let report = try Console.withProgress(json: output.json) { show in
                try ledger.open().verify(progress: show.map { show in { show("verifying: \($0) events") } })
            }
            if output.json {
                var object = JSONObject([("ok", .bool(report.ok)), ("events", .integer(Int64(report.events))), ("head", .string(report.head))])
                if let bad = report.firstBadSeq { object.members.append(("first_bad_seq", .integer(Int64(bad)))) }
                if let problem = report.problem { object.members.append(("problem", .string(problem))) }
                Console.print(json: .object(object))
            } else if report.ok {
                Console.print("ok: \(report.events) events, chain head \(report.head)")
            } else {
                Console.print("BAD at seq \(report.firstBadSeq ?? 0): \(report.problem ?? "")")
            }
            if !report.ok { throw ExitCode(1) }
        }
    }
}
