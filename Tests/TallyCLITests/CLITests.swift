import Foundation
import Testing
@testable import tally
import TallyCore

/// The built `tally` binary, next to the test bundle.
let tallyBinary: String = {
    let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("tally").path
    if FileManager.default.isExecutableFile(atPath: beside) { return beside }
    return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/debug/tally").path
}()

let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs `tally` with `arguments`, feeding `input` on standard input.
@discardableResult
func tally(_ arguments: [String], input: String? = nil) throws -> Run {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tallyBinary)
    process.arguments = arguments
    let out = Pipe(), err = Pipe(), inPipe = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = inPipe
    try process.run()
    if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
    try inPipe.fileHandleForWriting.close()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
}

func temporaryPath(_ name: String = "ledger") -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("tally-cli-\(name)-\(UUID().uuidString)").path
}

func json(_ text: String) throws -> JSONValue { try JSONReader.parse(Array(text.utf8)) }

/// The sample community (`events/samples/community.ndjson`) imported into a fresh ledger,
/// with a directory of rule files beside it. `defer { sample.remove() }` removes both.
struct SampleLedger {
    let path = temporaryPath()
    let rules = temporaryPath("rules")

    /// - Parameter ruleFiles: rule file name → text, written into ``rules``.
    init(ruleFiles: [String: String] = [:]) throws {
        try tally(["import", repository.appendingPathComponent("events/samples/community.ndjson").path, "--db", path])
        try FileManager.default.createDirectory(atPath: rules, withIntermediateDirectories: true)
        for (name, text) in ruleFiles { try text.write(toFile: "\(rules)/\(name)", atomically: true, encoding: .utf8) }
    }

    func remove() { for item in [path, rules] { try? FileManager.default.removeItem(atPath: item) } }
}

@Test func parsesCommandsAndOptions() throws {
    let append = try #require(try Tally.parseAsRoot(["append", "vote", "--actor", "bob", "target=p1", "value=1", "--db", "x"]) as? Append)
    #expect(append.type == "vote")
    #expect(append.fields == ["target=p1", "value=1"])
    #expect(append.ledger.path == "x")
    let scores = try #require(try Tally.parseAsRoot(["scores", "--top", "5", "--at", "9", "--json"]) as? Scores)
    #expect(scores.top == 5)
    #expect(scores.report.position.at == 9)
    #expect(scores.report.format == .json)
    #expect(throws: (any Error).self) { try Tally.parseAsRoot(["append", "--json", "{}", "post"]) }
    #expect(throws: (any Error).self) { try Tally.parseAsRoot(["query", "--type", "like"]) }
    #expect(throws: (any Error).self) { try Tally.parseAsRoot(["query", "--since", "2026-03-1"]) }
    // Malformed data fields are refused while parsing, with append's usage.
    #expect(throws: (any Error).self) { try Tally.parseAsRoot(["append", "post", "--actor", "a", "novalue"]) }
    #expect(throws: (any Error).self) { try Tally.parseAsRoot(["append", "post", "--actor", "a", "post=p", "post=q"]) }
    // An empty ledger path is a usage error, not "no ledger at ''".
    #expect(throws: (any Error).self) { try Tally.parseAsRoot(["stats", "--db", ""]) }
    #expect(throws: (any Error).self) { try Tally.parseAsRoot(["backup", ""]) }
    #expect(throws: (any Error).self) { try Tally.parseAsRoot(["import", ""]) }
    #expect(throws: (any Error).self) { try Tally.parseAsRoot(["complaints", "--status", "closed"]) }
    #expect(throws: (any Error).self) { try Tally.parseAsRoot(["audit", "--finding", "late"]) }
}

/// A negative number is refused by its own option's check, not as a missing value.
@Test(arguments: [
    (["scores", "--top", "-3"], "--top must not be negative"),
    (["query", "--limit", "-1"], "--limit must not be negative"),
    (["scores", "--at", "-1"], "'-1' is invalid for '--at <at>'"),
    (["diff", "--rules", "r", "--at", "-1"], "'-1' is invalid for '--at <at>'"),
    (["export", "--from", "-2"], "'-2' is invalid for '--from <from>'"),
])
func negativeNumbersAreRefusedAsBadNumbers(arguments: [String], message: String) {
    #expect(Tally.message(for: #expect(throws: (any Error).self) { try Tally.parseAsRoot(arguments) }!).contains(message))
}

