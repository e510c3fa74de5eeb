import Foundation
import Testing
@testable import TallyCore

@Test func aTruncatedDataFileIsRefusedNotFaultedOn() throws {
    let temporary = try TemporaryLedger()
    try temporary.importLines((1...300).map { line("post", "a", "2026-03-01T08:00:00Z", #"{"post":"p\#($0)","body":"\#(String(repeating: "y", count: 300))"}"#) }.joined(separator: "\n"))
    let path = temporary.directory + "/data.mdb"
    let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
    #expect(truncate(path, off_t(size / 2)) == 0)
    do {
        _ = try Ledger(path: temporary.directory).verify()
        Issue.record("a truncated ledger opened")
    } catch LedgerError.corrupted(_, let reason) {
        #expect(reason.contains("truncated"))
    }
}

/// LMDB trusts the sizes stored in its pages: a leaf node whose value size is damaged to 4 GB
/// would send a reader past the end of `data.mdb`, where the map faults (SIGBUS). The LMDB
/// wrapper refuses such an entry, so `verify` names the seq and other commands fail cleanly.
/// Every copy of seq 5's node (`lo hi flags ksize=8` then its key) gets the high half of its
/// size set to 0xFFFF: older copies of the page, which LMDB no longer reads, too.
@Test func aValueSizeReachingPastTheFileIsRefusedNotFaultedOn() throws {
    let temporary = try TemporaryLedger()
    try temporary.importLines((1...20).map { line("post", "a", "2026-03-01T08:00:00Z", #"{"post":"p\#($0)"}"#) }.joined(separator: "\n"))
    let path = temporary.directory + "/data.mdb"
    var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    let node: [UInt8] = [0, 0, 0, 0, 8, 0] + [0, 0, 0, 0, 0, 0, 0, 5]  // hi = 0, flags = 0, ksize = 8, key = seq 5
    var damaged = 0
    for start in 2..<(bytes.count - node.count) where bytes[start..<(start + node.count)].elementsEqual(node) {
        (bytes[start], bytes[start + 1]) = (0xFF, 0xFF)
        damaged += 1
    }
    try #require(damaged > 0)
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    let ledger = try Ledger(path: temporary.directory)
    let report = try ledger.verify()
    #expect(!report.ok && report.firstBadSeq == 5, "\(report)")
    #expect(throws: (any Error).self) { try ledger.export { _ in } }
}
