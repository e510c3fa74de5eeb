import Foundation
import LMDB
import Testing
import TallyCore

/// Writes NDJSON of `count` posts to a temporary file.
func postsFile(_ count: Int, body: Int = 100) throws -> String {
    let file = temporaryPath("posts") + ".ndjson"
    var text = ""
    text.reserveCapacity(count * (body + 100))
    for index in 1...count {
        text += #"{"id":"e\#(index)","type":"post","actor":"m\#(index % 97)","time":"2026-03-01T08:00:00Z","data":{"post":"p\#(index)","body":"\#(String(repeating: "b", count: body))"}}"# + "\n"
    }
    try text.write(toFile: file, atomically: true, encoding: .utf8)
    return file
}

/// A process that opens the ledger at `path` with liblmdb, begins a read transaction and
/// sleeps: a reader that `tally` itself never leaves open for long (its export and query
/// close their transactions before they write their lines out).
func sleepingReader(_ path: String) throws -> Process {
    let script = """
        import ctypes, sys, time
        lmdb = ctypes.CDLL("liblmdb.so.0")
        env, txn = ctypes.c_void_p(), ctypes.c_void_p()
        assert lmdb.mdb_env_create(ctypes.byref(env)) == 0
        assert lmdb.mdb_env_set_maxdbs(env, 64) == 0
        assert lmdb.mdb_env_open(env, sys.argv[1].encode(), 0x20000 | 0x200000, 0o644) == 0  # MDB_RDONLY | MDB_NOTLS
        assert lmdb.mdb_txn_begin(env, None, 0x20000, ctypes.byref(txn)) == 0
        print("reading", flush=True)
        time.sleep(600)
        """
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script, path]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    _ = output.fileHandleForReading.readData(ofLength: 8)  // "reading\n": its transaction is open
    return process
}

@Test func aReaderKilledMidReadIsClearedFromTheReaderTable() throws {
    let path = temporaryPath()
    let file = try postsFile(2000)
    defer { for item in [path, file] { try? FileManager.default.removeItem(atPath: item) } }
    #expect(try tally(["import", file, "--db", path]).status == 0)
    // LMDB resets the reader table when the first process opens a ledger, so a stale slot
    // matters only while another process keeps the ledger open: this one does.
    let environment = try Environment(path: path)
    let victim = try sleepingReader(path)
    kill(victim.processIdentifier, SIGKILL)
    victim.waitUntilExit()
    #expect(try environment.clearStaleReaders() == 1)
    #expect(try tally(["append", "post", "--actor", "m", "post=after", "--db", path]).status == 0)
    #expect(try tally(["verify", "--db", path]).status == 0)
}

