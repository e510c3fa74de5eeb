import Foundation
import LMDB
import Testing
@testable import TallyCore

private func posts(_ count: Int, bodyBytes: Int = 200) -> String {
    (1...count).map { line("post", "a", "2026-03-01T08:00:00Z", #"{"post":"p\#($0)","body":"\#(String(repeating: "z", count: bodyBytes))"}"#) }
        .joined(separator: "\n")
}

@Test func aFullLedgerRefusesTheImportAndStaysIntact() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tally-full-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let ledger = try Ledger(path: directory, options: .init(create: true, noSync: true, mapSize: 256 << 10, maxMapSize: 512 << 10))
    try ledger.append(try event(line("post", "a", "2026-03-01T08:00:00Z", #"{"post":"first"}"#)))
    let file = directory + ".ndjson"
    try posts(4000).write(toFile: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: file) }
    let fd = open(file, O_RDONLY)
    defer { close(fd) }
    do {
        _ = try ledger.importNDJSON(fd: fd, name: file)
        Issue.record("a 1 MB import fitted in a 512 KB ledger")
    } catch LedgerError.full(let reason) {
        #expect(reason.contains("size limit"))
    }
    #expect(try ledger.lastSeq() == 1)
    #expect(try ledger.verify().ok)
}

@Test func anImportThatMustGrowTheMapWhileThisProcessReadsIsInterruptedAndChangesNothing() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tally-grow-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let ledger = try Ledger(path: directory, options: .init(create: true, noSync: true, mapSize: 256 << 10))
    try ledger.append(try event(line("post", "a", "2026-03-01T08:00:00Z", #"{"post":"first"}"#)))
    let file = directory + ".ndjson"
    try posts(4000).write(toFile: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: file) }
    let importFile = {
        let fd = open(file, O_RDONLY)
        defer { close(fd) }
        return try ledger.importNDJSON(fd: fd, name: file)
    }
    try ledger.read { _ in  // another thread's report, say
        do {
            _ = try importFile()
            Issue.record("the map moved under an open read transaction")
        } catch LedgerError.interrupted(let reason) {
            #expect(reason.contains("memory map"))
        }
    }
    #expect(try ledger.lastSeq() == 1)
    #expect(try importFile().appended == 4000)
    #expect(try ledger.verify().ok)
}

@Test func aLedgerOfANewerFormatIsRefused() throws {
    let temporary = try TemporaryLedger()
    try temporary.ledger.write { txn in
        try txn.put(temporary.ledger.schema.meta, key: Schema.formatKey, value: [0, 0, 0, 2])
    }
    #expect(throws: LedgerError.self) { try Ledger(path: temporary.directory) }
    do {
        _ = try Ledger(path: temporary.directory)
    } catch LedgerError.formatTooNew(let found, let supported) {
        #expect(found == 2)
        #expect(supported == 1)
    }
}

@Test func missingLedgersAndFilesAreNamed() throws {
    let missing = FileManager.default.temporaryDirectory.appendingPathComponent("tally-none-\(UUID().uuidString)").path
    #expect(throws: LedgerError.self) { try Ledger(path: missing) }
    #expect(!FileManager.default.fileExists(atPath: missing), "opening for reading must not create a ledger")
    let file = missing + ".txt"
    try "not a ledger".write(toFile: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: file) }
    do {
        _ = try Ledger(path: file, options: .init(create: true))
        Issue.record("a file opened as a ledger")
    } catch LedgerError.notALedger(_, let reason) {
        #expect(reason.contains("not a directory"))
    }
}

@Test(arguments: [false, true])
func newLedgersAreTheOwnersUnlessShared(sharedGroup: Bool) throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tally-mode-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let previous = umask(0o022)
    defer { umask(previous) }
    _ = try Ledger(path: directory, options: .init(create: true, sharedGroup: sharedGroup))
    func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }
    #expect(try mode(directory) == (sharedGroup ? 0o2770 : 0o700))
    #expect(try mode(directory + "/data.mdb") == (sharedGroup ? 0o660 : 0o600))
    #expect(try mode(directory + "/lock.mdb") == (sharedGroup ? 0o660 : 0o600))
}
