import ArgumentParser
import TallyCore

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the hash chain, that seq has no gap, and every index against the log.",
        discussion: "Exits 1 naming the first bad seq when anything is wrong.")

    @OptionGroup var ledger: LedgerOptions
    @OptionGroup var output: OutputOptions

    @Flag(help: "Also replay the log and compare the stored projections with it, entry by entry.")
    var projections = false

    func run() throws {
        if !Supervisor.isChild, let ending = Supervisor.runChild() {
            return try Console.run { try report(ending) }
        }
        try Console.run {
            let opened = try ledger.open()
            let report = try Console.withProgress(quiet: output.json) { show in
                try opened.verify(progress: show.map { show in { show("verifying: \($0) events") } })
            }
            let check = try projections ? Console.withProgress(quiet: output.json) { show in
                try opened.verifyProjections(progress: show.map { show in { show("replaying: \($0) events") } })
            } : nil
            if output.json {
                var object = JSONObject([("ok", .bool(report.ok)), ("events", .integer(Int64(report.events))), ("head", .string(report.head))])
                if let bad = report.firstBadSeq { object.members.append(("first_bad_seq", .integer(Int64(bad)))) }
                if let problem = report.problem { object.members.append(("problem", .string(problem))) }
                if let check {
                    object.members.append(("projections", .string(check.name)))
                    if let problem = check.problem { object.members.append(("projection_problem", .string(problem))) }
                }
                Console.print(json: .object(object))
            } else {
                if report.ok {
                    Console.print("ok: \(report.events) events, chain head \(report.head)")
                } else {
                    Console.print("BAD at seq \(report.firstBadSeq ?? 0): \(report.problem ?? "")")
                }
                if let check { Console.print("projections: \(check.name)" + (check.problem.map { ": \($0)" } ?? "")) }
            }
            if !report.ok || check?.problem != nil { throw ExitCode(1) }
        }
    }
}

extension Verify {
    /// Ends as the child that did the checks did; one that died of a fault is reported as
    /// damage that LMDB could not read (no seq can be named).
    private func report(_ ending: Supervisor.Ending) throws {
        switch ending {
        case .exited(let status):
            if status != 0 { throw ExitCode(status) }
        case .signalled(let signal) where ending.isFault:
            let problem = "LMDB stopped with signal \(signal) reading data.mdb: pages are damaged where no check reaches; restore a backup (docs/operations.md)"
            if output.json {
                Console.print(json: .object(JSONObject([("ok", .bool(false)), ("events", .integer(0)), ("head", .string(String(repeating: "0", count: 64))),
                                                        ("first_bad_seq", .null), ("problem", .string(problem))])))
            } else {
                Console.print("BAD: \(problem)")
            }
            throw ExitCode(1)
        case .signalled(let signal):
            throw ExitCode(128 + signal)
        }
    }
}

extension ProjectionCheck {
    /// `ok`, `stale` or `differ`.
    var name: String {
        switch self {
        case .ok: "ok"
        case .stale: "stale"
        case .differs: "differ"
        }
    }

    /// Where and how the stored projections differ from a replay; nil unless they do.
    var problem: String? {
        guard case .differs(let table, let key, let problem) = self else { return nil }
        return "\(table), key \(key): \(problem)"
    }
}