@Test func queryTakesADateForTheWholeUTCDay() throws {
    let path = temporaryPath()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let times = ["2026-02-28T23:59:59.999Z", "2026-03-01T00:00:00Z", "2026-03-02T07:59:59.999+08:00", "2026-03-02T00:00:00Z"]
    let lines = times.enumerated().map { #"{"type":"post","actor":"a","time":"\#($1)","data":{"post":"p\#($0)"}}"# }
    #expect(try tally(["import", "-", "--db", path], input: lines.joined(separator: "\n")).status == 0)
    let run = try tally(["query", "--since", "2026-03-01", "--until", "2026-03-01", "--db", path])
    #expect(try run.stdout.split(separator: "\n").map { line -> UInt64? in
        guard case .object(let event) = try json(String(line)), case .integer(let seq)? = event["seq"] else { return nil }
        return UInt64(seq)
    } == [2, 3])
}

@Test func importExportRoundTripIntoAFreshLedger() throws {
    let first = temporaryPath(), second = temporaryPath(), third = temporaryPath()
    defer { for path in [first, second, third] { try? FileManager.default.removeItem(atPath: path) } }
    let sample = repository.appendingPathComponent("events/samples/community.ndjson").path
    let imported = try tally(["import", sample, "--db", first, "--json"])
    #expect(imported.status == 0)
    #expect(try json(imported.stdout) == json(#"{"appended":23,"duplicates":0,"rejected":0,"last_seq":23}"#))
    let exported = try tally(["export", "--db", first])
    #expect(exported.stdout.split(separator: "\n").count == 23)
    // Re-importing the export into a fresh ledger keeps every event; seq, recorded and hash
    // are the ledger's own, not kept from the input: the fresh ledger prints its own, once.
    let again = try tally(["import", "-", "--db", second, "--json"], input: exported.stdout)
    #expect(try json(again.stdout) == json(#"{"appended":23,"duplicates":0,"rejected":0,"last_seq":23}"#))
    let reexported = try tally(["export", "--db", second])
    let pairs = zip(exported.stdout.split(separator: "\n"), reexported.stdout.split(separator: "\n"))
    #expect(Array(pairs).count == 23)
    for (before, after) in pairs {
        guard case .object(let original) = try json(String(before)), case .object(let copy) = try json(String(after)) else {
            Issue.record("an export line is not an object")
            return
        }
        #expect(copy.members.map(\.key) == original.members.map(\.key))  // the strict reader refuses a key given twice
        for (key, value) in original.members where key != "recorded" && key != "hash" { #expect(copy[key] == value, "\(key)") }
    }
    let thrice = try tally(["import", "-", "--db", third, "--json"], input: reexported.stdout)
    #expect(try json(thrice.stdout) == json(#"{"appended":23,"duplicates":0,"rejected":0,"last_seq":23}"#))
    let duplicates = try tally(["import", sample, "--db", second, "--json"])
    #expect(try json(duplicates.stdout) == json(#"{"appended":0,"duplicates":23,"rejected":0,"last_seq":23}"#))
    let verify = try tally(["verify", "--db", second, "--json"])
    #expect(verify.status == 0)
    #expect(verify.stdout.contains(#""ok":true"#))
}

@Test func refusalsNameTheLineFieldAndReasonAndChangeNothing() throws {
    let path = temporaryPath()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let input = #"{"type":"post","actor":"a","time":"2026-03-01T00:00:00Z","data":{"post":"p1"}}"# + "\n"
        + #"{"type":"vote","actor":"b","time":"2026-03-01T00:00:00Z","data":{"target":"p1","value":3}}"# + "\n"
    let run = try tally(["import", "-", "--db", path], input: input)
    #expect(run.status == 1)
    #expect(run.stderr.contains("line 2"))
    #expect(run.stderr.contains("data.value"))
    #expect(run.stdout.isEmpty)
    #expect(try tally(["stats", "--db", path, "--json"]).stdout.contains(#""events":0"#))
    let append = try tally(["append", "vote", "--actor", "b", "--db", path, "target=p1", "value=2"])
    #expect(append.status == 1)
    #expect(append.stderr.contains("data.value: must be 1, -1 or 0"))
    let nobody = try tally(["explain", "nobody", "--db", path])
    #expect(nobody.status == 1)
    #expect(nobody.stderr.contains(#"no member "nobody""#))
    let missing = try tally(["scores", "--db", temporaryPath("missing")])
    #expect(missing.status == 1)
    #expect(missing.stderr.contains("no ledger"))
}

@Test func appendTakesKeyValuePairsOrJSON() throws {
    let path = temporaryPath()
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(try tally(["append", "post", "--actor", "alice", "--id", "e1", "--time", "2026-03-01T10:00:00Z", "post=p1", "title=你好", "--db", path]).stdout == "1\n")
    #expect(try tally(["append", "--json", #"{"type":"vote","actor":"bob","data":{"target":"p1","value":1}}"#, "--db", path]).stdout == "2\n")
    let duplicate = try tally(["append", "post", "--actor", "alice", "--id", "e1", "--time", "2026-03-01T10:00:00Z", "post=p1", "title=你好", "--db", path])
    #expect(duplicate.stdout == "1\n")
    #expect(duplicate.status == 0)
    let scores = try tally(["scores", "--db", path, "--json"])
    #expect(try json(scores.stdout) == json(#"[{"member":"alice","score":12,"tier":"member","points":0},{"member":"bob","score":1,"tier":"member","points":0}]"#))
}

@Test func anAppendWithoutATimeCanBeRepeated() throws {
    let path = temporaryPath()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let vote = ["append", "vote", "--actor", "bob", "--id", "v1", "target=p1", "value=1", "--db", path]
    let object = #"{"id":"r1","type":"reply","actor":"carol","data":{"reply":"r1","post":"p1"}}"#
    for _ in 0..<2 {  // the time is now each time: the second is a duplicate all the same
        #expect(try tally(vote).stdout == "1\n")
        #expect(try tally(["append", "--json", object, "--db", path]).stdout == "2\n")
    }
    let changed = try tally(["append", "vote", "--actor", "bob", "--id", "v1", "target=p1", "value=-1", "--db", path])
    #expect(changed.status == 1)
    #expect(changed.stderr.contains("a conflict"))
    // Given, a time is compared as any other field.
    let timed = try tally(["append", "vote", "--actor", "bob", "--id", "v1", "--time", "2026-03-01T10:00:00Z", "target=p1", "value=1", "--db", path])
    #expect(timed.status == 1)
    #expect(timed.stderr.contains("a conflict"))
    #expect(try tally(["stats", "--db", path, "--json"]).stdout.contains(#""events":2"#))
}

@Test func concurrentAppendsFromSeveralProcessesLeaveAGaplessLog() async throws {
    let path = temporaryPath()
    defer { try? FileManager.default.removeItem(atPath: path) }
    try tally(["append", "post", "--actor", "seed", "post=p0", "--db", path])
    let writers = 8, perWriter = 15
    try await withThrowingTaskGroup(of: Void.self) { group in
        for writer in 0..<writers {
            group.addTask {
                var lines = ""
                for index in 0..<perWriter {
                    lines += #"{"id":"w\#(writer)-\#(index)","type":"vote","actor":"m\#(writer)","time":"2026-03-01T00:00:00Z","data":{"target":"p0","value":1}}"# + "\n"
                }
                for chunk in lines.split(separator: "\n") {
                    let run = try tally(["import", "-", "--db", path], input: String(chunk))
                    if run.status != 0 { throw CocoaError(.fileWriteUnknown) }
                }
            }
        }
        group.addTask {
            for _ in 0..<5 {
                let verify = try tally(["verify", "--db", path])
                if verify.status != 0 { throw CocoaError(.fileReadCorruptFile) }  // a reader saw a half-applied write
            }
        }
        group.addTask {
            for _ in 0..<5 {
                let scores = try tally(["scores", "--db", path, "--json"])
                guard scores.status == 0, case .array? = try? json(scores.stdout) else { throw CocoaError(.fileReadCorruptFile) }
            }
        }
        try await group.waitForAll()
    }
    let exported = try tally(["export", "--db", path]).stdout.split(separator: "\n")
    #expect(exported.count == 1 + writers * perWriter)
    let seqs = try exported.map { line -> Int64 in
        guard case .object(let object) = try json(String(line)), case .integer(let seq)? = object["seq"] else { return -1 }
        return seq
    }
    #expect(seqs == Array(1...Int64(1 + writers * perWriter)))
    #expect(try tally(["verify", "--db", path]).status == 0)
}

/// Imports that grow the file, from several processes at once, while others read: a
/// transaction measures the file once its snapshot is taken (a write transaction may have
/// waited for others to grow it), so none mistakes pages written meanwhile for damage.
@Test func concurrentImportsThatGrowTheFileAreNotTakenForDamage() async throws {
    let path = temporaryPath()
    defer { try? FileManager.default.removeItem(atPath: path) }
    try tally(["append", "post", "--actor", "seed", "post=p0", "--db", path])
    let files = try (0..<4).map { writer in
        let file = temporaryPath("grow-\(writer)") + ".ndjson"
        let body = String(repeating: "x", count: 300)
        try (0..<1_500).map { #"{"type":"post","actor":"m\#(writer)","time":"2026-03-01T00:00:00Z","data":{"post":"p\#(writer)-\#($0)","body":"\#(body)"}}"# }
            .joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }
    defer { files.forEach { try? FileManager.default.removeItem(atPath: $0) } }
    let failures = try await withThrowingTaskGroup(of: String?.self) { group in
        for file in files {
            group.addTask { let run = try tally(["import", file, "--db", path]); return run.status == 0 ? nil : run.stderr }
        }
        for command in ["scores", "verify", "export", "activity"] {
            group.addTask { let run = try tally([command, "--db", path]); return run.status == 0 ? nil : run.stderr }
        }
        return try await group.reduce(into: [String]()) { failures, failure in if let failure { failures.append(failure) } }
    }
    #expect(failures.isEmpty, "\(failures)")
    #expect(try tally(["verify", "--db", path]).stdout.hasPrefix("ok: 6001 events"))
}

/// `import --dry-run` gives the counts the import would, and writes nothing: no ledger where
/// there was none, and an existing one byte for byte as it was.
@Test func aDryRunImportCountsWhatItWouldAppendAndWritesNothing() throws {
    let path = temporaryPath()
    defer { try? FileManager.default.removeItem(atPath: path) }
    let sample = repository.appendingPathComponent("events/samples/community.ndjson").path
    let firstCheck = try tally(["import", sample, "--dry-run", "--json", "--db", path])
    #expect(try json(firstCheck.stdout) == json(#"{"appended":23,"duplicates":0,"rejected":0,"last_seq":23}"#))
    #expect(!FileManager.default.fileExists(atPath: path))
    try tally(["import", sample, "--db", path])
    let stored = try Data(contentsOf: URL(fileURLWithPath: path + "/data.mdb"))
    let lines = #"""
        {"type":"post","actor":"x","time":"2026-03-01T00:00:00Z","data":{"post":"new-1"}}
        {"type":"vote","actor":"x","time":"2026-03-01T00:00:00Z","data":{"target":"new-1","value":7}}
        """#
    let check = try tally(["import", "-", "--dry-run", "--skip-invalid", "--json", "--db", path], input: lines)
    #expect(try json(check.stdout) == json(#"{"appended":1,"duplicates":0,"rejected":1,"last_seq":24}"#))
    #expect(check.stderr.contains("line 2: refused: data.value"))
    #expect(try tally(["import", "-", "--dry-run", "--db", path], input: lines).status == 1)
    #expect(try Data(contentsOf: URL(fileURLWithPath: path + "/data.mdb")) == stored)
    #expect(try tally(["import", "-", "--skip-invalid", "--json", "--db", path], input: lines).stdout == check.stdout)
}
