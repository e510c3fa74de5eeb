import Foundation
import TallyCore

/// `tally-bench`: the standard workload through Tally and its peers, side by side in one run.
///
///     swift run -c release tally-bench [--events FILE] [--work DIR] [--no-peers]
///
/// FILE defaults to /tmp/ev1m.ndjson, generated with ../shared/bench/gen_events.py
/// --events 1000000 --seed 7 when missing. Prints a Markdown table and a JSON line.
@main
struct Benchmark {
    static func main() throws {
        var arguments = Array(CommandLine.arguments.dropFirst())
        func option(_ name: String) -> String? {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
            defer { arguments.removeSubrange(index...(index + 1)) }
            return arguments[index + 1]
        }
        let events = option("--events") ?? "/tmp/ev1m.ndjson"
        let work = option("--work") ?? NSTemporaryDirectory() + "tally-bench"
        let peers = !arguments.contains("--no-peers")
        let bench = try Workload(events: events, work: work)
        var results = Results()
        try bench.measureTally(into: &results)
        if peers { bench.measurePeers(into: &results) }
        results.print()
    }
}

/// Collected figures, in the order measured.
struct Results {
    var rows: [(name: String, value: String)] = []
    var json: [String: Double] = [:]

    mutating func add(_ name: String, _ key: String, _ value: Double, unit: String) {
        rows.append((name, unit == "ms" ? String(format: "%.3f ms", value) : "\(Int(value.rounded())) \(unit)"))
        json[key] = value
    }

    func print() {
        Swift.print("| measure | value |\n|---|---|")
        for row in rows { Swift.print("| \(row.name) | \(row.value) |") }
        let data = try! JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
        Swift.print(String(decoding: data, as: UTF8.self))
    }
}
