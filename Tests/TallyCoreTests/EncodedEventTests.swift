import Foundation
import Testing
@testable import TallyCore

@Test func eventsWithoutAnIdGetDistinctRandomOnesAndAreNeverDuplicates() throws {
    let temporary = try TemporaryLedger()
    let joined = line("member_joined", "alice", "2026-03-01T08:00:00Z", #"{"channel":"qq:group-1","role":"member"}"#)
    let report = try temporary.importLines([joined, joined].joined(separator: "\n"))
    #expect(report == ImportReport(appended: 2, duplicates: 0, rejected: 0, lastSeq: 2))
    let ids = try temporary.events().map { $0.event.id ?? "" }
    #expect(ids.count == 2 && ids[0] != ids[1])
    #expect(ids.allSatisfy { $0.hasPrefix("tally-") && $0.count == 6 + 32 })
}

/// A random id that an event already has is drawn again: the event is appended, neither
/// refused as a conflict nor counted as a duplicate.
@Test func aRandomIdAlreadyTakenIsDrawnAgain() throws {
    let temporary = try TemporaryLedger()
    let ledger = temporary.ledger!
    let outcomes = try ledger.write { txn in
        let session = try AppendSession(schema: ledger.schema, txn, storedRules: ledger.builtInRules)
        let anonymous = try event(line("member_joined", "alice", "2026-03-01T08:00:00Z", #"{"channel":"qq:group-1","role":"member"}"#))
        let encoded = EncodedEvent(anonymous, recorded: session.recorded)
        var squatter = try event(line("member_joined", "bob", "2026-03-01T09:00:00Z", #"{"channel":"qq:group-2","role":"member"}"#))
        squatter.id = try encoded.event().id
        let outcomes = [try session.append(squatter, txn), try session.append(encoded, txn)]
        try session.finish(txn)
        return outcomes
    }
    #expect(outcomes == [.appended(seq: 1), .appended(seq: 2)])
    let stored = try temporary.events()
    #expect(stored[1].event.actor == "alice" && stored[1].event.id != stored[0].event.id)
    #expect(try ledger.verify().ok)
}

@Test func anEventEncodedAheadIsStoredAsAnAppendEncodesIt() throws {
    let temporary = try TemporaryLedger()
    let text = line("post", "alice", "2026-03-01T10:00:00+08:00", #"{"post":"p-1","body":"晒单 🎁","title":"新品"}"#, id: "e-1")
    let imported = try temporary.importLines(text)
    #expect(imported.appended == 1)
    let stored = try #require(try temporary.events().first)
    let body = EventRecord.body(seq: 1, recorded: stored.recorded, event: try event(text))
    let expected = EventRecord.zeroHash.withUnsafeBytes { zero in body.withUnsafeBytes { EventRecord.chainHash(previous: zero, body: $0) } }
    #expect(stored.hash == expected)
}
