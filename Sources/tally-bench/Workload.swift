import Foundation
import TallyCore

/// The standard workload and the measurements made on it.
struct Workload {
    let events: String
    let work: String
    let tally: String
    let shared: URL

    init(events: String, work: String) throws {
        self.events = events
        self.work = work
        let binaryDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        tally = binaryDirectory.appendingPathComponent("tally").path
        shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/bench")
        try? FileManager.default.removeItem(atPath: work)
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: events) {
            Swift.print("generating \(events)…")
            _ = try Subprocess.run("/bin/sh", ["-c", "python3 '\(shared.path)/gen_events.py' --events 1000000 --seed 7 > '\(events)'"])
        }
    }

    var eventCount: Double {
        Double((try? String(contentsOfFile: events, encoding: .utf8))?.split(separator: "\n").count ?? 0)
    }

    func measureTally(into results: inout Results) throws {
        let count = eventCount
        let path = work + "/ledger"
        let ledger = try Ledger(path: path, options: .init(create: true))
        let fd = open(events, O_RDONLY)
        let importTime = try Clock.measure { _ = try ledger.importNDJSON(fd: fd, name: events) }
        close(fd)
        results.add("import (one transaction, fsync at commit)", "import_eps", count / importTime, unit: "events/s")

        let exportTime = try Clock.measure {
            var bytes = 0
            try ledger.exportLines { bytes += $0.count + 1 }
        }
        results.add("export (NDJSON lines from stored records)", "export_eps", count / exportTime, unit: "events/s")

        let verifyTime = try Clock.measure {
            let report = try ledger.verify()
            precondition(report.ok, "verify failed on the benchmark ledger")
        }
        results.add("verify (chain + every index)", "verify_eps", count / verifyTime, unit: "events/s")
        // As users run it: in this process, it reads what the import just wrote through a map
        // whose pages the import's own reads and writes have left behind.
        let verifyProcessTime = try timeProcesses("verify --json --db '\(path)'", runs: 5)[2]
        results.add("`tally verify`, process included (median of 5)", "verify_process_eps", count / verifyProcessTime, unit: "events/s")

        let busy = try busiestActor(rank: 100, ledger)
        var latencies: [Double] = []
        for _ in 0..<1000 {
            var query = EventQuery()
            query.actor = busy
            latencies.append(try Clock.measure { try ledger.queryLines(query) { _ in } })
        }
        latencies.sort()
        results.add("query --actor \(busy) p50", "query_p50_ms", latencies[500] * 1000, unit: "ms")
        results.add("query --actor \(busy) p99", "query_p99_ms", latencies[989] * 1000, unit: "ms")

        try measureReports(ledger, into: &results)
        let replayTime = try Clock.measure { _ = try ledger.replay(rules: [.builtIn]) }
        results.add("replay of every projection, in memory (--rules, --at)", "replay_eps", count / replayTime, unit: "events/s")
        let projectionsTime = try Clock.measure {
            let check = try ledger.verifyProjections()
            precondition(check == .ok, "the benchmark ledger's stored projections differ from a replay")
        }
        results.add("verify --projections (replay and compare)", "verify_projections_eps", count / projectionsTime, unit: "events/s")
        let rebuildTime = try Clock.measure { try ledger.rebuild() }
        results.add("rebuild of the stored projections (`tally rebuild`)", "rebuild_eps", count / rebuildTime, unit: "events/s")
        let rebuildAllTime = try Clock.measure { try ledger.rebuild(.everything) }
        results.add("rebuild of indexes, registries and stored projections (`--all`)", "rebuild_all_eps", count / rebuildAllTime, unit: "events/s")
        var rules = Rules.builtIn
        rules.engagement.upvoteReceived = 5
        let diffTime = try Clock.measure { _ = try ledger.diff(rules: rules) }
        results.add("diff under another rule set", "diff_ms", diffTime * 1000, unit: "ms")

        sync()  // appends should not pay for flushing what the rebuild just wrote
        let appendTimes = try timeProcesses("append post --actor bench post=bench-$i --db '\(path)'", runs: 30)
        results.add("single `tally append`, process start included (median of 30)", "append_ms", appendTimes[15] * 1000, unit: "ms")

        try measureImportIntoALargeLedger(into: &results)

        let rssPath = work + "/rss-ledger"
        let peak = try Subprocess.peakRSSKilobytes(tally, ["import", events, "--db", rssPath, "--json"], scratch: work + "/time.txt")
        results.add("peak RSS of `tally import` (whole process)", "import_peak_rss_mb", Double(peak) / 1024, unit: "MiB")
    }

    /// A day's file into a long-lived ledger: the last tenth of the events imported into a
    /// ledger that holds the first nine tenths (imported untimed). Its look-ups search B-trees
    /// that hold most keys already, and its writes change pages all over them.
    private func measureImportIntoALargeLedger(into results: inout Results) throws {
        let lines = try String(contentsOfFile: events, encoding: .utf8).split(separator: "\n")
        let head = work + "/head.ndjson", tail = work + "/tail.ndjson"
        let split = lines.count * 9 / 10
        try (lines[..<split].joined(separator: "\n") + "\n").write(toFile: head, atomically: false, encoding: .utf8)
        try (lines[split...].joined(separator: "\n") + "\n").write(toFile: tail, atomically: false, encoding: .utf8)
        let ledger = try Ledger(path: work + "/large-ledger", options: .init(create: true))
        func importFile(_ path: String) throws {
            let fd = open(path, O_RDONLY)
            defer { close(fd) }
            _ = try ledger.importNDJSON(fd: fd, name: path)
        }
        try importFile(head)
        let time = try Clock.measure { try importFile(tail) }
        results.add("import of the last tenth into a ledger holding the rest", "import_tail_eps", Double(lines.count - split) / time, unit: "events/s")
    }

    /// The reports read from stored projections: in process (median of 20), and as whole
    /// `tally` processes from a shell (median of 10).
    private func measureReports(_ ledger: Ledger, into results: inout Results) throws {
        let current = try ledger.projectionsAreCurrent()
        precondition(current, "the benchmark ledger's stored projections are not current")
        let now = Timestamp(rfc3339: "2026-06-01T00:00:00Z")!
        let reports: [(name: String, key: String, arguments: String, run: () throws -> Int)] = [
            ("scores --top 100", "scores_top100", "scores --top 100", { try ledger.projection(parts: .members).scores().prefix(100).count }),
            ("complaints", "complaints", "complaints --now 2026-06-01T00:00:00Z",
             { try ledger.projection(parts: .complaints).complaintRows(now: now).count }),
            ("actions", "actions", "actions --now 2026-06-01T00:00:00Z", { try ledger.projection(parts: .actions).actionRows(now: now).count }),
        ]
        for report in reports {
            var times: [Double] = []
            for _ in 0..<20 { times.append(try Clock.measure { _ = try report.run() }) }
            results.add("`\(report.name)` from stored state, in process (median of 20)", report.key + "_ms", times.sorted()[10] * 1000, unit: "ms")
            let processTimes = try timeProcesses("\(report.arguments) --json --db '\(ledger.path)'", runs: 10)
            results.add("`tally \(report.name) --json`, process included (median of 10)", report.key + "_process_ms", processTimes[5] * 1000, unit: "ms")
        }
    }

    /// The wall times, in seconds and sorted, of `runs` `tally` processes given `arguments`
    /// (a shell word list, in which `$i` is the run's number). Timed from a small shell:
    /// forking this large process would dominate the figures.
    private func timeProcesses(_ arguments: String, runs: Int) throws -> [Double] {
        let script = "for i in $(seq 1 \(runs)); do s=$(date +%s%N); '\(tally)' \(arguments) >/dev/null; e=$(date +%s%N); echo $((e - s)); done"
        return try Subprocess.run("/bin/sh", ["-c", script]).output.split(separator: "\n").compactMap { Double($0) }.map { $0 / 1e9 }.sorted()
    }

    private func busiestActor(rank: Int, _ ledger: Ledger) throws -> String {
        var counts: [String: Int] = [:]
        try ledger.export { counts[$0.event.actor, default: 0] += 1 }
        let ranked = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        return ranked[min(rank, ranked.count) - 1].key
    }

    func measurePeers(into results: inout Results) {
        let limit = work + "/lmdb_limit"
        if (try? Subprocess.run("/usr/bin/gcc", ["-O2", "-o", limit, shared.path + "/peers/lmdb_limit.c", "-llmdb"])) != nil {
            let directory = work + "/climdb"
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            if let run = try? Subprocess.run(limit, [directory, "1000000", "177"]), let figures = Self.jsonNumbers(run.output) {
                results.add("peer: raw LMDB puts incl. commit (lmdb_limit.c)", "peer_lmdb_puts_eps", figures["puts_incl_commit_per_s"] ?? 0, unit: "values/s")
                results.add("peer: raw LMDB scan (lmdb_limit.c)", "peer_lmdb_scan_eps", figures["scan_per_s"] ?? 0, unit: "values/s")
            }
        }
        if let run = try? Subprocess.run("/usr/bin/env", ["python3", shared.path + "/peers/peer_sqlite.py", "--events", events,
                                                          "--db", work + "/sqlite.db", "--scores-out", work + "/scores.sqlite.json"]),
           let figures = Self.jsonNumbers(run.output) {
            results.add("peer: SQLite import", "peer_sqlite_import_eps", figures["import_eps"] ?? 0, unit: "events/s")
            results.add("peer: SQLite scores rebuild", "peer_sqlite_rebuild_eps", figures["rebuild_eps"] ?? 0, unit: "events/s")
            results.add("peer: SQLite point query p99", "peer_sqlite_query_p99_ms", figures["query_p99_ms"] ?? 0, unit: "ms")
        }
        // The system interpreter: Debian's python3-psycopg2 lives there.
        if let run = try? Subprocess.run("/usr/bin/python3", [shared.path + "/peers/peer_postgres.py", "--events", events,
                                                             "--scores-out", work + "/scores.postgres.json", "--appends", "100"]),
           let figures = Self.jsonNumbers(run.output) {
            results.add("peer: PostgreSQL import", "peer_postgres_import_eps", figures["import_eps"] ?? 0, unit: "events/s")
            results.add("peer: PostgreSQL scores rebuild", "peer_postgres_rebuild_eps", figures["rebuild_eps"] ?? 0, unit: "events/s")
            results.add("peer: PostgreSQL point query p99", "peer_postgres_query_p99_ms", figures["query_p99_ms"] ?? 0, unit: "ms")
        }
    }

    private static func jsonNumbers(_ text: String) -> [String: Double]? {
        guard let line = text.split(separator: "\n").last(where: { $0.hasPrefix("{") }),
              let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
        return object.compactMapValues { ($0 as? NSNumber)?.doubleValue }
    }
}
