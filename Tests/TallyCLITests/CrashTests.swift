import Foundation
import LMDB
import Testing
@testable import TallyCore

/// Crash safety: `tally import` and `tally rebuild` killed with SIGKILL at random moments.
///
/// By default one quick trial on 20,000 events. The full harness (issue 4):
///
///     swift build -c release --product tally
///     TALLY_BINARY=$PWD/.build/release/tally TALLY_CRASH_TRIALS=10 TALLY_CRASH_EVENTS=200000 \
///         swift test --filter CrashTests
enum CrashHarness {
    static let binary = ProcessInfo.processInfo.environment["TALLY_BINARY"] ?? tallyBinary
    static let trials = Int(ProcessInfo.processInfo.environment["TALLY_CRASH_TRIALS"] ?? "") ?? 1
    static let events = Int(ProcessInfo.processInfo.environment["TALLY_CRASH_EVENTS"] ?? "") ?? 20_000

    /// Runs `binary` with `arguments`, killing it after `delay` seconds if it is still running.
    /// Returns whether it was killed.
    static func run(_ arguments: [String], killAfter delay: Double) throws -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(delay)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.002) }
        let killed = process.isRunning
        if killed { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return killed
    }

    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = Date()
        try body()
        return Date().timeIntervalSince(start)
    }

    /// An order-independent digest of everything a ledger derives from its log: id entries,
    /// posting entries (by key and seq, whatever the block layout), registries, balances,
    /// and the stored projections with their checkpoint.
    static func derivedState(_ path: String) throws -> [String: UInt64] {
        let ledger = try Ledger(path: path)
        let schema = ledger.schema
        return try ledger.read { txn in
            var digest: [String: UInt64] = [:]
            let projections = schema.projection.all.enumerated().map { ("projection \($0.offset)", $0.element) }
            for (name, db) in [("ids", schema.ids), ("entities", schema.entities), ("balances", schema.balances)] + projections {
                digest[name] = try sum(db, txn) { key, value in
                    Fingerprint.of(index: 0, key: key, seq: Fingerprint.of(index: 1, key: value, seq: 0))
                }
            }
            for kind in PostingIndex.Kind.allCases {
                digest[kind.databaseName] = try sum(schema.postings[kind]!, txn) { key, value in
                    let indexKey = try PostingIndex.indexKey(ofBlockKey: key)
                    var sum: UInt64 = 0
                    try PostingIndex.decodeBlock(key: key, value: value) { sum &+= Fingerprint.of(index: kind.rawValue, key: indexKey, seq: $0) }
                    return sum
                }
            }
            digest["checkpoint"] = try txn.get(schema.meta, key: ProjectionTables.checkpointKey).map { checkpoint in
                checkpoint.withUnsafeBytes { Fingerprint.of(index: 0, key: $0, seq: 0) }
            } ?? 0
            return digest
        }
    }

    /// The wrapping sum of `entry` over every entry of `db`.
    private static func sum(
        _ db: Database, _ txn: borrowing Transaction, _ entry: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws -> UInt64
    ) throws -> UInt64 {
        var total: UInt64 = 0
        try txn.withCursor(db) { cursor in
            var current = try cursor.first()
            while let (key, value) = current {
                total &+= try entry(key, value)
                current = try cursor.next()
            }
        }
        return total
    }

    /// Asserts that the ledger verifies and that its derived state equals a fresh rebuild's.
    static func expectConsistent(_ path: String) throws {
        #expect(try tally(["verify", "--db", path]).status == 0)
        let copy = temporaryPath("rebuilt")
        defer { try? FileManager.default.removeItem(atPath: copy) }
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        #expect(try tally(["rebuild", "--all", "--db", copy]).status == 0)
        #expect(try derivedState(path) == derivedState(copy))
    }

    static func lastSeq(_ path: String) throws -> UInt64 { try Ledger(path: path).lastSeq() }
}

@Test func importKilledAtRandomMomentsIsAllOrNothing() throws {
    let prefix = try postsFile(500)
    let file = temporaryPath("crash") + ".ndjson"
    var text = ""
    for index in 1...CrashHarness.events {
        let type = index % 3 == 0 ? #""type":"vote","data":{"target":"cp\#(index - 1)","value":1}"# : #""type":"post","data":{"post":"cp\#(index)","body":"crash test 压力测试"}"#
        text += #"{"id":"c\#(index)","actor":"m\#(index % 501)","time":"2026-03-02T08:00:00Z",\#(type)}"# + "\n"
    }
    try text.write(toFile: file, atomically: true, encoding: .utf8)
    defer { for item in [prefix, file] { try? FileManager.default.removeItem(atPath: item) } }

    // Calibrate: how long an uninterrupted import takes.
    let calibration = temporaryPath()
    defer { try? FileManager.default.removeItem(atPath: calibration) }
    #expect(try tally(["import", prefix, "--db", calibration]).status == 0)
    let full = try CrashHarness.seconds { _ = try CrashHarness.run(["import", file, "--db", calibration], killAfter: 600) }
    try #require(try CrashHarness.lastSeq(calibration) == UInt64(500 + CrashHarness.events), "the calibration import must succeed")

    var generator = SystemRandomNumberGenerator()
    var killedCount = 0
    for trial in 0..<CrashHarness.trials {
        let path = temporaryPath("trial\(trial)")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try tally(["import", prefix, "--db", path]).status == 0)
        let delay = Double.random(in: 0...(full * 1.1), using: &generator)
        if try CrashHarness.run(["import", file, "--db", path], killAfter: delay) { killedCount += 1 }
        let last = try CrashHarness.lastSeq(path)
        #expect(last == 500 || last == UInt64(500 + CrashHarness.events), "trial \(trial): a partial import (\(last))")
        try CrashHarness.expectConsistent(path)
    }
    print("crash harness: \(CrashHarness.trials) import trials of \(CrashHarness.events) events, \(killedCount) killed mid-import (full import \(full) s)")
}

@Test func rebuildKilledHalfwayLeavesTheLedgerAsItWas() throws {
    let file = try postsFile(CrashHarness.events)
    let path = temporaryPath()
    defer { for item in [path, file] { try? FileManager.default.removeItem(atPath: item) } }
    #expect(try tally(["import", file, "--db", path]).status == 0)
    try #require(try CrashHarness.lastSeq(path) == UInt64(CrashHarness.events))
    let before = try CrashHarness.derivedState(path)
    // Alternately the stored projections alone and everything derived, each killed halfway.
    let scopes = [["rebuild"], ["rebuild", "--all"]]
    let full = try scopes.map { scope in try CrashHarness.seconds { _ = try CrashHarness.run(scope + ["--db", path], killAfter: 600) } }
    var killedCount = 0
    for trial in 0..<CrashHarness.trials {
        if try CrashHarness.run(scopes[trial % 2] + ["--db", path], killAfter: full[trial % 2] * 0.5) { killedCount += 1 }
        #expect(try CrashHarness.derivedState(path) == before)
        #expect(try tally(["verify", "--db", path]).status == 0)
    }
    print("crash harness: \(CrashHarness.trials) rebuild trials, \(killedCount) killed halfway (full rebuilds \(full) s)")
}