@Test func aHotBackupWhileWritingVerifiesAndCanBeRestored() throws {
    let path = temporaryPath(), copy = temporaryPath("backup")
    let first = try postsFile(3000), second = temporaryPath("more") + ".ndjson"
    defer { for item in [path, copy, first, second] { try? FileManager.default.removeItem(atPath: item) } }
    #expect(try tally(["import", first, "--db", path]).status == 0)
    try (1...20000).map { #"{"type":"vote","actor":"v\#($0 % 50)","time":"2026-03-02T00:00:00Z","data":{"target":"p\#($0 % 3000 + 1)","value":1}}"# }
        .joined(separator: "\n").write(toFile: second, atomically: true, encoding: .utf8)
    let writer = Process()
    writer.executableURL = URL(fileURLWithPath: tallyBinary)
    writer.arguments = ["import", second, "--db", path]
    writer.standardOutput = FileHandle.nullDevice
    try writer.run()
    let backup = try tally(["backup", copy, "--db", path])
    writer.waitUntilExit()
    #expect(backup.status == 0)
    #expect(writer.terminationStatus == 0)
    let verify = try tally(["verify", "--db", copy, "--json"])
    #expect(verify.status == 0)
    guard case .object(let report) = try json(verify.stdout), case .integer(let events)? = report["events"] else {
        Issue.record("verify printed no report")
        return
    }
    #expect(events == 3000 || events == 23000, "a backup holds whole transactions only")
    #expect(try tally(["backup", copy, "--db", path]).status == 1, "backup refuses an existing destination")
}

@Test func aLedgerTheUserCannotWriteGetsOneClearLine() throws {
    let path = temporaryPath()
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(try tally(["append", "post", "--actor", "a", "post=p1", "--db", path]).status == 0)
    let before = try Data(contentsOf: URL(fileURLWithPath: path + "/data.mdb"))
    // Root ignores permissions, so as root the command runs as `nobody` (the ledger is 0700
    // root's), from a copy of the binary that `nobody` can reach whatever the checkout's modes.
    let binary = temporaryPath("tally-binary")
    try FileManager.default.copyItem(atPath: tallyBinary, toPath: binary)
    defer { try? FileManager.default.removeItem(atPath: binary) }
    chmod(binary, 0o755)
    let command = "'\(binary)' append post --actor b post=p2 --db '\(path)'"
    let run = getuid() == 0
        ? try Subprocess.shell(["su", "nobody", "-s", "/bin/sh", "-c", command])
        : try { chmod(path, 0o500); defer { chmod(path, 0o700) }; return try Subprocess.shell(["/bin/sh", "-c", command]) }()
    #expect(run.status == 1)
    #expect(run.stderr.contains("ermission denied"))
    #expect(run.stderr.split(separator: "\n").count == 1)
    #expect(try Data(contentsOf: URL(fileURLWithPath: path + "/data.mdb")) == before)
}

@Test func aDataFileThatIsNotLMDBIsRefused() throws {
    let path = temporaryPath()
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(try tally(["append", "post", "--actor", "a", "post=p1", "--db", path]).status == 0)
    try Data((0..<40_000).map { UInt8(truncatingIfNeeded: $0 &* 7919) }).write(to: URL(fileURLWithPath: path + "/data.mdb"))
    let run = try tally(["verify", "--db", path])
    #expect(run.status == 1)
    #expect(run.stderr.contains("is not a Tally ledger"))
}

/// Runs a command line (not `tally` itself) and captures its output.
enum Subprocess {
    static func shell(_ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0].hasPrefix("/") ? arguments[0] : "/usr/bin/env")
        process.arguments = arguments[0].hasPrefix("/") ? Array(arguments.dropFirst()) : arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile(), stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }
}

/// LMDB trusts its pages' node flags: the ids table's node for `s-4` flagged as holding
/// duplicates (0x04), in a table that has none, makes LMDB's own search dereference a null
/// pointer. `verify` does its checks in a child process, so it still answers: BAD, exit 1,
/// and in JSON `first_bad_seq` null, since no seq can be named.
@Test func verifyReportsDamageThatKillsLMDBInsteadOfDying() throws {
    let sample = try SampleLedger()
    defer { sample.remove() }
    let file = URL(fileURLWithPath: sample.path + "/data.mdb")
    var bytes = try [UInt8](Data(contentsOf: file))
    let node: [UInt8] = [0, 0, 3, 0] + Array("s-4".utf8)  // flags 0, key size 3, key
    var damaged = 0
    for start in 0..<(bytes.count - node.count) where bytes[start..<(start + node.count)].elementsEqual(node) {
        bytes[start] = 0x04
        damaged += 1
    }
    try #require(damaged > 0)
    try Data(bytes).write(to: file)
    let text = try tally(["verify", "--db", sample.path])
    #expect(text.status == 1)
    #expect(text.stdout.hasPrefix("BAD: LMDB stopped with signal 11"), "\(text.stdout)")
    let report = try tally(["verify", "--json", "--db", sample.path])
    #expect(report.status == 1)
    guard case .object(let object) = try json(report.stdout) else {
        Issue.record("not an object: \(report.stdout)")
        return
    }
    #expect(object["ok"] == .bool(false) && object["first_bad_seq"] == .null)
}
